using System;
using System.Collections.Generic;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// Puts each channel's failure streak on its sync record before the record is journaled and streamed (the batch
    /// runner records a result before it emits it): a failed channel's ConsecutiveFailures is its streak in the journal
    /// plus this run, and FailingSince is when that streak began.
    /// </summary>
    internal sealed class FailureStreakRecorder : IRunRecorder
    {
        private readonly IRunRecorder _inner;
        private readonly ChannelHealth _before;

        public FailureStreakRecorder(IRunRecorder inner, ChannelHealth before)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            _before = before ?? throw new ArgumentNullException(nameof(before));
        }

        public void Begin(NewApiSyncRun run, IReadOnlyList<int> plannedChannelIds) => _inner.Begin(run, plannedChannelIds);

        public void Intent(NewApiSyncResult pending) => _inner.Intent(pending);

        public void Record(NewApiSyncResult result)
        {
            if (result.Status == ChannelResultStatus.Failed)
            {
                result.ConsecutiveFailures = _before.FailuresInARow(result.ChannelId) + 1;
                result.FailingSince = _before.FailingSince(result.ChannelId) ?? result.StartedAt;
            }

            _inner.Record(result);
        }

        public void Complete(NewApiSyncRun summary) => _inner.Complete(summary);

        /// <summary>Nothing: the inner recorder belongs to the run scope that created it, which disposes it.</summary>
        public void Dispose()
        {
        }
    }
}
