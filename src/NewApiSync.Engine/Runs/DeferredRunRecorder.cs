using System;
using System.Collections.Generic;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// Journals a run only once it has something to say. Until a channel is written, found in line, skipped for a
    /// reason or fails for a real cause, the run's start and records are held back; a run that ends with nothing but
    /// channels that do not exist (-Id 999) and changes declined at the prompt (No, No to All) leaves no run in the
    /// journal, because nothing happened on the server. Held-back records never involve a write: the first write's
    /// intent record (<see cref="Intent"/>) starts the run in the journal before the write is sent.
    /// </summary>
    public sealed class DeferredRunRecorder : IRunRecorder
    {
        private readonly IRunRecorder _inner;
        private readonly object _gate = new object();
        private readonly List<NewApiSyncResult> _held = new List<NewApiSyncResult>();
        private NewApiSyncRun? _run;
        private IReadOnlyList<int>? _planned;
        private bool _started;

        public DeferredRunRecorder(IRunRecorder inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

        /// <summary>True once the run has reached the inner recorder (the journal).</summary>
        public bool Started
        {
            get
            {
                lock (_gate)
                {
                    return _started;
                }
            }
        }

        public void Begin(NewApiSyncRun run, IReadOnlyList<int> plannedChannelIds)
        {
            lock (_gate)
            {
                _run = run;
                _planned = plannedChannelIds;
            }
        }

        /// <summary>A write is about to be sent: the run starts in the journal now, so its header and undo record precede the write.</summary>
        public void Intent(NewApiSyncResult pending)
        {
            lock (_gate)
            {
                StartLocked();
                _inner.Intent(pending);
            }
        }

        public void Record(NewApiSyncResult result)
        {
            lock (_gate)
            {
                if (!_started && IsNothing(result))
                {
                    _held.Add(result);
                    return;
                }

                StartLocked();
                _inner.Record(result);
            }
        }

        public void Complete(NewApiSyncRun summary)
        {
            lock (_gate)
            {
                if (!_started && _held.TrueForAll(IsNothingAtAll))
                {
                    return; // nothing happened: no run in the journal
                }

                StartLocked();
                _inner.Complete(summary);
            }
        }

        public void Dispose() => _inner.Dispose();

        /// <summary>A record that may not need journaling: a channel that does not exist, a declined change, or a channel never reached.</summary>
        private static bool IsNothing(NewApiSyncResult result) =>
            IsNothingAtAll(result) || result.Status == ChannelResultStatus.Cancelled;

        /// <summary>A record that never needs journaling on its own.</summary>
        private static bool IsNothingAtAll(NewApiSyncResult result) =>
            RunPreview.IsDeclined(result) || (result.Status == ChannelResultStatus.Failed && result.ErrorKind == NewApiErrorKind.NotFound);

        private void StartLocked()
        {
            if (_started)
            {
                return;
            }

            // Started only once the journal took the run: when it cannot (JournalUnwritable), every later write's intent
            // tries again and fails the same way, so no write is ever sent without its undo record.
            _inner.Begin(_run ?? throw new InvalidOperationException("Begin was not called."), _planned ?? Array.Empty<int>());
            _started = true;
            foreach (NewApiSyncResult held in _held)
            {
                _inner.Record(held);
            }

            _held.Clear();
        }
    }
}
