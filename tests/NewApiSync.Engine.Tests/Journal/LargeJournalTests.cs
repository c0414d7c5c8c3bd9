using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using Xunit;
using Xunit.Abstractions;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Journal
{
    /// <summary>
    /// A journal at the retention limit (200 runs of 1,000 channels) answers filtered queries correctly. Timing belongs to
    /// the benchmarks; this checks that the early-stopping paths return the right records.
    /// </summary>
    public sealed class LargeJournalTests : IDisposable
    {
        private const int Runs = 200;
        private const int Channels = 1000;

        private readonly TempDataRoot _root = new();
        private readonly ITestOutputHelper _output;

        public LargeJournalTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _root.Dispose();

        [Fact]
        public void Filtered_Queries_Over_200_Runs_Of_1000_Channels_Return_Exactly_The_Matching_Records()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            List<NewApiSyncRun> headers = Generate(journal);

            // Channel c of run r failed when (c + r) % 97 == 0; run 150 is Redirect, run 199 (the newest) is interrupted.
            var failedInLast50 = ExpectedFailures(headers.Skip(Runs - 50));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            List<NewApiSyncResult> found = journal.ReadResults(new ResultQuery { Last = 50, Status = ChannelResultStatus.Failed }).ToList();
            _output.WriteLine($"Last 50 runs, Status Failed: {clock.ElapsedMilliseconds} ms (informational)");
            clock.Restart();
            int everywhere = journal.ReadResults(new ResultQuery { Last = Runs, Search = "ch-500" }).Count();
            _output.WriteLine($"All {Runs} runs, Search: {clock.ElapsedMilliseconds} ms (informational)");
            clock.Restart();
            List<NewApiSyncRun> runs = journal.ReadRuns().ToList();
            _output.WriteLine($"All run summaries: {clock.ElapsedMilliseconds} ms (informational)");
            Assert.Equal(Runs, runs.Count);
            Assert.True(runs[0].Interrupted);
            Assert.Equal(Channels - 10, runs[0].Succeeded + runs[0].Failed);
            Assert.Equal(Channels, runs[0].Total);
            Assert.Equal(RunKind.Redirect, Assert.Single(journal.ReadRuns(new RunQuery { Kind = RunKind.Redirect })).Kind);
            Assert.Equal(Enumerable.Range(Channels - 9, 10), journal.UnfinishedChannelIds(headers[199].RunId).Where(id => id > Channels - 10));
        }

        private static IEnumerable<(string, int)> ExpectedFailures(IEnumerable<NewApiSyncRun> runs) =>
            runs.Reverse().SelectMany(h => Enumerable.Range(1, ChannelCount(h)).Where(c => IsFailure(h, c)).Select(c => (h.RunId, c))).ToList();

        private static int RunNumber(NewApiSyncRun header) => (int)(header.StartedAt - Epoch).TotalHours;

        private static int ChannelCount(NewApiSyncRun header) => RunNumber(header) == Runs - 1 ? Channels - 10 : Channels;

        private static bool IsFailure(NewApiSyncRun header, int channel) => (channel + RunNumber(header)) % 97 == 0;

        // Writes the files in the journal's own format without a disk flush per line, which would make the test slow.
        private static List<NewApiSyncRun> Generate(SyncJournal journal)
        {
            Directory.CreateDirectory(journal.RunsDirectory);
            var headers = new List<NewApiSyncRun>();
            for (int run = 0; run < Runs; run++)
            {
                NewApiSyncRun header = Header(Epoch.AddHours(run), run == 150 ? RunKind.Redirect : RunKind.Sync, planned: Enumerable.Range(1, Channels));
                headers.Add(header);
                using var file = new FileStream(Path.Combine(journal.RunsDirectory, header.RunId + ".jsonl"), FileMode.CreateNew);
                Write(file, JournalFormat.RunStartLine(header));
                var results = new List<NewApiSyncResult>(Channels);
                for (int channel = 1; channel <= ChannelCount(header); channel++)
                {
                    NewApiSyncResult result = Result(header, channel, IsFailure(header, channel) ? ChannelResultStatus.Failed : ChannelResultStatus.Succeeded);
                    result.ChannelName = "ch-" + channel;
                    Write(file, JournalFormat.ChannelLine(result));
                    results.Add(result);
                }

                if (run != Runs - 1)
                {
                    Write(file, JournalFormat.RunEndLine(Summary(header, results)));
                }
            }

            return headers;
        }

        private static void Write(Stream stream, byte[] line) => stream.Write(line, 0, line.Length);
    }
}
