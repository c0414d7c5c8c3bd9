using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Tests.Journal;
using Xunit;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>Two processes on one site: only one run writes at a time, and parallel journal writers never corrupt each other.</summary>
    public sealed class CrossProcessTests : IDisposable
    {
        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        [Fact]
        public void A_Run_Lock_Held_By_Another_Process_Keeps_Every_Other_Run_Out_Until_It_Ends()
        {
            using Process holder = CrashHostProcess.Start(_root.Path, BaseUrl, UserId, token: null, "hold-lock");
            try
            {
                Assert.Equal("locked", CrashHostProcess.WaitForLine(holder, "locked"));

                // This process cannot take it, and learns who holds it.
                Assert.Null(SiteRunLock.TryAcquire(_root.Path, BaseUrl, UserId, TimeSpan.FromMilliseconds(300)));
                Assert.Equal(holder.Id, SiteRunLock.ReadHolder(_root.Path, BaseUrl, UserId)!.ProcessId);

                // Nor can a third process.
                using (Process third = CrashHostProcess.Start(_root.Path, BaseUrl, UserId, token: null, "hold-lock"))
                {
                    Assert.Equal("busy", CrashHostProcess.WaitForLine(third, "busy"));
                    third.WaitForExit(30_000);
                    Assert.Equal(1, third.ExitCode);
                }

                // The holder ends: the lock is free again.
                holder.StandardInput.Close();
                Assert.True(holder.WaitForExit(30_000));
                using SiteRunLock? mine = SiteRunLock.TryAcquire(_root.Path, BaseUrl, UserId, TimeSpan.FromSeconds(10));
                Assert.NotNull(mine);

                // And while this process holds it, a child is refused.
                using Process refused = CrashHostProcess.Start(_root.Path, BaseUrl, UserId, token: null, "hold-lock");
                Assert.Equal("busy", CrashHostProcess.WaitForLine(refused, "busy"));
                refused.WaitForExit(30_000);
            }
            finally
            {
                CrashHostProcess.KillAndWait(holder);
            }
        }

        [Fact]
        public void A_Lock_Holder_That_Is_Killed_Leaves_The_Site_Unlocked()
        {
            using Process holder = CrashHostProcess.Start(_root.Path, BaseUrl, UserId, token: null, "hold-lock");
            Assert.Equal("locked", CrashHostProcess.WaitForLine(holder, "locked"));
            Assert.Null(SiteRunLock.TryAcquire(_root.Path, BaseUrl, UserId, TimeSpan.Zero));
            CrashHostProcess.KillAndWait(holder);
            using SiteRunLock? after = SiteRunLock.TryAcquire(_root.Path, BaseUrl, UserId, TimeSpan.FromSeconds(10));
            Assert.NotNull(after);
        }

        [Fact]
        public void Two_Processes_And_This_One_Writing_One_Site_Journal_At_Once_Keep_Every_Line_Whole()
        {
            const int channels = 1500;
            var warnings = new List<string>();
            SyncJournal journal = OpenJournal(_root.Path, warnings);
            Process[] writers = Enumerable.Range(0, 2).Select(_ => CrashHostProcess.Start(_root.Path, BaseUrl, UserId, token: null, "journal", channels.ToString())).ToArray();
            try
            {
                NewApiSyncRun mine = WriteRun(journal, DateTimeOffset.UtcNow, channels);
                var runIds = writers.Select(w => CrashHostProcess.WaitForLine(w, "run ").Substring(4)).Append(mine.RunId).ToArray();
                foreach (Process writer in writers)
                {
                    Assert.True(writer.WaitForExit(60_000));
                    Assert.Equal(0, writer.ExitCode);
                }

                Assert.Equal(3, runIds.Distinct().Count());
                List<NewApiSyncRun> runs = journal.ReadRuns().ToList();
                Assert.Equal(runIds.OrderBy(id => id), runs.Select(r => r.RunId).OrderBy(id => id));
                Assert.All(runs, r =>
                {
                    Assert.False(r.Interrupted);
                    Assert.Equal(channels, r.Succeeded);
                });
                foreach (string runId in runIds)
                {
                    Assert.Equal(Enumerable.Range(1, channels), journal.ReadResults(new ResultQuery { RunId = runId }).Select(r => r.ChannelId).OrderBy(i => i));
                }

                Assert.Empty(warnings);
            }
            finally
            {
                foreach (Process writer in writers)
                {
                    CrashHostProcess.KillAndWait(writer);
                    writer.Dispose();
                }
            }
        }
    }
}
