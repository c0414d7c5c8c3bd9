using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using Xunit;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Journal
{
    /// <summary>What a crash or a stray edit can leave behind must never make the journal unreadable.</summary>
    public sealed class JournalDamageTests : IDisposable
    {
        private readonly TempDataRoot _root = new();
        private readonly List<string> _warnings = new();

        public void Dispose() => _root.Dispose();

        private string RunPath(SyncJournal journal, NewApiSyncRun run) => Path.Combine(journal.RunsDirectory, run.RunId + ".jsonl");

        [Fact]
        public void A_Torn_Last_Line_Is_Skipped_With_A_Warning_And_The_Run_Is_Interrupted()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 2, complete: false);
            string whole = File.ReadAllLines(RunPath(journal, header))[1].Replace("\"channelId\":1", "\"channelId\":3");
            File.AppendAllText(RunPath(journal, header), whole.Substring(0, whole.Length / 2), new UTF8Encoding(false));

            List<NewApiSyncResult> results = journal.ReadResults().ToList();
            NewApiSyncRun run = Assert.Single(journal.ReadRuns());

            Assert.Equal(new[] { 1, 2 }, results.Select(r => r.ChannelId));
            Assert.True(run.Interrupted);
            Assert.Equal(2, run.Succeeded);
            Assert.Contains(_warnings, w => w.Contains("line 4") && w.Contains("incomplete"));
        }

        [Fact]
        public void A_Torn_Run_End_Line_Falls_Back_To_Counting_The_Channels()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 3);
            string path = RunPath(journal, header);
            byte[] bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 20).ToArray());

            NewApiSyncRun run = Assert.Single(journal.ReadRuns());
            Assert.True(run.Interrupted);
            Assert.Equal((3, 3), (run.Total, run.Succeeded));
            Assert.Single(_warnings);
        }

        [Fact]
        public void An_Unreadable_Line_In_The_Middle_Is_Skipped_With_A_Warning()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 3);
            string path = RunPath(journal, header);
            List<string> lines = File.ReadAllLines(path).ToList();
            lines[2] = "{ this is not json";
            lines.Insert(3, "{\"type\":\"from-the-future\",\"x\":1}");
            File.WriteAllText(path, string.Join("\n", lines) + "\n");

            Assert.Equal(new[] { 1, 3 }, journal.ReadResults().Select(r => r.ChannelId));
            Assert.False(Assert.Single(journal.ReadRuns()).Interrupted);
            Assert.Contains(_warnings, w => w.Contains("line 3") && w.Contains("cannot be read"));
            Assert.Single(_warnings);
        }

        [Fact]
        public void Lines_Of_The_Wrong_Shape_Are_Skipped_With_A_Warning()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 1);
            string path = RunPath(journal, header);
            List<string> lines = File.ReadAllLines(path).ToList();
            lines.Insert(1, "{\"type\":5,\"channelId\":8}");
            lines.Insert(1, "[1,2]");
            lines.Insert(1, "{\"type\":\"channel\",\"channelId\":\"eight\",\"status\":\"Succeeded\"}");
            lines.Insert(1, "{\"type\":\"channel\"} {\"type\":\"channel\"}");
            File.WriteAllText(path, string.Join("\n", lines) + "\n");

            Assert.Equal(new[] { 1 }, journal.ReadResults().Select(r => r.ChannelId));
            Assert.Equal(3, _warnings.Count);
        }

        [Fact]
        public void A_Torn_Run_Start_Line_Skips_The_Run_With_A_Warning()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            Directory.CreateDirectory(journal.RunsDirectory);
            File.WriteAllText(Path.Combine(journal.RunsDirectory, RunIds.New(Epoch) + ".jsonl"), "{\"type\":\"run-start\",\"runId\":\"2026");

            Assert.Empty(journal.ReadRuns());
            Assert.Contains(_warnings, w => w.Contains("run-start line cannot be read"));
        }

        [Fact]
        public void An_Empty_Run_File_Left_By_A_Crash_Is_Skipped_With_A_Warning()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun older = WriteRun(journal, Epoch, 1);
            File.WriteAllText(Path.Combine(journal.RunsDirectory, RunIds.New(Epoch.AddHours(1)) + ".jsonl"), string.Empty);

            Assert.Equal(older.RunId, Assert.Single(journal.ReadRuns()).RunId);
            Assert.Equal(older.RunId, Assert.Single(journal.ReadResults()).RunId);
            Assert.Contains(_warnings, w => w.Contains("empty"));
        }

        [Fact]
        public void A_File_Without_A_Run_Start_Line_Is_Skipped_With_A_Warning()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(journal.RunsDirectory).FullName, "20261101T080000000Z-abcdef.jsonl"),
                "{\"type\":\"channel\",\"channelId\":1}\n");

            Assert.Empty(journal.ReadRuns());
            Assert.Contains(_warnings, w => w.Contains("does not start with a run-start line"));
        }

        [Fact]
        public void A_Missing_Journal_Reads_As_Empty()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            Assert.Empty(journal.ReadRuns());
            Assert.Empty(journal.ReadResults());
            Assert.Null(journal.LastRun(RunKind.Sync));
            Assert.Equal(0, journal.Prune(1));
            Assert.False(Directory.Exists(journal.SiteDirectory));
        }
    }
}
