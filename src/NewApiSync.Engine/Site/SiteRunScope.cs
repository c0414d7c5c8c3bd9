using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Storage;

namespace NewApiSync.Engine.Site
{
    /// <summary>
    /// What every journaled run of one site shares, whatever it does (sync, redirect, clear, repair, restore): the data
    /// folder and journal, the saved settings, the site run lock that keeps two runs from writing at once, and the run
    /// header. The composition root of a site's runs: the services of this folder build one and hand the generic run
    /// machinery (Runs) what it needs.
    /// </summary>
    public sealed class SiteRunScope
    {
        public SiteRunScope(NewApiConnection connection, SyncSettings settings, INewApiLog? log = null)
        {
            Connection = connection ?? throw new ArgumentNullException(nameof(connection));
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            Log = log ?? NullNewApiLog.Instance;
            DataRoot = DataDirectory.RootFor(connection);
            Journal = SyncJournal.ForSite(DataRoot, connection.BaseUrl, connection.UserId, Log.Warning);
            Journal.HistoryRetention = settings.HistoryRetention;
        }

        public NewApiConnection Connection { get; }

        public SyncSettings Settings { get; }

        public INewApiLog Log { get; }

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

        public NewApiSyncRun NewRun(RunKind kind, RunMode mode, bool whatIf)
        {
            DateTimeOffset started = Time.GetUtcNow();
            return new NewApiSyncRun
            {
                RunId = RunIds.New(started),
                Kind = kind,
                BaseUrl = Connection.BaseUrl,
                UserId = Connection.UserId,
                Mode = mode,
                StartedAt = started,
                WhatIf = whatIf,
            };
        }

        /// <summary>
        /// The site's run lock, or null under -WhatIf (a preview writes nothing, so it never blocks a real run).
        /// Throws RunInProgress naming the holder when another run, in any process, has the site.
        /// </summary>
        public SiteRunLock? AcquireLock(RunKind kind, bool whatIf, CancellationToken cancellationToken)
        {
            if (whatIf)
            {
                return null;
            }

            SiteRunLock? acquired = SiteRunLock.TryAcquire(DataRoot, Connection.BaseUrl, Connection.UserId, TimeSpan.Zero, cancellationToken, kind.ToString().ToLowerInvariant() + " run");
            if (acquired is not null)
            {
                return acquired;
            }

            RunLockHolder? holder = SiteRunLock.ReadHolder(DataRoot, Connection.BaseUrl, Connection.UserId);
            throw new NewApiException(NewApiErrorKind.RunInProgress,
                $"Another run for {Connection.BaseUrl} is writing: {holder?.ToString() ?? "a run of another process is still running"}. Two runs for one site never write at once.");
        }

        /// <summary>
        /// The one skeleton of every journaled run (sync, redirect, clear, restore): validate the options, take the site's
        /// lock, make the run's context (one client, one token bucket, one retry policy), resolve the channels, start the
        /// run header and recorder, and hand them to <paramref name="execute"/>, which runs each channel through
        /// <see cref="ChannelWritePipeline"/>.
        /// </summary>
        /// <param name="resolveTargets">The channels to touch, resolved with the run's context (after the lock is taken).</param>
        /// <param name="execute">The run itself: context, run header, targets and recorder in, the finished run out.</param>
        /// <param name="describe">The options worth a verbose line, e.g. "concurrency 2, 20 requests/min".</param>
        public async Task<NewApiSyncRun> RunAsync(
            RunKind kind,
            RunMode mode,
            bool whatIf,
            RunOptions options,
            Func<RunContext, CancellationToken, Task<IReadOnlyList<ChannelTarget>>> resolveTargets,
            Func<RunContext, NewApiSyncRun, IReadOnlyList<ChannelTarget>, IRunRecorder, Task<NewApiSyncRun>> execute,
            string describe,
            Func<DateTimeOffset?>? nextScheduledTime,
            CancellationToken cancellationToken)
        {
            if (options is null)
            {
                throw new ArgumentNullException(nameof(options));
            }

            options.Validate();
            using SiteRunLock? siteLock = AcquireLock(kind, whatIf, cancellationToken);
            using RunContext context = RunContext.Create(Connection, options, Log);
            IReadOnlyList<ChannelTarget> targets = await resolveTargets(context, cancellationToken).ConfigureAwait(false);
            NewApiSyncRun run = NewRun(kind, mode, whatIf);
            Log.Verbose($"{kind} run {run.RunId} ({mode}) of {targets.Count} channel(s) on {run.BaseUrl}: concurrency {options.Concurrency}, {options.RequestsPerMinute:0.#} requests/min, burst {options.Burst}, {options.MaxRetries} retries{(string.IsNullOrEmpty(describe) ? string.Empty : ", " + describe)}.");
            using IRunRecorder recorder = CreateRecorder(whatIf, nextScheduledTime);
            return await execute(context, run, targets, recorder).ConfigureAwait(false);
        }

        /// <summary>Where a run's records go: nowhere under -WhatIf (a preview leaves no history), else the journal once the run has done something (see DeferredRunRecorder).</summary>
        public IRunRecorder CreateRecorder(bool whatIf, Func<DateTimeOffset?>? nextScheduledTime = null) =>
            whatIf ? NullRunRecorder.Instance : new DeferredRunRecorder(new JournalRunRecorder(Journal, nextScheduledTime));
    }
}
