using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NewApiSync.Engine.Journal;

namespace NewApiSync.Benchmarks
{
    /// <summary>
    /// Issue 16: -Search over the 200 × 1,000 journal with a Stopwatch, cold (the first query in a fresh process: JIT,
    /// file opens) and warm (best of several), so the figure can be checked without a BenchmarkDotNet run.
    /// `--journal-only DIR` writes the journal into DIR when it is missing, then measures in a child process.
    /// </summary>
    internal static class QuietJournal
    {
        private const string BaseUrl = "https://newapi.example.com";

        public static int Measure(string root, string search)
        {
            if (!Directory.Exists(root))
            {
                JournalGenerator.Write(SyncJournal.ForSite(root, BaseUrl, 1), BaseUrl, JournalQueryBenchmarks.Runs, JournalQueryBenchmarks.ChannelsPerRun);
                Console.WriteLine("Journal written to " + root + "; run again for the cold figure.");
            }

            SyncJournal journal = SyncJournal.ForSite(root, BaseUrl, 1);
            var query = new ResultQuery { Last = JournalQueryBenchmarks.Runs, Search = search };
            var clock = Stopwatch.StartNew();
            int count = journal.ReadResults(query).Count();
            Console.WriteLine($"cold: {clock.Elapsed.TotalMilliseconds:0.0} ms ({count} results)");
            double best = double.MaxValue;
            long bytes = 0;
            for (int i = 0; i < 10; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                clock.Restart();
                count = journal.ReadResults(query).Count();
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
                bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            }

            Console.WriteLine($"warm: best of 10 {best:0.0} ms ({count} results), allocated {bytes / 1048576.0:0.0} MiB per query; load {File.ReadAllText("/proc/loadavg").Trim()}");
            foreach ((string name, Func<int> read) in new (string, Func<int>)[]
            {
                ("all 200 run summaries", () => journal.ReadRuns().Count()),
                ("failed channels of the last 50 runs", () => journal.ReadResults(new ResultQuery { Last = 50, Status = Engine.Results.ChannelResultStatus.Failed }).Count()),
            })
            {
                best = double.MaxValue;
                for (int i = 0; i < 10; i++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    clock.Restart();
                    count = read();
                    best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
                    bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                }

                Console.WriteLine($"{name}: best of 10 {best:0.0} ms ({count}), allocated {bytes / 1048576.0:0.0} MiB");
            }

            return 0;
        }

        /// <summary>
        /// `--redirect-only`: the RedirectPlanner benchmark's own workload (2,000 channels × 300 models × 30 names) with a
        /// Stopwatch, best of 15 after 3 warm-ups, for a figure that does not need a quiet machine for minutes.
        /// </summary>
        public static int MeasureRedirect()
        {
            var benchmark = new RedirectPlanningBenchmarks();
            benchmark.Setup();
            for (int i = 0; i < 3; i++)
            {
                benchmark.PlanSite();
            }

            double best = double.MaxValue;
            long bytes = 0;
            var clock = new Stopwatch();
            for (int i = 0; i < 15; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                clock.Restart();
                benchmark.PlanSite();
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
                bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            }

            Console.WriteLine($"RedirectPlanner, 2,000 ch × 300 models × 30 names: best of 15 {best:0.0} ms, allocated {bytes / 1048576.0:0.0} MiB per op; load {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
    }
}
