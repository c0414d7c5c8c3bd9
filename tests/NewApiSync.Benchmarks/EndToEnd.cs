using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.Sandbox;
using static NewApiSync.Benchmarks.Report;

namespace NewApiSync.Benchmarks
{
    /// <summary>Whole runs against the sandbox, timed with a Stopwatch and compared with the bound that limits them.</summary>
    internal static class EndToEnd
    {
        /// <summary>
        /// Rate-limit use: a run bounded by RequestsPerMinute R and Burst B should take (requests − B) / (R/60), and no
        /// window of the server's request log may hold more than the bucket allows (B + R/60 × window, rounded up).
        /// </summary>
        public static async Task<IEnumerable<Figure>> RateLimitAsync(int channels, int requestsPerMinute, int burst, int concurrency)
        {
            const string section = "Rate-limit use";
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(channels, 5, seed: 3));
            var options = new RunOptions { Concurrency = concurrency, RequestsPerMinute = requestsPerMinute, Burst = burst, RetryBaseDelay = TimeSpan.FromMilliseconds(50) };
            var clock = Stopwatch.StartNew();
            NewApiSyncRun run = await SyncAsync(server, options, confirm: true);
            double measured = clock.Elapsed.TotalSeconds;

            int requests = server.Requests.Count;
            double ideal = (requests - burst) / (requestsPerMinute / 60.0);
            string setup = $"{channels} channels, R = {requestsPerMinute}/min, B = {burst}, concurrency {concurrency}; {requests} requests ({run.Changed} writes)";
            var figures = new List<Figure> { new(section, "Run duration", Seconds(measured), Seconds(ideal), measured / ideal, 1.05, setup) };
            figures.AddRange(RequestsPerChannel(server));

            DateTimeOffset[] times = server.Requests.Select(r => r.ReceivedAt).OrderBy(t => t).ToArray();
            foreach (double window in new[] { 1.0, 5.0, 10.0 })
            {
                int peak = PeakInWindow(times, TimeSpan.FromSeconds(window));
                int bound = burst + (int)Math.Ceiling(window * requestsPerMinute / 60.0);
                figures.Add(new(section, $"Most requests in any {window:0} s window", peak.ToString(), $"bound {bound}", (double)peak / bound, 1.0,
                    "timestamps as the sandbox received them"));
            }

            return figures;
        }

        /// <summary>Latency hiding: N fetches of 100 ms each, C at a time, no effective rate limit: ideal N × 0.1 s / C.</summary>
        public static async Task<Figure> LatencyHidingAsync(int channels, int concurrency)
        {
            SandboxSite site = SandboxSite.CreateGenerated(channels, 5, seed: 4);
            foreach (SandboxChannel channel in site.Snapshot())
            {
                // Upstream equal to the stored list: no writes, so the run is nothing but the fetch latency the formula counts.
                site.SetUpstream(channel.Id, channel.Models.Split(','));
            }

            using var server = SandboxServer.Start(site, new SandboxOptions { FetchModelsDelay = TimeSpan.FromMilliseconds(100) });
            var options = new RunOptions { Concurrency = concurrency, RequestsPerMinute = RunLimits.MaxRequestsPerMinute, Burst = RunLimits.MaxBurst };
            NewApiConnection connection = Connect(server);
            IReadOnlyList<Channel> listed;
            using (RunContext context = RunContext.Create(connection, options))
            {
                listed = await ChannelTargets.ListAllAsync(context, CancellationToken.None);
            }

            // The production entry point, with the channels "piped in" so the timed part is the sync pass alone.
            var clock = Stopwatch.StartNew();
            await new ModelSyncService(connection, new SyncSettings()).RunAsync(new ModelSyncRequest { Mode = RunMode.Selected, Channels = listed, Options = options }, new RunCallbacks(), CancellationToken.None);
            double measured = clock.Elapsed.TotalSeconds;
            double ideal = channels * 0.1 / concurrency;
            return new Figure("Latency hiding", "Sync pass, upstream fetch 100 ms", Seconds(measured), Seconds(ideal), measured / ideal, 1.2,
                $"{channels} channels, concurrency {concurrency}, rate limit {RunLimits.MaxRequestsPerMinute}/min with burst {RunLimits.MaxBurst}");
        }

