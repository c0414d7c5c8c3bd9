using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Tests.Support
{
    /// <summary>Keeps what a run records, in order, so tests can check every channel ended exactly once.</summary>
    internal sealed class ListRecorder : IRunRecorder
    {
        private readonly ConcurrentQueue<NewApiSyncResult> _results = new ConcurrentQueue<NewApiSyncResult>();

        public NewApiSyncRun? Header { get; private set; }

        public IReadOnlyList<int> Planned { get; private set; } = new int[0];

        public NewApiSyncRun? Summary { get; private set; }

        public List<NewApiSyncResult> Results => _results.ToList();

        public NewApiSyncResult For(int channelId) => Results.Single(r => r.ChannelId == channelId);

        public void Begin(NewApiSyncRun run, IReadOnlyList<int> plannedChannelIds)
        {
            Header = run;
            Planned = plannedChannelIds;
        }

        /// <summary>The undo records written before each write, in order.</summary>
        public List<NewApiSyncResult> Intents => _intents.ToList();

        private readonly ConcurrentQueue<NewApiSyncResult> _intents = new ConcurrentQueue<NewApiSyncResult>();

        public void Intent(NewApiSyncResult pending) => _intents.Enqueue(pending);

        public void Record(NewApiSyncResult result) => _results.Enqueue(result);

        public void Complete(NewApiSyncRun summary) => Summary = summary;

        public void Dispose() { }
    }
}
