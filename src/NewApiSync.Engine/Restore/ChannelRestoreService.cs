using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Storage;

namespace NewApiSync.Engine.Restore
{
    /// <summary>
    /// A site's restore runs: the records to undo (given, or read from the journal by run id), the run lock, and the run
    /// itself, journaled as Kind Restore, Mode Selected.
    /// </summary>
    public sealed class ChannelRestoreService
    {
        private readonly NewApiConnection _connection;
        private readonly INewApiLog _log;

        public ChannelRestoreService(NewApiConnection connection, int historyRetention = SyncJournal.DefaultHistoryRetention, INewApiLog? log = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _log = log ?? NullNewApiLog.Instance;
            DataRoot = connection.DataDirectory ?? DataDirectory.ResolveRoot();
            Journal = SyncJournal.ForSite(DataRoot, connection.BaseUrl, connection.UserId, _log.Warning);
            Journal.HistoryRetention = historyRetention;
        }

        public string DataRoot { get; }

        public SyncJournal Journal { get; }

        public TimeProvider Time { get; set; } = TimeProvider.System;

        /// <summary>
        /// The records of run <paramref name="runId"/> (only <paramref name="channelIds"/> when given), or null when the
        /// site's journal has no such run. Throws <see cref="ArgumentException"/> for a malformed run id.
        /// </summary>
        public IReadOnlyList<NewApiSyncResult>? ReadRun(string runId, IReadOnlyCollection<int>? channelIds = null)
        {
            if (!Journal.ReadRuns(new RunQuery { RunId = runId }).Any())
            {
                return null;
            }

            return Journal.ReadResults(new ResultQuery { RunId = runId, ChannelIds = channelIds }).ToArray();
        }

        /// <summary>
        /// Runs a restore. Throws <see cref="ArgumentException"/> when a record belongs to another site, NewApiException
        /// RunInProgress when another run holds the site, the first run-fatal failure (after journaling every channel), or
        /// OperationCanceledException when stopped.
        /// </summary>
        public async Task<NewApiSyncRun> RunAsync(ChannelRestoreRequest request, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            request.Options.Validate();
            CheckSameSite(request.Records);
            IReadOnlyList<RestorePlan> plans = RestorePlan.FromRecords(request.Records);
            using SiteRunLock? siteLock = request.WhatIf ? null : SiteRunLock.AcquireForRun(DataRoot, _connection.BaseUrl, _connection.UserId, "restore run", cancellationToken);
            using RunContext context = RunContext.Create(_connection, request.Options, _log);
            var runner = new ChannelRestoreRunner(context) { Force = request.Force };

            DateTimeOffset started = Time.GetUtcNow();
            var run = new NewApiSyncRun
            {
                RunId = RunIds.New(started),
                Kind = RunKind.Restore,
                BaseUrl = _connection.BaseUrl,
                UserId = _connection.UserId,
                Mode = RunMode.Selected,
                StartedAt = started,
                WhatIf = request.WhatIf,
            };
            _log.Verbose($"Restore run {run.RunId} of {plans.Count} channel(s) on {_connection.BaseUrl} from run(s) {string.Join(", ", request.Records.Select(r => r.RunId).Distinct(StringComparer.Ordinal))}{(request.Force ? ", -Force: channels changed since are restored too" : string.Empty)}.");

            if (request.WhatIf)
            {
                return await runner.RunAsync(run, plans, NullRunRecorder.Instance, callbacks, cancellationToken).ConfigureAwait(false);
            }

            using var recorder = new JournalRunRecorder(Journal);
            return await runner.RunAsync(run, plans, recorder, callbacks, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Throws <see cref="ArgumentException"/> when a record is not of this connection's site: ids mean different channels elsewhere.</summary>
        public void CheckSameSite(IEnumerable<NewApiSyncResult> records)
        {
            string site = DataDirectory.SiteKey(_connection.BaseUrl, _connection.UserId);
            foreach (NewApiSyncResult record in records)
            {
                if (!string.Equals(SiteKeyOrNull(record.BaseUrl), site, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"Channel #{record.ChannelId} of run {record.RunId} belongs to {(string.IsNullOrEmpty(record.BaseUrl) ? "no known site" : record.BaseUrl)}, not to {_connection.BaseUrl}: channel ids mean different channels on another site.",
                        nameof(records));
                }
            }
        }

        private string? SiteKeyOrNull(string baseUrl)
        {
            try
            {
                return string.IsNullOrEmpty(baseUrl) ? null : DataDirectory.SiteKey(baseUrl, _connection.UserId);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
