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
                IReadOnlyList<ChannelTarget> targets = await runner.ListAllAsync(null, CancellationToken.None);
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
