using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Sync;
using NewApiSync.Sandbox;
using static NewApiSync.Benchmarks.Report;

namespace NewApiSync.Benchmarks
{
    /// <summary>Issue 12: a tight per-IP server limit (adaptive rate).</summary>
    internal static class Robustness
    {
        /// <summary>
        /// A server that allows 2 requests per 5 s (sliding window, Retry-After 1 s), a run with concurrency 8 and a
        /// configured budget far above it: the adaptive rate must finish every channel. Ideal: the server's own limit,
        /// 2 accepted requests per 5 s after the first 2.
        /// </summary>
        public static async Task<IEnumerable<Figure>> ServerLimitAsync(int channels, int concurrency)
        {
            const string section = "Tight server limit (adaptive rate)";
            const int perWindow = 2;
            const double windowSeconds = 5;
            SandboxSite site = SandboxSite.CreateGenerated(channels, 5, seed: 12);
            using var server = SandboxServer.Start(site, new SandboxOptions { RateLimitRequests = perWindow, RateLimitWindow = TimeSpan.FromSeconds(windowSeconds) });
            var options = new RunOptions { Concurrency = concurrency, RequestsPerMinute = 6000, Burst = 100, RetryBaseDelay = TimeSpan.FromMilliseconds(50) };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            NewApiSyncRun run;
            using (RunContext context = RunContext.Create(Connect(server), options))
            {
                var runner = new ModelSyncRunner(context, new SyncPlanner());
                IReadOnlyList<ChannelTarget> targets = (await ChannelTargets.ListAllAsync(context, CancellationToken.None)).Select(c => new ChannelTarget(c)).ToArray();
                var callbacks = new RunCallbacks { Confirm = (_, _) => Task.FromResult(true) };
                run = await runner.RunAsync(new NewApiSyncRun { RunId = RunIds.New(DateTimeOffset.UtcNow), BaseUrl = server.BaseUrl, UserId = server.UserId, StartedAt = DateTimeOffset.UtcNow },
                    targets, NullRunRecorder.Instance, callbacks, CancellationToken.None);
            }

            double measured = clock.Elapsed.TotalSeconds;
            int accepted = server.Requests.Count(r => r.Status != 429);
            int refused = server.Requests.Count(r => r.Status == 429);
            double ideal = Math.Ceiling((accepted - perWindow) / (double)perWindow) * windowSeconds;
            string setup = $"{channels} channels, concurrency {concurrency}, server limit {perWindow} requests / {windowSeconds:0} s, configured 6000/min; {accepted} requests accepted, {refused} refused with 429";
            return new[]
            {
                new Figure(section, "Run duration", Seconds(measured), Seconds(ideal), measured / ideal, 1.5, setup),
                new Figure(section, "Failed channels", run.Failed.ToString(System.Globalization.CultureInfo.InvariantCulture), "0", Note: $"{run.Succeeded} of {run.Total} succeeded"),
            };
        }

        /// <summary>Runs <see cref="BigRepliesChildAsync"/> in a fresh process, so its peak memory is its own.</summary>
        public static IEnumerable<Figure> BigReplies(int channels, int megabytes)
        {
            const string section = "Memory under big replies";
            string self = typeof(Robustness).Assembly.Location;
            string host = Environment.ProcessPath ?? "dotnet";
            var start = new System.Diagnostics.ProcessStartInfo(host)
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };

            // Under the dotnet host the program is its first argument; the apphost (dotnet run) is the program itself.
            if (string.Equals(System.IO.Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                start.ArgumentList.Add(self);
            }

            start.ArgumentList.Add("--big-replies-child");
            start.ArgumentList.Add(channels.ToString(System.Globalization.CultureInfo.InvariantCulture));
            start.ArgumentList.Add(megabytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var child = System.Diagnostics.Process.Start(start)!;
            string output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            string? line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
            if (line is null)
            {
                return new[] { new Figure(section, "Peak working set", "failed", Note: "the child process reported nothing: " + output.Trim()) };
            }

            string[] parts = line.Split(' ');
            long peak = long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            long baseline = long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
            double seconds = double.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture);
            string failed = parts[4];
            long target = 500L * 1000 * 1000; // the "under 500 MB"
            return new[]
            {
                new Figure(section, $"Peak working set, {channels} concurrent {megabytes} MB replies", Mib(peak), "476.8 MiB (500 MB)", (double)peak / target, 1.0,
                    $"whole process incl. the sandbox's shared {megabytes} MB body and {Mib(baseline)} before the run; {channels} channels at concurrency {channels}, each fetch_models reply ~{megabytes} MB of model names with no Content-Length (read until the 64 MiB cap refuses it; each channel fails Protocol, no retries); {failed}; {seconds:0.0} s; issue 12 measured 1.9 GB before the large-reply budget"),
            };
        }

