using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;
using static NewApiSync.Engine.Tests.Reliability.ReliabilityRuns;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>A sync process killed mid-run leaves a journal that says what happened and lets -FailedOnly finish the job.</summary>
    public sealed class CrashTests : IDisposable
    {
        private const int Channels = 60;
        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        [Fact]
        public async Task A_Killed_Run_Is_Interrupted_Keeps_Its_Finished_Channels_And_The_Rest_Can_Be_Completed()
        {
            // Slow upstream fetches keep the child busy long enough to be killed part-way.
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(Channels, 3, seed: 5), new SandboxOptions { FetchModelsDelay = TimeSpan.FromMilliseconds(150) });
            var warnings = new List<string>();
            SyncJournal journal = SyncJournal.ForSite(_root.Path, server.BaseUrl, server.UserId, warnings.Add);

            string runId;
            using (Process child = CrashHostProcess.Start(_root.Path, server.BaseUrl, server.UserId, server.AccessToken, "sync"))
            {
                try
                {
                    runId = CrashHostProcess.WaitForLine(child, "run ").Substring(4);
                    string runFile = Path.Combine(journal.RunsDirectory, runId + ".jsonl");
                    Assert.True(PollUntil(() => ChannelLines(runFile) >= 8, TimeSpan.FromSeconds(60)), "the child never journaled 8 channels");
                }
                finally
                {
                    CrashHostProcess.KillAndWait(child);
                }

                Assert.NotEqual(0, child.ExitCode);
            }

            // A crash can also tear the line being written: simulate it, as a kill rarely lands mid-write.
            string path = Path.Combine(journal.RunsDirectory, runId + ".jsonl");
            string lastLine = File.ReadLines(path).Last(l => l.Contains("\"type\":\"channel\""));
            File.AppendAllText(path, (File.ReadAllText(path).EndsWith('\n') ? string.Empty : "\n") + lastLine.Substring(0, lastLine.Length / 2), new UTF8Encoding(false));

            // The killed writer's file lock goes with the process, a moment after it exits.
            Assert.True(PollUntil(() => journal.ReadRuns(new RunQuery { RunId = runId }).Single().Interrupted, TimeSpan.FromSeconds(10)), "the run never read as Interrupted");
            List<NewApiSyncResult> records = journal.ReadResults(new ResultQuery { RunId = runId }).ToList();
            foreach (NewApiSyncResult inFlight in records.Where(r => r.MayHaveWritten))
            {
                // A write the kill caught between its undo record and its outcome: the server holds the old or the new list.
                Assert.Equal(ChannelResultStatus.Cancelled, inFlight.Status);
                Assert.True(ServerModels(server, inFlight.ChannelId).SequenceEqual(inFlight.NewModels) || ServerModels(server, inFlight.ChannelId).SequenceEqual(inFlight.OldModels));
            }

            List<NewApiSyncResult> finished = records.Where(r => !r.MayHaveWritten).ToList();
            Assert.Contains(warnings, w => w.Contains("is incomplete"));
            Assert.InRange(finished.Count, 8, Channels - 1);
            Assert.Equal(finished.Count, finished.Select(r => r.ChannelId).Distinct().Count());
            foreach (NewApiSyncResult record in finished)
            {
                // What the journal says was written is on the server.
                Assert.Equal(ChannelResultStatus.Succeeded, record.Status);
                Assert.Equal(record.NewModels, ServerModels(server, record.ChannelId));
            }

            IReadOnlyList<int> unfinished = journal.UnfinishedChannelIds(runId);
            Assert.Equal(Enumerable.Range(1, Channels).Except(finished.Select(r => r.ChannelId)).OrderBy(i => i), unfinished.OrderBy(i => i));

            // -FailedOnly: exactly those channels, in this process.
            server.Options.FetchModelsDelay = TimeSpan.Zero;
            server.ClearRequests();
            NewApiSyncRun resumed = await SyncIntoJournalAsync(Sandboxes.Connect(server), journal, Fast(), ids: unfinished, mode: RunMode.FailedOnly);
            Assert.Equal(unfinished.Count, resumed.Succeeded);
            Assert.Equal(unfinished.OrderBy(i => i), server.Requests.Where(r => r.Route == SandboxRoute.FetchModels).Select(r => r.ChannelId!.Value).OrderBy(i => i));
            foreach (SandboxChannel channel in server.Site.Snapshot())
            {
                Assert.Equal(channel.UpstreamModels, channel.Models.Split(','));
            }
        }

        [Fact]
        public async Task A_Child_Killed_During_An_Applied_Write_Leaves_An_Undo_Record_That_Restore_Uses()
        {
            // Channel 1's write is applied, then its reply hangs: the child is killed while it waits, so only the intent
            // record (written before the PUT) knows what changed.
            using var server = SandboxServer.Start();
            string[] before = ServerModels(server, 1);
            server.Faults.Add(new SandboxFault(SandboxRoute.UpdateChannel, SandboxFaultKind.ApplyThenReplyLate) { ChannelId = 1, Delay = TimeSpan.FromSeconds(60) });
            SyncJournal journal = SyncJournal.ForSite(_root.Path, server.BaseUrl, server.UserId);

            string runId;
            using (Process child = CrashHostProcess.Start(_root.Path, server.BaseUrl, server.UserId, server.AccessToken, "sync"))
            {
                try
                {
                    runId = CrashHostProcess.WaitForLine(child, "run ").Substring(4);
                    Assert.True(PollUntil(() => server.Site.Get(1)!.UpdateCount == 1, TimeSpan.FromSeconds(60)), "the child never wrote channel 1");
                }
                finally
                {
                    CrashHostProcess.KillAndWait(child);
                }
            }

            Assert.NotEqual(before, ServerModels(server, 1));
            Assert.True(PollUntil(() => journal.ReadRuns(new RunQuery { RunId = runId }).Single().Interrupted, TimeSpan.FromSeconds(10)), "the run never read as Interrupted");
            NewApiSyncResult record = journal.ReadResults(new ResultQuery { RunId = runId, ChannelIds = new[] { 1 } }).Single();
            Assert.True(record.MayHaveWritten);
            Assert.Equal(before, record.OldModels);
            Assert.Equal(ServerModels(server, 1), record.NewModels);
            Assert.Contains("may have happened", record.Reason);

            // Restore the whole killed run: channel 1 goes back, like every channel the run finished.
            server.Faults.Clear();
            var connection = Sandboxes.Connect(server);
            connection.DataDirectory = _root.Path;
            var restore = new ChannelRestoreService(connection, new NewApiSync.Engine.Settings.SyncSettings());
            NewApiSyncRun restored = await restore.RunAsync(
                new NewApiSync.Engine.Restore.ChannelRestoreRequest { Records = restore.ReadRun(runId)!, Options = Fast() }, new NewApiSync.Engine.Runs.RunCallbacks(), CancellationToken.None);
            Assert.Equal(0, restored.Failed);
            Assert.Equal(before, ServerModels(server, 1));
            Assert.Equal(SandboxSite.CreateSample().Snapshot().Select(c => c.Models), server.Site.Snapshot().Select(c => c.Models));
        }

        // Sleeps between looks: a busy spin would take a core from the child on a 2-core CI machine.
        private static bool PollUntil(Func<bool> condition, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > timeout)
                {
                    return false;
                }

                Thread.Sleep(50);
            }

            return true;
        }

        private static int ChannelLines(string path)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                int count = 0;
                string? line;
                while ((line = reader.ReadLine()) is not null)
                {
                    count += line.Contains("\"type\":\"channel\"") ? 1 : 0;
                }

                return count;
            }
            catch (IOException)
            {
                // Not created yet: the child prints its RunId before the run's first line.
                return 0;
            }
        }
    }
}
