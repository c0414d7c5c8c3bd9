using System;
using System.IO;
using System.Linq;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using Xunit;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Journal
{
    public sealed class JournalRetentionTests : IDisposable
    {
        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        [Fact]
        public void Completing_A_Run_Keeps_Only_The_Newest_HistoryRetention_Runs()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            journal.HistoryRetention = 3;
            NewApiSyncRun[] runs = Enumerable.Range(0, 5).Select(i => WriteRun(journal, Epoch.AddMinutes(i), 1)).ToArray();

            Assert.Equal(runs.Skip(2).Reverse().Select(r => r.RunId), journal.ReadRuns().Select(r => r.RunId));
            Assert.Equal(3, Directory.GetFiles(journal.RunsDirectory).Length);
        }

        [Fact]
        public void Pruning_Never_Deletes_A_Run_Whose_Writer_Is_Still_Open()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            NewApiSyncRun liveHeader = Header(Epoch);
            using JournalRunWriter live = journal.BeginRun(liveHeader);
            NewApiSyncRun[] later = Enumerable.Range(1, 3).Select(i => WriteRun(journal, Epoch.AddMinutes(i), 1)).ToArray();

            int deleted = journal.Prune(1);

            Assert.Equal(2, deleted);
            Assert.True(File.Exists(live.FilePath));
            live.Append(Result(liveHeader, 9, ChannelResultStatus.Succeeded));
            Assert.Equal(new[] { later[2].RunId, liveHeader.RunId }, journal.ReadRuns().Select(r => r.RunId));
        }

        [Fact]
        public void Prune_And_HistoryRetention_Reject_Keeping_Nothing()
        {
            SyncJournal journal = OpenJournal(_root.Path);
            Assert.Throws<ArgumentOutOfRangeException>(() => journal.Prune(0));
            Assert.Throws<ArgumentOutOfRangeException>(() => journal.HistoryRetention = 0);
        }
    }
}