        /// <summary>The child side: 16 channels whose fetch_models replies are each ~70 MB, all fetched at once.</summary>
        public static async Task<int> BigRepliesChildAsync(int channels, int megabytes)
        {
            byte[] body = ModelListBody(megabytes * 1_000_000);
            SandboxSite site = SandboxSite.CreateGenerated(channels, 3, seed: 5);
            using var server = SandboxServer.Start(site);
            foreach (SandboxChannel channel in site.Snapshot())
            {
                                // No Content-Length: the client learns the size only by reading, as from a proxy that streams its reply.
                server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.CustomReply) { ChannelId = channel.Id, BodyBytes = body, ContentType = "application/json", OmitContentLength = true });
            }

            GC.Collect();
            long baseline = System.Diagnostics.Process.GetCurrentProcess().WorkingSet64;
            var options = new RunOptions { Concurrency = channels, MaxRetries = 0, RequestsPerMinute = RunLimits.MaxRequestsPerMinute, Burst = RunLimits.MaxBurst };
            long managedPeak = 0;
            using var sampler = new Timer(_ => managedPeak = Math.Max(managedPeak, GC.GetTotalMemory(false)), null, 0, 5);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            NewApiSyncRun run;
            using (RunContext context = RunContext.Create(Connect(server), options))
            {
                var runner = new ModelSyncRunner(context, new SyncPlanner());
                IReadOnlyList<ChannelTarget> targets = (await ChannelTargets.ListAllAsync(context, CancellationToken.None)).Select(c => new ChannelTarget(c)).ToArray();
                run = await runner.RunAsync(new NewApiSyncRun { RunId = RunIds.New(DateTimeOffset.UtcNow), BaseUrl = server.BaseUrl, UserId = server.UserId, StartedAt = DateTimeOffset.UtcNow },
                    targets, NullRunRecorder.Instance, new RunCallbacks(), CancellationToken.None);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            long peak = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
            Console.WriteLine(FormattableString.Invariant($"RESULT {peak} {baseline} {seconds:0.0} {run.Failed}-failed-{run.Succeeded}-succeeded {managedPeak}"));
            return 0;
        }

        // {"success":true,"message":"","data":[ "upstream-model-000000000-preview", …]} of about the given size, written
        // into one exact-size array so that building it leaves no garbage in the measured process.
        private static byte[] ModelListBody(int bytes)
        {
            byte[] head = System.Text.Encoding.ASCII.GetBytes("{\"success\":true,\"message\":\"\",\"data\":[");
            const int itemBytes = 35; // ,"upstream-model-000000000-preview"
            int items = (bytes - head.Length - 2) / itemBytes;
            byte[] body = new byte[head.Length + items * itemBytes + 2];
            Buffer.BlockCopy(head, 0, body, 0, head.Length);
            int at = head.Length;
            for (int i = 0; i < items; i++)
            {
                // The first item starts with a space instead of a comma, so every item has the same length.
                string item = (i == 0 ? " \"upstream-model-" : ",\"upstream-model-") + i.ToString("D9", System.Globalization.CultureInfo.InvariantCulture) + "-preview\"";
                at += System.Text.Encoding.ASCII.GetBytes(item, 0, item.Length, body, at);
            }

            body[at] = (byte)']';
            body[at + 1] = (byte)'}';
            return body;
        }

        private static NewApiConnection Connect(SandboxServer server)
        {
            using var token = new SecureString();
            foreach (char c in server.AccessToken)
            {
                token.AppendChar(c);
            }

            return new NewApiConnection(server.BaseUrl, token, server.UserId) { RequestTimeout = TimeSpan.FromSeconds(60), IsSandbox = true };
        }
    }
}
