using System;
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
using NewApiSync.Engine.Sync;

namespace NewApiSync.Engine.Site
{
    /// <summary>
    /// A site's sync runs: the choice of channels for -FailedOnly and -IfDue, the mapping follow-up, and the run itself
    /// under the site's lock and journal. Everything the sync cmdlets do lives here.
    /// </summary>
    public sealed class ModelSyncService
    {
        private readonly SiteRunScope _site;

        public ModelSyncService(NewApiConnection connection, SyncSettings settings, INewApiLog? log = null) =>
            _site = new SiteRunScope(connection, settings, log);

        public SyncSettings Settings => _site.Settings;

        public SyncJournal Journal => _site.Journal;

        public TimeProvider Time
        {
            get => _site.Time;
            set => _site.Time = value;
        }

        /// <summary>Run options from the saved settings (explicit parameters then override single values).</summary>
        public RunOptions DefaultOptions() => _site.DefaultOptions();

        /// <summary>The last sync run and the channels of it that failed, were cancelled or were never reached.</summary>
        public (NewApiSyncRun? LastRun, IReadOnlyList<int> ChannelIds) FailedOnlyTargets()
        {
            NewApiSyncRun? last = Journal.LastRun(RunKind.Sync);
            return last is null ? (null, Array.Empty<int>()) : (last, Journal.UnfinishedChannelIds(last.RunId));
        }

        /// <summary>The scheduled-sync decision from the settings and the journal's last full run, on this service's clock.</summary>
        public AutoSyncSchedule Schedule() => new AutoSyncSchedule(Settings, Journal.LastRun(RunKind.Sync, fullRunsOnly: true), Time);

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

            var planner = new SyncPlanner(request.Filter, request.Policy);
            SyncMappingFollowUp? followUp = FollowUp(request);
            ShrinkGuard guard = request.Force ? ShrinkGuard.Off : new ShrinkGuard(request.ShrinkGuardPercent ?? Settings.ShrinkGuardPercent);
            ChannelHealth health = null!;
            return await _site.RunAsync(
                RunKind.Sync,
                request.Mode,
                request.WhatIf,
                request.Options,
                async (context, ct) =>
                {
                    IReadOnlyList<ChannelTarget> targets = await ChannelTargets.ResolveAsync(context, request.Channels, request.ChannelIds, ct, callbacks.Listed).ConfigureAwait(false);
                    health = ChannelHealth.Read(Journal, targets.Select(t => t.Id).ToArray());
                    return HealthyFirst(targets, health);
                },
                (context, run, targets, recorder) => new ModelSyncRunner(context, planner, followUp, guard, request.Exclusion)
                    .RunAsync(run, targets, new FailureStreakRecorder(recorder, health), callbacks, cancellationToken),
                $"{request.Filter}, {request.Policy}, {request.Exclusion}, {guard}{(request.RedirectAfterSync ? ", redirect after sync" : string.Empty)}{(request.PruneMissingTargets ? ", prune missing targets" : string.Empty)}",
                () => NextScheduledTime(request.Mode),
                cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Each channel's failure streak and pending removals, from this site's journal.</summary>
        public ChannelHealth ReadHealth() => ChannelHealth.Read(Journal);

        /// <summary>
        /// Channels whose latest sync failed go after the others, each group in its given order, so a stalled upstream
        /// never delays the healthy channels; results still stream as channels finish.
        /// </summary>
        public static IReadOnlyList<ChannelTarget> HealthyFirst(IReadOnlyList<ChannelTarget> targets, ChannelHealth health)
        {
            if (targets is null)
            {
                throw new ArgumentNullException(nameof(targets));
            }

            if (health is null)
            {
                throw new ArgumentNullException(nameof(health));
            }

            ChannelTarget[] failing = targets.Where(t => health.IsFailing(t.Id)).ToArray();
            return failing.Length == 0 ? targets : targets.Where(t => !health.IsFailing(t.Id)).Concat(failing).ToArray();
        }

        private SyncMappingFollowUp? FollowUp(ModelSyncRequest request)
        {
            if (!request.RedirectAfterSync && !request.PruneMissingTargets)
            {
                return null;
            }

            RedirectPlanner? redirect = request.RedirectAfterSync
                ? new RedirectPlanner(Settings.StandardModelsInUse())
                : null;
            return new SyncMappingFollowUp(redirect, request.PruneMissingTargets);
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
    }
}
