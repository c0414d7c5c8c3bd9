using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Sandbox;

namespace NewApiSync.Engine.Tests.Support
{
    /// <summary>
    /// A run through the production entry points (ModelSyncService, ModelRedirectService) into a throw-away data folder,
    /// and what it left: the journal's records of the run, its summary, and what was streamed. Tests observe runs the way
    /// the history commands do, instead of hand-building a runner and a recorder.
    /// </summary>
    internal sealed class JournaledRun : IDisposable
    {
        private readonly TempDataRoot _root = new TempDataRoot();
        private string? _runId;

        public JournaledRun(SandboxServer server, TimeSpan? requestTimeout = null)
        {
            Connection = Sandboxes.Connect(server, requestTimeout: requestTimeout);
            Connection.DataDirectory = _root.Path;
        }

        public NewApiConnection Connection { get; }

        public SyncJournal Journal => SyncJournal.ForSite(_root.Path, Connection.BaseUrl, Connection.UserId);

        /// <summary>Channel records as the callbacks streamed them, in the order channels finished.</summary>
        public ConcurrentQueue<NewApiSyncResult> Streamed { get; } = new ConcurrentQueue<NewApiSyncResult>();

        /// <summary>The run's journal records (every channel once, unreached ones as Cancelled).</summary>
        public List<NewApiSyncResult> Results => Journal.ReadResults(new ResultQuery { RunId = RunId }).ToList();

        /// <summary>The run's summary as the journal has it.</summary>
        public NewApiSyncRun Summary => Journal.ReadRuns(new RunQuery { RunId = RunId }).Single();

        public string RunId => _runId ?? throw new InvalidOperationException("No run started.");

        /// <summary>Observes a run started through a service of the test's own making on <see cref="Connection"/>.</summary>
        public void Adopt(string runId) => _runId = runId;

        public NewApiSyncResult For(int channelId) => Results.Single(r => r.ChannelId == channelId);

        public Task<NewApiSyncRun> SyncAsync(ModelSyncRequest request, Func<string, string, Task<bool>>? confirm = null, CancellationToken cancellationToken = default) =>
            new ModelSyncService(Connection, new SyncSettings()).RunAsync(request, Callbacks(confirm), cancellationToken);

        public Task<NewApiSyncRun> RedirectAsync(ModelRedirectRequest request, Action<NewApiModelRedirectResult> output, CancellationToken cancellationToken = default) =>
            new ModelRedirectService(Connection, new SyncSettings()).RunAsync(request, Callbacks(null), output, cancellationToken);

        private RunCallbacks Callbacks(Func<string, string, Task<bool>>? confirm) => new RunCallbacks
        {
            Started = run => _runId = run.RunId,
            Result = Streamed.Enqueue,
            Confirm = confirm,
        };

        public void Dispose() => _root.Dispose();
    }
}