        /// <summary>What one scale step measured.</summary>
        internal sealed record ScaleStep(int Channels, double RawListSeconds, double ListSeconds, long ListRetained, long ListAllocated, GcCost ListGc, double WhatIfSeconds, long WhatIfAllocated,
            GcCost WhatIfGc, double RedirectSeconds, long RedirectAllocated, long PeakWorkingSet)
        {
            /// <summary>The faster time of each phase of two repetitions (the cores are shared: the slower one measured someone else too).</summary>
            public ScaleStep Faster(ScaleStep other) => this with
            {
                RawListSeconds = Math.Min(RawListSeconds, other.RawListSeconds),
                ListSeconds = Math.Min(ListSeconds, other.ListSeconds),
                WhatIfSeconds = Math.Min(WhatIfSeconds, other.WhatIfSeconds),
                RedirectSeconds = Math.Min(RedirectSeconds, other.RedirectSeconds),
                PeakWorkingSet = Math.Max(PeakWorkingSet, other.PeakWorkingSet),
            };
        }

        /// <summary>Full (gen 2) collections and total GC pause over a phase: where superlinear time usually comes from.</summary>
        internal sealed record GcCost(int FullCollections, double PauseSeconds)
        {
            public static Func<GcCost> Start()
            {
                int gen2 = GC.CollectionCount(2);
                TimeSpan pause = GC.GetTotalPauseDuration();
                return () => new GcCost(GC.CollectionCount(2) - gen2, (GC.GetTotalPauseDuration() - pause).TotalSeconds);
            }

            public override string ToString() => $"{FullCollections} gen-2 GCs, GC pauses {Seconds(PauseSeconds)}";
        }

