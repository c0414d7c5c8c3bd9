using System;
using System.Collections.Generic;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using Xunit;

namespace NewApiSync.Engine.Tests.Runs
{
    public class DeferredRunRecorderTests
    {
        [Fact]
        public void A_Journal_That_Cannot_Start_The_Run_Refuses_Every_Later_Intent_The_Same_Way()
        {
            var journal = new UnwritableJournal();
            using var recorder = new DeferredRunRecorder(journal);
            recorder.Begin(new NewApiSyncRun { RunId = "r" }, new[] { 1, 2 });

            // Two workers reach their writes: neither may be sent, and both learn why (never "Begin was not called").
            var first = Assert.Throws<NewApiException>(() => recorder.Intent(new NewApiSyncResult { ChannelId = 1 }));
            var second = Assert.Throws<NewApiException>(() => recorder.Intent(new NewApiSyncResult { ChannelId = 2 }));

            Assert.Equal(NewApiErrorKind.JournalUnwritable, first.Kind);
            Assert.Equal(NewApiErrorKind.JournalUnwritable, second.Kind);
            Assert.Equal(2, journal.BeginAttempts);
            Assert.Equal(0, journal.Intents);
            Assert.False(recorder.Started);
        }

        private sealed class UnwritableJournal : IRunRecorder
        {
            public int BeginAttempts { get; private set; }

            public int Intents { get; private set; }

            public void Begin(NewApiSyncRun run, IReadOnlyList<int> plannedChannelIds)
            {
                BeginAttempts++;
                throw new NewApiException(NewApiErrorKind.JournalUnwritable, "The runs folder cannot be written.");
            }

            public void Intent(NewApiSyncResult pending) => Intents++;

            public void Record(NewApiSyncResult result)
            {
            }

            public void Complete(NewApiSyncRun summary)
            {
            }

            public void Dispose()
            {
            }
        }
    }
}
