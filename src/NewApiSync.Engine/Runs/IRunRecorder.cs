using System;
using System.Collections.Generic;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// Where a run's records go as they happen (the journal). <see cref="Record"/> is called by the worker that
    /// finished the channel, before it takes its next channel, so every finished channel is on disk before the
    /// run's next write to the server. Implementations must be thread-safe. Disposing without Complete leaves
    /// the run Interrupted.
    /// </summary>
    public interface IRunRecorder : IDisposable
    {
        void Begin(NewApiSyncRun run, IReadOnlyList<int> plannedChannelIds);

        /// <summary>
        /// The undo record of a write about to be sent (old values from the fresh read, intended new values), on disk before
        /// this returns. Throws NewApiException JournalUnwritable when it cannot be stored; the write must then not be sent.
        /// </summary>
        void Intent(NewApiSyncResult pending);

        void Record(NewApiSyncResult result);

        void Complete(NewApiSyncRun summary);
    }

    /// <summary>Records nothing: -WhatIf runs change nothing, so they leave no history.</summary>
    public sealed class NullRunRecorder : IRunRecorder
    {
        public static readonly NullRunRecorder Instance = new NullRunRecorder();

        public void Begin(NewApiSyncRun run, IReadOnlyList<int> plannedChannelIds) { }

        public void Intent(NewApiSyncResult pending) { }

        public void Record(NewApiSyncResult result) { }

        public void Complete(NewApiSyncRun summary) { }

        public void Dispose() { }
    }
}
