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
    /// <summary>
    /// A channel line another tool (or an older writer) wrote with <c>"channelName": null</c> is still a record: its name
    /// reads as empty, never as null, so the filters and views that search or show names (Get-NewApiSyncHistory -Failing
    /// -Search threw a NullReferenceException) work on it.
    /// </summary>
    public sealed class JournalNullTextTests : IDisposable
    {
        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        [Fact]
        public void A_Null_Channel_Name_Reads_As_Empty_In_Records_And_Standings()
        {
            var warnings = new List<string>();
            SyncJournal journal = OpenJournal(_root.Path, warnings);
            NewApiSyncRun run = WriteRun(journal, Epoch, 2, complete: false, statuses: ChannelResultStatus.Failed);
            string file = Path.Combine(journal.RunsDirectory, run.RunId + ".jsonl");
            File.AppendAllText(file,
                "{\"type\":\"channel\",\"runId\":\"" + run.RunId + "\",\"kind\":\"Sync\",\"channelId\":3,\"channelName\":null,\"status\":\"Failed\",\"error\":\"boom\"}\n",
                new UTF8Encoding(false));

            NewApiSyncResult record = journal.ReadResults(new ResultQuery { RunId = run.RunId }).Single(r => r.ChannelId == 3);
            Assert.Equal(string.Empty, record.ChannelName);

            NewApiSyncResult standing = ChannelHealth.Read(journal).Failing().Single(r => r.ChannelId == 3);
            Assert.Equal(string.Empty, standing.ChannelName);
            Assert.Empty(warnings);
        }
    }
}