        /// <summary>
        /// Scale: listing, a -WhatIf sync pass and redirect planning over <paramref name="channels"/> × 300 models. The
        /// WhatIf pass runs in slices of 1,000 channels, each with a fresh run context (a full bucket of 1,000), so the
        /// highest settable rate (10,000/min) does not turn this into a rate-limit measurement.
        /// </summary>
        public static async Task<ScaleStep> ScaleAsync(int channels, int concurrency)
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(channels, 300, seed: 11));
            var options = new RunOptions { Concurrency = concurrency, RequestsPerMinute = RunLimits.MaxRequestsPerMinute, Burst = RunLimits.MaxBurst };
            NewApiConnection connection = Connect(server);

            double rawListSeconds = await RawListAsync(server, channels);
            long baseline = GC.GetTotalMemory(forceFullCollection: true);
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            Func<GcCost> listGc = GcCost.Start();
            IReadOnlyList<ChannelTarget> targets;
            using (RunContext context = RunContext.Create(connection, options))
            {
                targets = (await ChannelTargets.ListAllAsync(context, CancellationToken.None)).Select(c => new ChannelTarget(c)).ToArray();
            }

            double listSeconds = clock.Elapsed.TotalSeconds;
            GcCost listGcCost = listGc();
            long listAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            long listRetained = GC.GetTotalMemory(forceFullCollection: true) - baseline;

            allocated = GC.GetTotalAllocatedBytes(precise: true);
            clock.Restart();
            Func<GcCost> whatIfGc = GcCost.Start();
            int declined = 0;
            var callbacks = new RunCallbacks { Confirm = (_, _) => { Interlocked.Increment(ref declined); return Task.FromResult(false); } };
            foreach (ChannelTarget[] slice in targets.Chunk(1000))
            {
                // Each service run makes its own run context: a full bucket per slice of 1,000.
                var request = new ModelSyncRequest { Mode = RunMode.Selected, Channels = slice.Select(t => t.Channel!).ToArray(), Options = options, WhatIf = true };
                await new ModelSyncService(connection, new SyncSettings()).RunAsync(request, callbacks, CancellationToken.None);
            }

            double whatIfSeconds = clock.Elapsed.TotalSeconds;
            GcCost whatIfGcCost = whatIfGc();
            long whatIfAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            if (declined == 0 || server.Updates.Count != 0)
            {
                throw new InvalidOperationException($"The WhatIf pass declined {declined} writes and sent {server.Updates.Count}: it did not measure what it claims.");
            }

            allocated = GC.GetTotalAllocatedBytes(precise: true);
            clock.Restart();
            var planner = new RedirectPlanner(BenchmarkData.StandardNames(30));
            int mapped = 0;
            foreach (ChannelTarget target in targets)
            {
                mapped += planner.Plan(target.Channel!).Added.Count;
            }

            double redirectSeconds = clock.Elapsed.TotalSeconds;
            long redirectAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            GC.KeepAlive(mapped);
            return new ScaleStep(channels, rawListSeconds, listSeconds, listRetained, listAllocated, listGcCost, whatIfSeconds, whatIfAllocated, whatIfGcCost, redirectSeconds, redirectAllocated,
                Process.GetCurrentProcess().PeakWorkingSet64);
        }

        public static IEnumerable<Figure> ScaleFigures(ScaleStep small, ScaleStep large)
        {
            const string section = "Scale (300 models per channel; times are the faster of 2 repetitions)";
            double factor = (double)large.Channels / small.Channels;
            string growth = $"{small.Channels:N0} → {large.Channels:N0}";
            foreach (ScaleStep step in new[] { small, large })
            {
                string n = $"{step.Channels:N0} ch";
                yield return new(section, $"Sandbox serving the list pages alone, {n}", Seconds(step.RawListSeconds), Note: "plain HttpClient GETs, bodies read and dropped: the server's share of the list time");
                yield return new(section, $"List, {n}", Seconds(step.ListSeconds), Note: $"allocated {Mib(step.ListAllocated)}, retained {Mib(step.ListRetained)}; {step.ListGc}");
                yield return new(section, $"-WhatIf sync pass, {n}", Seconds(step.WhatIfSeconds), Note: $"allocated {Mib(step.WhatIfAllocated)}; {step.WhatIfGc}");
                yield return new(section, $"Redirect planning (30 names), {n}", Seconds(step.RedirectSeconds), Note: $"allocated {Mib(step.RedirectAllocated)}");
                yield return new(section, $"Peak working set after {n}", Mib(step.PeakWorkingSet), Note: "whole process, sandbox included");
            }

            // Growth: measured growth / growth in channels; 1.00 is exactly linear.
            yield return new(section, $"Growth of list time, {growth}", $"×{large.ListSeconds / small.ListSeconds:0.0}", $"×{factor:0}", large.ListSeconds / small.ListSeconds / factor, 1.2);
            yield return new(section, $"Growth of -WhatIf time, {growth}", $"×{large.WhatIfSeconds / small.WhatIfSeconds:0.0}", $"×{factor:0}", large.WhatIfSeconds / small.WhatIfSeconds / factor, 1.2);
            yield return new(section, $"Growth of redirect planning time, {growth}", $"×{large.RedirectSeconds / small.RedirectSeconds:0.0}", $"×{factor:0}", large.RedirectSeconds / small.RedirectSeconds / factor, 1.2);
            yield return new(section, $"Growth of memory retained by the listing, {growth}", $"×{(double)large.ListRetained / small.ListRetained:0.0}", $"×{factor:0}", (double)large.ListRetained / small.ListRetained / factor, 1.2);
            yield return new(section, $"Growth of -WhatIf allocations, {growth}", $"×{(double)large.WhatIfAllocated / small.WhatIfAllocated:0.0}", $"×{factor:0}", (double)large.WhatIfAllocated / small.WhatIfAllocated / factor, 1.2);
        }

        /// <summary>
        /// Fetches every list page as bytes with a plain HttpClient and parses nothing: how long the sandbox itself takes to
        /// serve the listing, so the engine's share of the list time can be told apart from the server's.
        /// </summary>
        private static async Task<double> RawListAsync(SandboxServer server, int channels)
        {
            using var http = new System.Net.Http.HttpClient();
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + server.AccessToken);
            http.DefaultRequestHeaders.TryAddWithoutValidation("New-Api-User", server.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var clock = Stopwatch.StartNew();
            for (int page = 1; (page - 1) * NewApiClient.MaxPageSize < channels; page++)
            {
                byte[] body = await http.GetByteArrayAsync($"{server.BaseUrl}/api/channel/?p={page}&page_size={NewApiClient.MaxPageSize}&id_sort=true");
                GC.KeepAlive(body);
            }

            return clock.Elapsed.TotalSeconds;
        }

        /// <summary>The largest number of timestamps inside any half-open window of the given length.</summary>
        internal static int PeakInWindow(IReadOnlyList<DateTimeOffset> sorted, TimeSpan window)
        {
            int peak = 0;
            for (int start = 0, end = 0; start < sorted.Count; start++)
            {
                while (end < sorted.Count && sorted[end] - sorted[start] < window)
                {
                    end++;
                }

                peak = Math.Max(peak, end - start);
            }

            return peak;
        }

        /// <summary>A whole journaled sync run through the production entry point (lock, journal, write pipeline).</summary>
        private static async Task<NewApiSyncRun> SyncAsync(SandboxServer server, RunOptions options, bool confirm)
        {
            var callbacks = new RunCallbacks { Confirm = (_, _) => Task.FromResult(confirm) };
            return await new ModelSyncService(Connect(server), new SyncSettings()).RunAsync(new ModelSyncRequest { Options = options }, callbacks, CancellationToken.None);
        }

        /// <summary>
        /// What the fresh read before each write costs: requests per changed channel (fetch, fresh read, write) and per
        /// unchanged one (the fetch alone), from the sandbox's log of the run; list pages are counted apart.
        /// </summary>
        private static IEnumerable<Figure> RequestsPerChannel(SandboxServer server)
        {
            const string section = "Requests per channel";
            var byChannel = server.Requests.Where(r => r.ChannelId is not null || r.Route == SandboxRoute.UpdateChannel).ToArray();
            HashSet<int> written = server.Site.Snapshot().Where(c => c.UpdateCount > 0).Select(c => c.Id).ToHashSet();
            int writes = server.Updates.Count;
            int readsAndFetchesOfChanged = byChannel.Count(r => r.ChannelId is int id && written.Contains(id));
            int unchangedChannels = server.Site.Count - written.Count;
            int requestsOfUnchanged = byChannel.Count(r => r.ChannelId is int id && !written.Contains(id));
            int pages = server.Requests.Count(r => r.Route == SandboxRoute.ListChannels);
            double perChanged = written.Count == 0 ? 0 : (double)(readsAndFetchesOfChanged + writes) / written.Count;
            yield return new(section, "Requests per changed channel", perChanged.ToString("0.00"), "3 (fetch, fresh read, write)", perChanged / 3, 1.0,
                $"{written.Count} changed channels; {server.Requests.Count(r => r.Route == SandboxRoute.GetChannel)} fresh reads; the listing took {pages} page(s) for the whole run");
            if (unchangedChannels > 0)
            {
                double perUnchanged = (double)requestsOfUnchanged / unchangedChannels;
                yield return new(section, "Requests per unchanged channel", perUnchanged.ToString("0.00"), "1 (fetch)", perUnchanged, 1.0, $"{unchangedChannels} unchanged channels: no fresh read");
            }
        }

        internal static NewApiConnection ConnectForProfile(SandboxServer server) => Connect(server);

        private static NewApiConnection Connect(SandboxServer server)
        {
            using var token = new SecureString();
            foreach (char c in server.AccessToken)
            {
                token.AppendChar(c);
            }

            // Runs journal like production runs, into a throw-away data folder of their own.
            string data = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "newapisync-bench", Guid.NewGuid().ToString("N"));
            return new NewApiConnection(server.BaseUrl, token, server.UserId) { RequestTimeout = TimeSpan.FromSeconds(60), IsSandbox = true, DataDirectory = data };
        }
    }
}
