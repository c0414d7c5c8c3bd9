using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using Xunit;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Journal
{
    public sealed class JournalRunWriterTests : IDisposable
    {
        private readonly TempDataRoot _root = new();
        private readonly List<string> _warnings = new();

        public void Dispose() => _root.Dispose();

        [Fact]
        public void Writes_RunStart_Then_Channels_Then_RunEnd_With_Camel_Case_Names_And_Enum_Strings()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 2, statuses: new[] { ChannelResultStatus.Succeeded, ChannelResultStatus.Failed });

            string path = Path.Combine(journal.RunsDirectory, header.RunId + ".jsonl");
            string[] lines = File.ReadAllLines(path);
            Assert.Equal(4, lines.Length);
            using JsonDocument start = JsonDocument.Parse(lines[0]);
            using JsonDocument failed = JsonDocument.Parse(lines[2]);
            using JsonDocument end = JsonDocument.Parse(lines[3]);
            Assert.Equal("run-start", start.RootElement.GetProperty("type").GetString());
            Assert.Equal(1, start.RootElement.GetProperty("formatVersion").GetInt32());
            Assert.Equal("All", start.RootElement.GetProperty("mode").GetString());
            Assert.Equal(new[] { 1, 2 }, start.RootElement.GetProperty("plannedChannelIds").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("channel", failed.RootElement.GetProperty("type").GetString());
            Assert.Equal("Failed", failed.RootElement.GetProperty("status").GetString());
            Assert.Equal("Sync", failed.RootElement.GetProperty("kind").GetString());
            Assert.Equal(2, failed.RootElement.GetProperty("channelId").GetInt32());
            Assert.Equal("run-end", end.RootElement.GetProperty("type").GetString());
            Assert.Equal(1, end.RootElement.GetProperty("failed").GetInt32());
            Assert.True(end.RootElement.TryGetProperty("nextScheduledTime", out _));
            Assert.StartsWith(Path.Combine(_root.Path, "sites", "newapi.example.com_1-"), path);
            Assert.Empty(_warnings);
        }

        [Fact]
        public void Each_Append_Is_On_Disk_Before_It_Returns()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            NewApiSyncRun header = Header(Epoch);
            using JournalRunWriter writer = journal.BeginRun(header);

            writer.Append(Result(header, 7, ChannelResultStatus.Succeeded));

            using var reader = new FileStream(writer.FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            string text = new StreamReader(reader, Encoding.UTF8).ReadToEnd();
            Assert.Equal(2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Contains("\"channelId\":7", text);
            Assert.EndsWith("\n", text);
        }

        [Fact]
        public void A_Channel_Record_Reads_Back_With_Every_Field()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            NewApiSyncRun header = Header(Epoch, RunKind.Clear);
            NewApiSyncResult written = Result(header, 3, ChannelResultStatus.Failed);
            written.Reason = "why";
            written.ErrorKind = NewApiSync.Engine.Api.NewApiErrorKind.Authentication;
            written.ChannelName = "通道 ✓ \"quoted\"";
            written.NewModelMapping = null;
            written.RemovedModels = new[] { "old-model" };
            using (JournalRunWriter writer = journal.BeginRun(header))
            {
                writer.Append(written);
            }

            NewApiSyncResult read = Assert.Single(journal.ReadResults(new ResultQuery { RunId = header.RunId }));
            Assert.Equal(JsonSerializer.Serialize(written), JsonSerializer.Serialize(read));
            Assert.Contains("通道 ✓", File.ReadAllText(Path.Combine(journal.RunsDirectory, header.RunId + ".jsonl")));
        }

        [Fact]
        public void Concurrent_Appends_From_Many_Threads_Keep_Every_Line_Whole()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = Header(Epoch);
            const int threads = 16, perThread = 100;
            using (JournalRunWriter writer = journal.BeginRun(header))
            {
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                {
                    for (int i = 0; i < perThread; i++)
                    {
                        writer.Append(Result(header, t * perThread + i, ChannelResultStatus.Succeeded));
                    }
                });
                Assert.Equal(threads * perThread, writer.ChannelRecords());
            }

            string[] lines = File.ReadAllLines(Path.Combine(journal.RunsDirectory, header.RunId + ".jsonl"));
            Assert.Equal(1 + threads * perThread, lines.Length);
            var ids = lines.Skip(1).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("channelId").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(0, threads * perThread), ids.OrderBy(i => i));
            Assert.Equal(threads * perThread, journal.ReadResults(new ResultQuery { RunId = header.RunId }).Count());
            Assert.Empty(_warnings);
        }

        [Fact]
        public void Two_Writers_For_One_Site_In_Parallel_Both_Keep_Their_Runs_Intact()
        {
            NewApiSyncRun[] headers = new NewApiSyncRun[2];
            Parallel.For(0, 2, i =>
            {
                // Separate SyncJournal objects stand for two processes.
                headers[i] = WriteRun(OpenJournal(_root.Path), Epoch.AddSeconds(i), 300,
                    statuses: new[] { ChannelResultStatus.Succeeded, ChannelResultStatus.Failed });
            });

            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            List<NewApiSyncRun> runs = journal.ReadRuns().ToList();
            Assert.Equal(new[] { headers[1].RunId, headers[0].RunId }, runs.Select(r => r.RunId));
            Assert.All(runs, r => Assert.Equal((300, 150, 150, false), (r.Total, r.Succeeded, r.Failed, r.Interrupted)));
            Assert.Equal(600, journal.ReadResults(new ResultQuery { Last = 2 }).Count());
            Assert.Empty(_warnings);
        }

        [Fact]
        public void Disposing_Without_Complete_Leaves_An_Interrupted_Run_Counted_From_Its_Channels()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 3, complete: false,
                statuses: new[] { ChannelResultStatus.Succeeded, ChannelResultStatus.Failed, ChannelResultStatus.Cancelled });

            NewApiSyncRun run = Assert.Single(journal.ReadRuns());
            Assert.Equal(header.RunId, run.RunId);
            Assert.True(run.Interrupted);
            Assert.Null(run.FinishedAt);
            Assert.Equal((3, 1, 1, 0, 1, 1), (run.Total, run.Succeeded, run.Failed, run.Skipped, run.Cancelled, run.Changed));
            Assert.Equal(3, journal.ReadResults().Count());
            Assert.Empty(_warnings);
        }

        [Fact]
        public void A_Run_Still_Being_Written_Is_Not_Interrupted_Until_Its_Writer_Goes()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            NewApiSyncRun header = Header(Epoch, planned: new[] { 1, 2, 3, 4 });
            JournalRunWriter writer = journal.BeginRun(header);
            writer.Append(Result(header, 1, ChannelResultStatus.Succeeded));

            NewApiSyncRun live = Assert.Single(journal.ReadRuns());
            Assert.False(live.Interrupted);
            Assert.Null(live.FinishedAt);
            Assert.Equal((4, 1), (live.Total, live.Succeeded));

            writer.Dispose();
            Assert.True(Assert.Single(journal.ReadRuns()).Interrupted);
        }

        [Fact]
        public void A_Writer_In_Another_Process_Keeps_The_Run_Live()
        {
            // flock(1) takes the same kind of lock .NET's writer holds on Unix (a shared flock), from a separate process.
            if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/flock"))
            {
                return;
            }

            SyncJournal journal = OpenJournal(_root.Path);
            NewApiSyncRun header = WriteRun(journal, Epoch, 2, complete: false);
            string path = Path.Combine(journal.RunsDirectory, header.RunId + ".jsonl");
            using var child = System.Diagnostics.Process.Start("/usr/bin/flock", new[] { "-s", path, "sleep", "30" })!;
            try
            {
                Assert.True(SpinUntil(() => !Assert.Single(journal.ReadRuns()).Interrupted), "the child's lock was never seen");
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }

            // The killed processes' locks go with them, a moment after they exit.
            Assert.True(SpinUntil(() => Assert.Single(journal.ReadRuns()).Interrupted), "the run never became Interrupted");
        }

        [Fact]
        public void Append_And_Complete_Reject_Misuse_With_Specific_Errors()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            NewApiSyncRun header = Header(Epoch);
            using JournalRunWriter writer = journal.BeginRun(header);
            NewApiSyncResult foreign = Result(header, 1, ChannelResultStatus.Succeeded);
            foreign.RunId = "other";

            Assert.Contains("not this run's", Assert.Throws<ArgumentException>(() => writer.Append(foreign)).Message);
            Assert.Throws<ArgumentNullException>(() => writer.Append(null!));
            writer.Complete(Summary(header, Array.Empty<NewApiSyncResult>()));
            Assert.Contains("already complete", Assert.Throws<InvalidOperationException>(
                () => writer.Append(Result(header, 2, ChannelResultStatus.Succeeded))).Message);
            Assert.Throws<InvalidOperationException>(() => writer.Complete(Summary(header, Array.Empty<NewApiSyncResult>())));
        }

        [Fact]
        public void Summary_Counts_The_Latest_Record_Per_Channel_And_Planned_Channels_In_Total()
        {
            NewApiSyncRun header = Header(Epoch, planned: new[] { 1, 2, 3, 4 });
            using JournalRunWriter writer = OpenJournal(_root.Path).BeginRun(header);
            writer.Append(Result(header, 1, ChannelResultStatus.Failed));
            writer.Append(Result(header, 1, ChannelResultStatus.Succeeded));
            writer.Append(Result(header, 2, ChannelResultStatus.Cancelled));

            NewApiSyncRun summary = writer.Summary(Epoch.AddMinutes(1), Epoch.AddHours(6));

            Assert.Equal((4, 1, 0, 0, 1, 1), (summary.Total, summary.Succeeded, summary.Failed, summary.Skipped, summary.Cancelled, summary.Changed));
            Assert.Equal((header.RunId, Epoch.AddMinutes(1), Epoch.AddHours(6), false), (summary.RunId, summary.FinishedAt, summary.NextScheduledTime, summary.Interrupted));
            Assert.Equal(3, writer.ChannelRecords());
        }

        [Fact]
        public void Append_After_Dispose_Throws_ObjectDisposed()
        {
            NewApiSyncRun header = Header(Epoch);
            JournalRunWriter writer = OpenJournal(_root.Path).BeginRun(header);
            writer.Dispose();
            Assert.Throws<ObjectDisposedException>(() => writer.Append(Result(header, 1, ChannelResultStatus.Succeeded)));
        }

        [Fact]
        public void BeginRun_Rejects_Another_Site_A_Reused_RunId_And_A_Missing_Start()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            NewApiSyncRun header = Header(Epoch);
            using (journal.BeginRun(header))
            {
            }

            Assert.Contains("already has a run", Assert.Throws<InvalidOperationException>(() => journal.BeginRun(header)).Message);
            NewApiSyncRun otherSite = Header(Epoch.AddSeconds(1));
            otherSite.UserId = 2;
            Assert.Contains("belongs to", Assert.Throws<ArgumentException>(() => journal.BeginRun(otherSite)).Message);
            NewApiSyncRun noStart = Header(Epoch.AddSeconds(2));
            noStart.StartedAt = default;
            Assert.Contains("StartedAt", Assert.Throws<ArgumentException>(() => journal.BeginRun(noStart)).Message);
            NewApiSyncRun badId = Header(Epoch.AddSeconds(3));
            badId.RunId = "../escape";
            Assert.Contains("not a run id", Assert.Throws<ArgumentException>(() => journal.BeginRun(badId)).Message);
        }

        [Fact]
        public void The_Files_Hold_Exactly_The_Expected_Properties_And_No_Secret_Names()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            WriteRun(journal, Epoch, 2);

            var expected = new Dictionary<string, string[]>
            {
                ["run-start"] = new[] { "type", "formatVersion", "runId", "kind", "baseUrl", "userId", "mode", "startedAt", "whatIf", "plannedChannelIds" },
                ["channel"] = new[]
                {
                    "type", "runId", "kind", "baseUrl", "channelId", "channelName", "status", "changed", "oldModels", "newModels",
                    "addedModels", "removedModels", "pendingRemovals", "protectedModels", "ignoredModels", "consecutiveFailures",
                    "failingSince", "oldModelMapping", "newModelMapping", "mayHaveWritten", "replanned", "reason", "httpStatus",
                    "error", "errorKind", "attempts", "startedAt", "finishedAt",
                },
                ["run-end"] = new[]
                {
                    "type", "runId", "kind", "baseUrl", "userId", "mode", "startedAt", "finishedAt", "total", "succeeded", "failed",
                    "skipped", "cancelled", "changed", "nextScheduledTime", "whatIf",
                },
            };
            string file = Directory.GetFiles(journal.RunsDirectory).Single();
            foreach (string line in File.ReadAllLines(file))
            {
                using JsonDocument document = JsonDocument.Parse(line);
                string[] names = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
                Assert.Equal(expected[names[0] == "type" ? document.RootElement.GetProperty("type").GetString()! : "?"].OrderBy(n => n), names.OrderBy(n => n));
                Assert.DoesNotContain(names, n => n.Contains("key", StringComparison.OrdinalIgnoreCase) ||
                                                  n.Contains("token", StringComparison.OrdinalIgnoreCase) ||
                                                  n.Contains("authorization", StringComparison.OrdinalIgnoreCase));
            }
        }

        internal static bool SpinUntil(Func<bool> condition)
        {
            for (int i = 0; i < 100; i++)
            {
                if (condition())
                {
                    return true;
                }

                System.Threading.Thread.Sleep(50);
            }

            return false;
        }
    }
}
