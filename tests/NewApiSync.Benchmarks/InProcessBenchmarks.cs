using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Sync;

namespace NewApiSync.Benchmarks
{
    /// <summary>A channel's 300-model list: parsing the wire form and diffing it against the upstream list.</summary>
    [MemoryDiagnoser]
    public class ModelListBenchmarks
    {
        private string _stored = string.Empty;
        private string _upstream = string.Empty;

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(1);
            string[] models = BenchmarkData.ModelNames(random, 330);
            _stored = string.Join(",", models.Take(300));
            _upstream = string.Join(",", models.Skip(30));
        }

        [Benchmark(Description = "ChannelModelList parse + diff, 300 models")]
        public int ParseAndDiff() => ChannelModelList.Diff(ChannelModelList.Parse(_stored), ChannelModelList.Parse(_upstream)).Added.Count;
    }

    /// <summary>SyncPlanner.Plan for one channel of 300 models against an upstream of 300, with a filter.</summary>
    [MemoryDiagnoser]
    public class SyncPlannerBenchmarks
    {
        private Channel _channel = null!;
        private string[] _upstream = Array.Empty<string>();
        private readonly SyncPlanner _planner = new(new ModelFilter(null, new[] { "*-preview", "filler-3?-*" }));

        [GlobalSetup]
        public void Setup()
        {
            var random = new Random(2);
            string[] models = BenchmarkData.ModelNames(random, 330);
            _channel = new Channel(1, "bench", ChannelModelList.From(models.Take(300)), "{\"gpt-4o\":\"openai/gpt-4o\"}");
            _upstream = models.Skip(30).ToArray();
        }

        [Benchmark(Description = "SyncPlanner.Plan, 300 → 300 models")]
        public bool Plan() => _planner.Plan(_channel, _upstream).Diff.IsEmpty;
    }

    /// <summary>Redirect planning for a whole site: 2,000 channels × 300 models × 30 standard names.</summary>
    [MemoryDiagnoser]
    public class RedirectPlanningBenchmarks
    {
        public const int Channels = 2000, ModelsPerChannel = 300, StandardNames = 30;
        private Channel[] _channels = Array.Empty<Channel>();
        private RedirectPlanner _planner = null!;

        [GlobalSetup]
        public void Setup()
        {
            _channels = BenchmarkData.Channels(Channels, ModelsPerChannel, seed: 3);
            _planner = new RedirectPlanner(BenchmarkData.StandardNames(StandardNames));
        }

        [Benchmark(Description = "RedirectPlanner, 2,000 ch × 300 models × 30 names")]
        public int PlanSite()
        {
            int writes = 0;
            foreach (Channel channel in _channels)
            {
                writes += _planner.Plan(channel).Added.Count;
            }

            return writes;
        }
    }

    /// <summary>Queries over a journal at the retention limit: 200 runs × 1,000 channels, generated once per process.</summary>
    [MemoryDiagnoser]
    public class JournalQueryBenchmarks
    {
        public const int Runs = 200, ChannelsPerRun = 1000;
        private const string BaseUrl = "https://newapi.example.com";

        // BenchmarkDotNet runs GlobalSetup once per benchmark method; the in-process toolchain lets all three share one journal.
        private static readonly Lazy<string> Root = new(() =>
        {
            string root = Path.Combine(Path.GetTempPath(), "newapisync-bench-" + Guid.NewGuid().ToString("N"));
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(root, recursive: true);
            JournalGenerator.Write(SyncJournal.ForSite(root, BaseUrl, 1), BaseUrl, Runs, ChannelsPerRun);
            return root;
        });

        private SyncJournal _journal = null!;

        [GlobalSetup]
        public void Setup() => _journal = SyncJournal.ForSite(Root.Value, BaseUrl, 1);

        [Benchmark(Description = "Journal: failed channels of the last 50 runs")]
        public int FailedInLast50() => _journal.ReadResults(new ResultQuery { Last = 50, Status = ChannelResultStatus.Failed }).Count();

        [Benchmark(Description = "Journal: -Search over all 200 runs")]
        public int SearchEverywhere() => _journal.ReadResults(new ResultQuery { Last = Runs, Search = "channel-500" }).Count();

        [Benchmark(Description = "Journal: all 200 run summaries")]
        public int RunSummaries() => _journal.ReadRuns().Count();
    }

    /// <summary>
    /// Writes a journal as a site's hourly syncs would leave it, about 1 % of channels failing. The first run goes through
    /// JournalRunWriter; the others are copies of its file under their own RunIds, because the writer flushes every line
    /// to disk (200,000 flushes take minutes) and what is measured here is reading.
    /// </summary>
    internal static class JournalGenerator
    {
        public static void Write(SyncJournal journal, string baseUrl, int runs, int channels)
        {
            DateTimeOffset epoch = DateTimeOffset.UtcNow.AddHours(-runs - 1);
            var header = new NewApiSyncRun
            {
                RunId = RunIds.New(epoch), Kind = RunKind.Sync, BaseUrl = baseUrl, UserId = 1, Mode = RunMode.All, StartedAt = epoch,
                PlannedChannelIds = Enumerable.Range(1, channels).ToArray(),
            };
            string template;
            using (JournalRunWriter writer = journal.BeginRun(header))
            {
                int failures = 0, changes = 0;
                for (int c = 1; c <= channels; c++)
                {
                    bool failed = c % 97 == 0;
                    failures += failed ? 1 : 0;
                    changes += !failed && c % 5 == 0 ? 1 : 0;
                    writer.Append(new NewApiSyncResult
                    {
                        RunId = header.RunId, Kind = RunKind.Sync, BaseUrl = baseUrl, ChannelId = c, ChannelName = "channel-" + c,
                        Status = failed ? ChannelResultStatus.Failed : ChannelResultStatus.Succeeded, Changed = !failed && c % 5 == 0,
                        OldModels = new[] { "gpt-4o", "gpt-4o-mini", "o3" }, NewModels = new[] { "gpt-4o", "gpt-4.1", "o3" },
                        AddedModels = new[] { "gpt-4.1" }, RemovedModels = new[] { "gpt-4o-mini" },
                        Error = failed ? "The upstream provider could not be asked for its models: status code: 401" : null,
                        Attempts = failed ? 4 : 1, StartedAt = epoch.AddSeconds(c), FinishedAt = epoch.AddSeconds(c + 1),
                    });
                }

                writer.Complete(new NewApiSyncRun
                {
                    RunId = header.RunId, Kind = header.Kind, BaseUrl = header.BaseUrl, UserId = header.UserId, Mode = header.Mode, StartedAt = header.StartedAt,
                    PlannedChannelIds = header.PlannedChannelIds, Total = channels, Succeeded = channels - failures, Failed = failures, Changed = changes,
                    FinishedAt = epoch.AddMinutes(30),
                });
                template = writer.FilePath;
            }

            string text = File.ReadAllText(template);
            for (int r = 1; r < runs; r++)
            {
                string runId = RunIds.New(epoch.AddHours(r));
                File.WriteAllText(Path.Combine(journal.RunsDirectory, runId + ".jsonl"), text.Replace(header.RunId, runId));
            }
        }
    }
}
