using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// Invoke-NewApiModelSync's engine: for each channel, fetch the upstream list through New API, plan, ask, and
    /// write <c>{"id", "models"}</c> only when the set of models changed.
    /// </summary>
    public sealed class ModelSyncRunner
    {
        private readonly RunContext _context;
        private readonly SyncPlanner _planner;
        private readonly ChannelUpdater _updater;

        public ModelSyncRunner(RunContext context, SyncPlanner planner)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
            _planner = planner ?? throw new ArgumentNullException(nameof(planner));
            _updater = new ChannelUpdater(context);
        }

        /// <summary>
        /// Runs after a channel synced successfully and before its record is final (redirect after sync). It may add
        /// to the record; its failures are its own business and must not fail the sync.
        /// </summary>
        public Func<Channel, NewApiSyncResult, CancellationToken, Task>? AfterChannelSynced { get; set; }

        /// <summary>Every channel of the site, as targets ("run all"), through the run's limiter and retries.</summary>
        public async Task<IReadOnlyList<ChannelTarget>> ListAllAsync(Action<int, int?>? onPage, CancellationToken cancellationToken)
        {
            IReadOnlyList<Channel> channels = await _context.Retry.ExecuteAsync(
                async ct => await _context.Client.ListChannelsAsync(null, onPage, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            return channels.Select(c => new ChannelTarget(c)).ToArray();
        }

        public Task<NewApiSyncRun> RunAsync(NewApiSyncRun run, IReadOnlyList<ChannelTarget> targets, IRunRecorder recorder, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            run.Kind = RunKind.Sync;
            return new ChannelBatchRunner(_context).RunAsync(run, targets, (target, result, ct) => SyncChannelAsync(target, result, callbacks, ct), recorder, callbacks, cancellationToken);
        }

        private async Task<NewApiSyncResult> SyncChannelAsync(ChannelTarget target, NewApiSyncResult result, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            Channel channel = target.Channel ?? await ReadChannelAsync(target.Id, cancellationToken).ConfigureAwait(false);
            result.ChannelName = channel.Name;
            result.OldModels = channel.Models;
            result.NewModels = channel.Models;

            // Attempts is 1 plus every retry of the channel's requests, counted on the record as they happen so a
            // channel that fails still says how often it was tried.
            result.Attempts = 0;
            IReadOnlyList<string> upstream = await _context.Retry.ExecuteAsync(
                async ct =>
                {
                    result.Attempts++;
                    return await _context.Client.FetchUpstreamModelsAsync(channel.Id, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);

            SyncPlan plan = _planner.Plan(channel, upstream);
            if (plan.SkipReason is string skip)
            {
                result.Status = ChannelResultStatus.Skipped;
                result.Reason = skip;
                return result;
            }

            if (!plan.NeedsWrite)
            {
                result.Status = ChannelResultStatus.Succeeded;
                result.Reason = "Already in line with its upstream; nothing written.";
                await RunAfterSyncAsync(channel, result, cancellationToken).ConfigureAwait(false);
                return result;
            }

            result.AddedModels = plan.Diff.Added.ToArray();
            result.RemovedModels = plan.Diff.Removed.ToArray();
            result.NewModels = plan.NewModels.ToArray();
            if (!await callbacks.ConfirmAsync(channel.ToString(), $"Update models ({plan.Diff})").ConfigureAwait(false))
            {
                result.Status = ChannelResultStatus.Skipped;
                result.Reason = "Not written: -WhatIf, or the change was declined.";
                return result;
            }

            Channel? written = await _updater.WriteAsync(
                new ChannelUpdate(channel.Id) { Models = plan.NewModels },
                current => current.ModelList.SetEquals(plan.NewModels),
                () => result.Attempts++,
                cancellationToken).ConfigureAwait(false);
            result.Status = ChannelResultStatus.Succeeded;
            result.Changed = true;
            _context.Log.Verbose($"{channel}: models updated ({plan.Diff}).");
            await RunAfterSyncAsync(written ?? channel, result, cancellationToken).ConfigureAwait(false);
            return result;
        }

        private async Task RunAfterSyncAsync(Channel channel, NewApiSyncResult result, CancellationToken cancellationToken)
        {
            if (AfterChannelSynced is null)
            {
                return;
            }

            try
            {
                await AfterChannelSynced(channel, result, cancellationToken).ConfigureAwait(false);
            }
            catch (NewApiException ex) when (!ex.IsFatalForRun)
            {
                _context.Log.Warning($"{channel}: synced, but the follow-up step failed: {ex.Message}");
            }
        }

        private Task<Channel> ReadChannelAsync(int id, CancellationToken cancellationToken) =>
            _context.Retry.ExecuteAsync(async ct => await _context.Client.GetChannelAsync(id, ct).ConfigureAwait(false), cancellationToken).AsTask();
    }
}
