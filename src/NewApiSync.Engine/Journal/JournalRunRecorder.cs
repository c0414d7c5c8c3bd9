using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Journal
{
    /// <summary>Records a run into the site's journal as it happens: the run-start line, one line per channel, the run-end line.</summary>
    public sealed class JournalRunRecorder : IRunRecorder
    {
        private readonly SyncJournal _journal;
        private readonly Func<DateTimeOffset?>? _nextScheduledTime;
        private JournalRunWriter? _writer;

        /// <param name="nextScheduledTime">When auto-sync will next run, asked at the end of the run (null when it is off).</param>
        public JournalRunRecorder(SyncJournal journal, Func<DateTimeOffset?>? nextScheduledTime = null)
        {
            _journal = journal ?? throw new ArgumentNullException(nameof(journal));
            _nextScheduledTime = nextScheduledTime;
        }

        public string? FilePath => _writer?.FilePath;

        public void Begin(NewApiSyncRun run, IReadOnlyList<int> plannedChannelIds)
        {
            if (_writer is not null)
            {
                throw new InvalidOperationException("This recorder already records a run.");
            }

            run.PlannedChannelIds = plannedChannelIds.ToArray();
            _writer = _journal.BeginRun(run);
        }

        public void Record(NewApiSyncResult result) => Writer.Append(result);

        public void Complete(NewApiSyncRun summary)
        {
            summary.NextScheduledTime ??= _nextScheduledTime?.Invoke();
            Writer.Complete(summary);
        }

        private JournalRunWriter Writer => _writer ?? throw new InvalidOperationException("Begin was not called.");

        /// <summary>Without a prior Complete, the run stays Interrupted in the journal.</summary>
        public void Dispose() => _writer?.Dispose();
    }
}
