using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.Sandbox;

namespace NewApiSync.Benchmarks
{
    /// <summary>
    /// Issue 16: where a -WhatIf pass's bytes go. `--whatif-profile N` lists N channels, then runs the WhatIf pass with the
    /// runtime's allocation ticks (one per ~100 KB allocated, with the type that crossed the mark) counted by type, and
    /// prints the top types, the pass's allocated bytes and the peak working set.
    /// </summary>
    internal static class AllocationProfile
    {
        private sealed class Ticks : EventListener
        {
            public readonly ConcurrentDictionary<string, long> ByType = new();
            public volatile bool On;

            protected override void OnEventSourceCreated(EventSource source)
            {
                if (source.Name == "Microsoft-Windows-DotNETRuntime")
                {
                    EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
                }
            }

            protected override void OnEventWritten(EventWrittenEventArgs e)
            {
                if (!On || e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
                {
                    return;
                }

                int at = e.PayloadNames!.IndexOf("TypeName");
                int amount = e.PayloadNames.IndexOf("AllocationAmount64");
                string type = at >= 0 ? e.Payload[at]?.ToString() ?? "?" : "?";
                long bytes = amount >= 0 ? Convert.ToInt64(e.Payload[amount]) : 100_000;
                ByType.AddOrUpdate(type, bytes, (_, b) => b + bytes);
            }
        }

        public static async Task<int> RunAsync(int channels, bool fetchOnly)
        {
            using var ticks = new Ticks();
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(channels, 300, seed: 11));
            var options = new RunOptions { Concurrency = 8, RequestsPerMinute = RunLimits.MaxRequestsPerMinute, Burst = RunLimits.MaxBurst };
            var connection = EndToEnd.ConnectForProfile(server);
            IReadOnlyList<Channel> listed;
            GC.Collect();
            long listStart = GC.GetTotalAllocatedBytes(precise: true);
            ticks.On = true;
            using (RunContext context = RunContext.Create(connection, options))
            {
                listed = await ChannelTargets.ListAllAsync(context, CancellationToken.None);
            }

            ticks.On = false;
            long listAllocated = GC.GetTotalAllocatedBytes(precise: true) - listStart;
            Console.WriteLine($"List, {channels} channels: allocated {listAllocated / 1048576.0:0.0} MiB; peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0.0} MiB");
            Print(ticks);
            ticks.ByType.Clear();
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            ticks.On = true;
            if (fetchOnly)
            {
                // The sandbox's and HttpClient's share: every fetch_models reply read as bytes and dropped.
                using var http = new System.Net.Http.HttpClient();
                http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + server.AccessToken);
                http.DefaultRequestHeaders.TryAddWithoutValidation("New-Api-User", server.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await Parallel.ForEachAsync(listed, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
                    GC.KeepAlive(await http.GetByteArrayAsync($"{server.BaseUrl}/api/channel/fetch_models/{c.Id}", ct)));
            }
            else
            {
                var callbacks = new RunCallbacks { Confirm = (_, _) => Task.FromResult(false) };
                foreach (Channel[] slice in listed.Chunk(1000))
                {
                    var request = new ModelSyncRequest { Mode = Engine.Results.RunMode.Selected, Channels = slice, Options = options, WhatIf = true };
                    await new ModelSyncService(connection, new SyncSettings()).RunAsync(request, callbacks, CancellationToken.None);
                }
            }

            ticks.On = false;
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Console.WriteLine($"{(fetchOnly ? "fetch_models alone" : "-WhatIf pass")}, {channels} channels: allocated {allocated / 1048576.0:0.0} MiB ({allocated / channels / 1024.0:0.0} KiB per channel); peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0.0} MiB");
            Print(ticks);
            return 0;
        }

        private static void Print(Ticks ticks)
        {
            long sampled = ticks.ByType.Values.Sum();
            foreach (KeyValuePair<string, long> type in ticks.ByType.OrderByDescending(t => t.Value).Take(15))
            {
                Console.WriteLine($"  {type.Value / 1048576.0,8:0.0} MiB {100.0 * type.Value / Math.Max(1, sampled),5:0.0} %  {type.Key}");
            }
        }
    }
}
