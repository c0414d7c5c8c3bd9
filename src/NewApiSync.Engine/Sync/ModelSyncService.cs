using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Storage;

namespace NewApiSync.Engine.Sync
{
    /// <summary>What one sync run should do.</summary>
    public sealed class ModelSyncRequest
    {
        public RunMode Mode { get; set; } = RunMode.All;

        /// <summary>Channels already read (piped in); used as they are.</summary>
        public IReadOnlyList<Channel>? Channels { get; set; }

        /// <summary>Channel ids to read first; a missing one fails alone.</summary>
        public IReadOnlyList<int>? ChannelIds { get; set; }

        public RunOptions Options { get; set; } = new RunOptions();

        public ModelFilter Filter { get; set; } = ModelFilter.None;

        /// <summary>-WhatIf: plan and preview, write nothing, take no lock and leave no journal.</summary>
        public bool WhatIf { get; set; }
    }

    /// <summary>
    /// A site's sync runs: the run lock (two runs for one site never both write), the journal, the choice of
    /// channels for -FailedOnly and -IfDue, and the run itself. Everything the sync cmdlets do lives here.
    /// </summary>
    public sealed class ModelSyncService
    {
        /// <summary>Above this many ids, one paged listing is cheaper than one GET per channel.</summary>
        private const int ListInsteadOfGetAbove = 20;

        private readonly NewApiConnection _connection;
        private readonly INewApiLog _log;

        public ModelSyncService(NewApiConnection connection, SyncSettings settings, INewApiLog? log = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _log = log ?? NullNewApiLog.Instance;
            DataRoot = connection.DataDirectory ?? DataDirectory.ResolveRoot();
            Journal = SyncJournal.ForSite(DataRoot, connection.BaseUrl, connection.UserId, _log.Warning);
            Journal.HistoryRetention = settings.HistoryRetention;
        }

        public SyncSettings Settings { get; }

        public string DataRoot { get; }

        public SyncJournal Journal { get; }

        public TimeProvider Time { get; set; } = TimeProvider.System;

        /// <summary>Run options from the saved settings (explicit parameters then override single values).</summary>
        public RunOptions DefaultOptions() => new RunOptions
        {
            Concurrency = Settings.Concurrency,
            MaxRetries = Settings.MaxRetries,
            RequestsPerMinute = Settings.RequestsPerMinute,
            Burst = Settings.Burst,
            ChannelTimeout = Settings.ChannelTimeoutSec > 0 ? TimeSpan.FromSeconds(Settings.ChannelTimeoutSec) : null,
        };

        /// <summary>The last sync run and the channels of it that failed, were cancelled or were never reached.</summary>
        public (NewApiSyncRun? LastRun, IReadOnlyList<int> ChannelIds) FailedOnlyTargets()
        {
            NewApiSyncRun? last = Journal.LastRun(RunKind.Sync);
            return last is null ? (null, Array.Empty<int>()) : (last, Journal.UnfinishedChannelIds(last.RunId));
        }

        public AutoSyncSchedule Schedule() => new AutoSyncSchedule(Settings, Journal.LastRun(RunKind.Sync, fullRunsOnly: true));

        /// <summary>
        /// Runs a sync. Throws <see cref="NewApiException"/> RunInProgress when another run holds the site, the first
        /// run-fatal failure (after journaling every channel), or OperationCanceledException when stopped.
        /// </summary>
        public async Task<NewApiSyncRun> RunAsync(ModelSyncRequest request, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            request.Options.Validate();
            using SiteRunLock? siteLock = request.WhatIf ? null : AcquireLock(cancellationToken);
            using RunContext context = RunContext.Create(_connection, request.Options, _log);
            var runner = new ModelSyncRunner(context, new SyncPlanner(request.Filter));
            IReadOnlyList<ChannelTarget> targets = await ResolveTargetsAsync(runner, request, cancellationToken).ConfigureAwait(false);

            DateTimeOffset started = Time.GetUtcNow();
            var run = new NewApiSyncRun
            {
                RunId = RunIds.New(started),
                Kind = RunKind.Sync,
                BaseUrl = _connection.BaseUrl,
                UserId = _connection.UserId,
                Mode = request.Mode,
                StartedAt = started,
                WhatIf = request.WhatIf,
            };
            _log.Verbose($"Sync run {run.RunId} ({request.Mode}) of {targets.Count} channel(s) on {_connection.BaseUrl}: concurrency {request.Options.Concurrency}, {request.Options.RequestsPerMinute:0.#} requests/min, burst {request.Options.Burst}, {request.Options.MaxRetries} retries, {request.Filter}.");

            if (request.WhatIf)
            {
                return await runner.RunAsync(run, targets, NullRunRecorder.Instance, callbacks, cancellationToken).ConfigureAwait(false);
            }

            using var recorder = new JournalRunRecorder(Journal, () => NextScheduledTime(request.Mode));
            return await runner.RunAsync(run, targets, recorder, callbacks, cancellationToken).ConfigureAwait(false);
        }

        private DateTimeOffset? NextScheduledTime(RunMode mode)
        {
            if (!Settings.AutoSync)
            {
                return null;
            }

            // A full run restarts the interval; a partial one leaves the schedule where the last full run put it.
            return mode is RunMode.All or RunMode.IfDue ? Time.GetUtcNow() + Settings.Interval : Schedule().NextRunAt;
        }

        private SiteRunLock AcquireLock(CancellationToken cancellationToken)
        {
            SiteRunLock? acquired = SiteRunLock.TryAcquire(DataRoot, _connection.BaseUrl, _connection.UserId, TimeSpan.Zero, cancellationToken);
            if (acquired is not null)
            {
                return acquired;
            }

            RunLockHolder? holder = SiteRunLock.ReadHolder(DataRoot, _connection.BaseUrl, _connection.UserId);
            throw new NewApiException(NewApiErrorKind.RunInProgress,
                $"Another run for {_connection.BaseUrl} is writing: {holder?.ToString() ?? "a run of another process is still running"}. Two runs for one site never write at once.");
        }

        private static async Task<IReadOnlyList<ChannelTarget>> ResolveTargetsAsync(ModelSyncRunner runner, ModelSyncRequest request, CancellationToken cancellationToken)
        {
            var targets = new List<ChannelTarget>();
            var seen = new HashSet<int>();
            foreach (Channel channel in request.Channels ?? Array.Empty<Channel>())
            {
                if (seen.Add(channel.Id))
                {
                    targets.Add(new ChannelTarget(channel));
                }
            }

            int[] ids = (request.ChannelIds ?? Array.Empty<int>()).Where(seen.Add).ToArray();
            if (request.Channels is null && request.ChannelIds is null)
            {
                return await runner.ListAllAsync(null, cancellationToken).ConfigureAwait(false);
            }

            if (ids.Length > ListInsteadOfGetAbove)
            {
                var listed = (await runner.ListAllAsync(null, cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id);
                targets.AddRange(ids.Select(id => listed.TryGetValue(id, out ChannelTarget? t) ? t : new ChannelTarget(id)));
            }
            else
            {
                targets.AddRange(ids.Select(id => new ChannelTarget(id)));
            }

            return targets;
        }
    }
}
