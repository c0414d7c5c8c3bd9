using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// Records a run into the site's journal as it happens: the run-start line, an intent line before each write, one line
    /// per channel, the run-end line. A journal that cannot be written (disk full, read-only or missing folder) surfaces as
    /// NewApiException JournalUnwritable naming the folder, so the run stops before sending a write without an undo record.
    /// </summary>
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
            _writer = Guard("the run's start", () => _journal.BeginRun(run));
        }

        public void Intent(NewApiSyncResult pending) => Guard($"the undo record of channel #{pending.ChannelId}", () => Writer.AppendIntent(pending));

        public void Record(NewApiSyncResult result) => Guard($"the record of channel #{result.ChannelId}", () => Writer.Append(result));

        public void Complete(NewApiSyncRun summary)
        {
            summary.NextScheduledTime ??= _nextScheduledTime?.Invoke();
            Guard("the run's end", () => Writer.Complete(summary));
        }

        private void Guard(string what, Action write) => Guard(what, () =>
        {
            write();
            return true;
        });

        private T Guard<T>(string what, Func<T> write)
        {
            try
            {
                return write();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException ||
                                       (ex is InvalidOperationException && _writer is not null))
            {
                throw new NewApiException(NewApiErrorKind.JournalUnwritable,
                    $"NewApiSync could not write {what} to its journal in '{_journal.RunsDirectory}' ({ex.Message}). No change is sent without its undo record on disk, so the run stopped; channels finished before this are in the output and the journal.",
                    ex);
            }
        }

        private JournalRunWriter Writer => _writer ?? throw new InvalidOperationException("Begin was not called.");

        /// <summary>Without a prior Complete, the run stays Interrupted in the journal.</summary>
        public void Dispose() => _writer?.Dispose();
    }
}
