using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Restore;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Storage;

namespace NewApiSync.Engine.Site
{
    /// <summary>
    /// A site's restore runs: the records to undo (given, or read from the journal by run id), the run lock, and the run
    /// itself, journaled as Kind Restore, Mode Selected.
    /// </summary>
    public sealed class ChannelRestoreService
    {
        private readonly SiteRunScope _scope;

        public ChannelRestoreService(NewApiConnection connection, SyncSettings settings, INewApiLog? log = null)
        {
            _scope = new SiteRunScope(connection, settings, log);
        }

        public SyncJournal Journal => _scope.Journal;

        public TimeProvider Time
        {
            get => _scope.Time;
            set => _scope.Time = value;
        }

        /// <summary>Run options from the saved settings.</summary>
        public RunOptions DefaultOptions() => _scope.DefaultOptions();

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

            CheckSameSite(request.Records);
            IReadOnlyList<RestorePlan> plans = RestorePlan.FromRecords(request.Records);
            return await _scope.RunAsync(
                RunKind.Restore,
                RunMode.Selected,
                request.WhatIf,
                request.Options,
                (context, ct) => Task.FromResult<IReadOnlyList<ChannelTarget>>(plans.Select(p => new ChannelTarget(p.ChannelId)).ToArray()),
                (context, run, targets, recorder) => new ChannelRestoreRunner(context) { Force = request.Force }.RunAsync(run, plans, recorder, callbacks, cancellationToken),
                $"from run(s) {string.Join(", ", request.Records.Select(r => r.RunId).Distinct(StringComparer.Ordinal))}{(request.Force ? ", -Force: channels changed since are restored too" : string.Empty)}",
                null,
                cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Throws <see cref="ArgumentException"/> when a record is not of this connection's site: ids mean different channels elsewhere.</summary>
        public void CheckSameSite(IEnumerable<NewApiSyncResult> records)
        {
            NewApiConnection connection = _scope.Connection;
            string site = DataDirectory.SiteKey(connection.BaseUrl, connection.UserId);
            foreach (NewApiSyncResult record in records)
            {
                if (!string.Equals(SiteKeyOrNull(record.BaseUrl, connection.UserId), site, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"Channel #{record.ChannelId} of run {record.RunId} belongs to {(string.IsNullOrEmpty(record.BaseUrl) ? "no known site" : record.BaseUrl)}, not to {connection.BaseUrl}: channel ids mean different channels on another site.",
                        nameof(records));
                }
            }
        }

        private static string? SiteKeyOrNull(string baseUrl, int userId)
        {
            try
            {
                return string.IsNullOrEmpty(baseUrl) ? null : DataDirectory.SiteKey(baseUrl, userId);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
