using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NewApiSync.Benchmarks
{
    /// <summary>
    /// dotnet run -c Release --project tests/NewApiSync.Benchmarks -- [--quick] [--out docs/benchmarks.md]
    /// (--runs-only: only the rate-limit and latency runs; --scale-only, --import-only: only those parts;
    /// --redirect-only, --journal-only DIR [TEXT]: issue 16's planner and journal figures with a Stopwatch;
    /// --whatif-profile N, --fetch-profile N: a -WhatIf pass's allocations by type, or the sandbox's share alone)
    /// Runs the end-to-end harness first (so peak memory is the scale runs' own), then the BenchmarkDotNet parts, and
    /// writes one Markdown table with the machine, every figure, its ideal, the ratio and the goal.
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            if (args.Length >= 3 && args[0] == "--big-replies-child")
            {
                // A child process of the memory figure: its peak working set is the run's alone.
                return await Robustness.BigRepliesChildAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
            }

            if (args.Length >= 2 && args[0] == "--journal-only")
            {
                // Issue 16: the journal -Search figure alone, cold and warm (optional third argument: the search text).
                return QuietJournal.Measure(args[1], args.Length >= 3 ? args[2] : "channel-500");
            }

            if (args.Length >= 2 && args[0] is "--whatif-profile" or "--fetch-profile")
            {
                // Issue 16: allocations of a -WhatIf pass (or of the sandbox serving fetch_models alone) by type.
                return await AllocationProfile.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), fetchOnly: args[0] == "--fetch-profile");
            }

            if (args.Contains("--redirect-only"))
            {
                // Issue 16: the RedirectPlanner figure alone, with a Stopwatch.
                return QuietJournal.MeasureRedirect();
            }

            bool quick = args.Contains("--quick");
            bool scaleOnly = args.Contains("--scale-only"); // for investigating the scale figures alone
            bool robustnessOnly = args.Contains("--robustness-only"); // issue 12's rows alone, without the rest of the table
            int outAt = Array.IndexOf(args, "--out");
            string? outPath = outAt >= 0 && outAt + 1 < args.Length ? args[outAt + 1] : null;
            var clock = Stopwatch.StartNew();
            var figures = new List<Figure>();
            void Add(IEnumerable<Figure> more)
            {
                foreach (Figure figure in more)
                {
                    Console.WriteLine($"  {figure.Name}: {figure.Measured} (ideal {figure.Ideal}) {figure.Note}");
                    figures.Add(figure);
                }
            }

            if (robustnessOnly)
            {
                Add(await RobustnessFigures());
                Console.WriteLine(Report.Markdown(figures, quick, clock.Elapsed));
                return 0;
            }

            // Import time first, before anything in this process has loaded the module's assemblies.
            Console.WriteLine("Import time…");
            Add(ImportTime.Measure());
            if (args.Contains("--import-only"))
            {
                return 0;
            }

            if (args.Contains("--runs-only"))
            {
                // The rate-limit and latency runs alone (under a minute): e.g. the requests per changed channel.
                Add(await EndToEnd.RateLimitAsync(channels: 150, requestsPerMinute: 1200, burst: 10, concurrency: 4));
                Add(new[] { await EndToEnd.LatencyHidingAsync(channels: 400, concurrency: 8) });
                return 0;
            }

            // A first, discarded pass compiles everything the scale runs use, so 1,000 → 10,000 compares work, not JIT.
            Console.WriteLine("Warm-up…");
            await EndToEnd.ScaleAsync(200, concurrency: 8);
            Console.WriteLine("Scale: 1,000 channels × 300 models…");
            EndToEnd.ScaleStep small = (await EndToEnd.ScaleAsync(1000, concurrency: 8)).Faster(await EndToEnd.ScaleAsync(1000, concurrency: 8));
            Console.WriteLine("Scale: 10,000 channels × 300 models…");
            EndToEnd.ScaleStep large = (await EndToEnd.ScaleAsync(10_000, concurrency: 8)).Faster(await EndToEnd.ScaleAsync(10_000, concurrency: 8));
            if (scaleOnly)
            {
                Add(EndToEnd.ScaleFigures(small, large));
                return 0;
            }

            Console.WriteLine("Rate-limit use…");
            // The end-to-end runs are the same in both modes (under a minute together); --quick shortens only BenchmarkDotNet.
            Add(await EndToEnd.RateLimitAsync(channels: 150, requestsPerMinute: 1200, burst: 10, concurrency: 4));
            Console.WriteLine("Latency hiding…");
            Add(new[] { await EndToEnd.LatencyHidingAsync(channels: 400, concurrency: 8) });
            Add(EndToEnd.ScaleFigures(small, large));
            Add(await RobustnessFigures());
            Add(InProcess(quick));

            string markdown = Report.Markdown(figures, quick, clock.Elapsed);
            Console.WriteLine(markdown);
            if (outPath is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
                File.WriteAllText(outPath, markdown);
                Console.WriteLine("Written to " + Path.GetFullPath(outPath));
            }

            return 0;
        }

        private static async Task<IEnumerable<Figure>> RobustnessFigures()
        {
            Console.WriteLine("Memory under 16 concurrent 70 MB replies (child process)…");
            var figures = new List<Figure>(Robustness.BigReplies(channels: 16, megabytes: 70));
            Console.WriteLine("Tight server limit (2 requests / 5 s, concurrency 8, 20 channels)…");
            figures.AddRange(await Robustness.ServerLimitAsync(channels: 20, concurrency: 8));
            return figures;
        }

        private static IEnumerable<Figure> InProcess(bool quick)
        {
            // In-process toolchain: no per-benchmark project builds, which a 2-core machine cannot afford.
            Job job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
            IConfig config = ManualConfig.CreateEmpty()
                .AddJob(job)
                .AddDiagnoser(MemoryDiagnoser.Default)
                .AddLogger(ConsoleLogger.Default)
                .AddColumnProvider(DefaultColumnProviders.Instance)
                .WithOptions(ConfigOptions.DisableLogFile);
            Summary[] summaries = BenchmarkRunner.Run(new[]
            {
                typeof(ModelListBenchmarks), typeof(SyncPlannerBenchmarks), typeof(RedirectPlanningBenchmarks), typeof(JournalQueryBenchmarks),
            }, config);

            foreach (BenchmarkReport report in summaries.SelectMany(s => s.Reports))
            {
                string name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                double? mean = report.ResultStatistics?.Mean;
                long? allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
                string note = allocated is long bytes ? $"allocated {Report.Bytes(bytes)} per op" : string.Empty;
                if (mean is not double ns)
                {
                    yield return new Figure("In-process (BenchmarkDotNet)", name, "failed", Note: "no result");
                    continue;
                }

                if (report.BenchmarkCase.Descriptor.Type == typeof(JournalQueryBenchmarks))
                {
                    // Issue 4: a filtered query over 200 runs × 1,000 channels answers "well under a second".
                    yield return new Figure("In-process (BenchmarkDotNet)", name, Report.Duration(ns), "1 s", ns / 1e9, 0.5, note);
                }
                else if (report.BenchmarkCase.Descriptor.Type == typeof(RedirectPlanningBenchmarks))
                {
                    yield return new Figure("In-process (BenchmarkDotNet)", name, Report.Duration(ns),
                        Note: $"{Report.Duration(ns / RedirectPlanningBenchmarks.Channels)} per channel; {note}");
                }
                else
                {
                    yield return new Figure("In-process (BenchmarkDotNet)", name, Report.Duration(ns), Note: note);
                }
            }
        }
    }
}
