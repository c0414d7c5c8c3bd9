using System;
using System.IO;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// Writes one run's file: the run-start line on creation, a channel line per <see cref="Append"/>, the run-end line on
    /// <see cref="Complete"/>. Every line is flushed to disk before the call returns, so a run killed at any point leaves
    /// each finished channel on disk. Disposing without Complete leaves the run Interrupted. Thread-safe.
    /// </summary>
    public sealed class JournalRunWriter : IDisposable
    {
        private readonly SyncJournal _journal;
        private readonly object _gate = new();
        private readonly NewApiSyncRun _header;
        private FileStream? _stream;
        private bool _completed;
        private Exception? _failure;

        private JournalRunWriter(SyncJournal journal, string filePath, NewApiSyncRun header, FileStream stream)
        {
            _journal = journal;
            _header = header;
            FilePath = filePath;
            RunId = header.RunId;
            _stream = stream;
        }

        public string RunId { get; }

        /// <summary>The run's .jsonl file.</summary>
        public string FilePath { get; }

        internal static JournalRunWriter Create(SyncJournal journal, string filePath, NewApiSyncRun header)
        {
            byte[] line = JournalFormat.RunStartLine(header);
            FileStream stream;
            try
            {
                // FileShare.Read is the liveness lock readers and pruning test for (see JournalFormat).
                stream = new FileStream(filePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
            }
            catch (IOException ex) when (File.Exists(filePath))
            {
                throw new InvalidOperationException($"The journal already has a run '{header.RunId}' ({filePath}); every run needs a new RunId.", ex);
            }

            var writer = new JournalRunWriter(journal, filePath, header, stream);
            try
            {
                writer.WriteLine(line);
            }
            catch
            {
                writer.Dispose();
                throw;
            }

            return writer;
        }

        /// <summary>Writes one channel's record and flushes it to disk before returning.</summary>
        public void Append(NewApiSyncResult result)
        {
            CheckRunId(result ?? throw new ArgumentNullException(nameof(result)), result.RunId, nameof(result));

            // Serialize outside the lock: concurrent workers only queue for the write itself.
            byte[] line = JournalFormat.ChannelLine(result);
            lock (_gate)
            {
                ThrowIfNotWritable();
                WriteLine(line);
            }
        }

        /// <summary>
        /// Writes a channel's intent line (the undo record of a write about to be sent) and flushes it to disk before
        /// returning; it does not count as the channel's outcome (see <see cref="JournalFormat"/>).
        /// </summary>
        public void AppendIntent(NewApiSyncResult pending)
        {
            CheckRunId(pending ?? throw new ArgumentNullException(nameof(pending)), pending.RunId, nameof(pending));
            byte[] line = JournalFormat.IntentLine(pending);
            lock (_gate)
            {
                ThrowIfNotWritable();
                WriteLine(line);
            }
        }

        /// <summary>
        /// Writes the run-end line with the final summary, closes the file, then prunes the site's journal to
        /// <see cref="SyncJournal.HistoryRetention"/> runs (a pruning failure is reported as a warning, not thrown).
        /// </summary>
        public void Complete(NewApiSyncRun summary)
        {
            CheckRunId(summary ?? throw new ArgumentNullException(nameof(summary)), summary.RunId, nameof(summary));
            byte[] line = JournalFormat.RunEndLine(summary);
            lock (_gate)
            {
                ThrowIfNotWritable();
                WriteLine(line);
                _completed = true;
                CloseStream();
            }

            try
            {
                _journal.Prune(_journal.HistoryRetention);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _journal.Warn($"Could not prune the journal in '{_journal.RunsDirectory}': {ex.Message}");
            }
        }

        /// <summary>Closes the file; without a prior <see cref="Complete"/> the run reads as Interrupted.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                CloseStream();
            }
        }

        private void CheckRunId(object record, string runId, string parameterName)
        {
            if (!string.Equals(runId, RunId, StringComparison.Ordinal))
            {
                string what = record is NewApiSyncResult result ? $"The result for channel {result.ChannelId}" : "The summary";
                throw new ArgumentException($"{what} has RunId '{runId}', not this run's '{RunId}'.", parameterName);
            }
        }

        private void WriteLine(byte[] line)
        {
            try
            {
                if (_journal.ByteBudget is long budget)
                {
                    // The disk-full stand-in for tests: write what fits, like a full disk does, then fail.
                    int fits = (int)Math.Max(0, Math.Min(line.Length, budget));
                    _journal.ByteBudget = budget - fits;
                    if (fits < line.Length)
                    {
                        _stream!.Write(line, 0, fits);
                        _stream.Flush(flushToDisk: true);
                        throw new IOException("No space left on device (the journal's test byte budget is used up).");
                    }
                }

                _stream!.Write(line, 0, line.Length);
                _stream.Flush(flushToDisk: true);
            }
            catch (Exception ex)
            {
                // A partial line may now sit at the end of the file; writing after it would bury it mid-file.
                _failure = ex;
                throw;
            }
        }

        private void ThrowIfNotWritable()
        {
            if (_completed)
            {
                throw new InvalidOperationException($"Run '{RunId}' is already complete.");
            }

            if (_stream is null)
            {
                throw new ObjectDisposedException(nameof(JournalRunWriter), $"The journal writer of run '{RunId}' is closed.");
            }

            if (_failure != null)
            {
                throw new InvalidOperationException($"An earlier write to the journal of run '{RunId}' failed: {_failure.Message}", _failure);
            }
        }

        private void CloseStream()
        {
            _stream?.Dispose();
            _stream = null;
        }
    }
}
