using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// Invoke-NewApiModelSync's engine: for each channel, fetch the upstream list through New API, plan, ask, and
    /// write <c>{"id", "models"}</c> only when the set of models changed (plus <c>model_mapping</c> when a mapping
    /// follow-up such as RedirectAfterSync changes it, in the same write).
    /// </summary>
    public sealed class ModelSyncRunner
    {
        private readonly RunContext _context;
        private readonly SyncPlanner _planner;
        private readonly SyncMappingFollowUp? _followUp;
        private readonly ChannelUpdater _updater;

        public ModelSyncRunner(RunContext context, SyncPlanner planner, SyncMappingFollowUp? followUp = null)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
            _planner = planner ?? throw new ArgumentNullException(nameof(planner));
            _followUp = followUp is { IsActive: true } ? followUp : null;
            _updater = new ChannelUpdater(context);
        }

        /// <summary>Every channel of the site, as targets ("run all"), through the run's limiter and retries.</summary>
        public async Task<IReadOnlyList<ChannelTarget>> ListAllAsync(Action<int, int?>? onPage, CancellationToken cancellationToken) =>
            (await SiteRunScope.ListAllAsync(_context, cancellationToken, onPage).ConfigureAwait(false)).Select(c => new ChannelTarget(c)).ToArray();

        public Task<NewApiSyncRun> RunAsync(NewApiSyncRun run, IReadOnlyList<ChannelTarget> targets, IRunRecorder recorder, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            run.Kind = RunKind.Sync;
            return new ChannelBatchRunner(_context).RunAsync(run, targets, (target, result, ct) => SyncChannelAsync(target, result, callbacks, ct), recorder, callbacks, cancellationToken);
        }

        private async Task<NewApiSyncResult> SyncChannelAsync(ChannelTarget target, NewApiSyncResult result, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            Channel channel = await SiteRunScope.ReadAsync(_context, target, cancellationToken).ConfigureAwait(false);
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

            ChannelModelList newModels = plan.NewModels;
            ModelMapping? newMapping = null;
            string mappingAction = string.Empty;
            if (_followUp?.Plan(new Channel(channel.Id, channel.Name, plan.NewModels, channel.ModelMappingRaw)) is RedirectPlan followUp)
            {
                if (followUp.ErrorKind is not null)
                {
                    // A mapping the follow-up cannot read is left alone; the sync itself goes on.
                    _context.Log.Warning($"{channel}: synced without redirecting: {followUp.Error}");
                    result.Reason = "Models synced; model_mapping left alone: " + followUp.Error;
                }
                else if (followUp.Changed)
                {
                    newModels = followUp.NewModels;
                    newMapping = followUp.MappingChanged ? followUp.NewMapping : null;
                    mappingAction = newMapping is null ? string.Empty : $" and model_mapping ({followUp.Describe()})";
                }
            }

            ModelListDiff diff = ChannelModelList.Diff(channel.ModelList, newModels);
            bool modelsChange = !channel.ModelList.SetEquals(newModels);
            if (!modelsChange && newMapping is null)
            {
                result.Status = ChannelResultStatus.Succeeded;
                result.Reason ??= "Already in line with its upstream; nothing written.";
                return result;
            }

            result.AddedModels = diff.Added.ToArray();
            result.RemovedModels = diff.Removed.ToArray();
            result.NewModels = newModels.ToArray();
            if (newMapping is not null)
            {
                result.OldModelMapping = channel.ModelMappingRaw ?? string.Empty;
                result.NewModelMapping = newMapping.ToJson();
            }

            // The prompt and the preview name the models (as far as RunPreview.NamesShown), not only their counts.
            string? names = RunPreview.ModelChanges(diff.Added, diff.Removed);
            if (!await callbacks.ConfirmAsync(channel.ToString(), $"Update models ({diff}{(names is null ? string.Empty : ": " + names)}){mappingAction}").ConfigureAwait(false))
            {
                return RunPreview.NotWritten(result, (names ?? "update models") + mappingAction);
            }

            // Models are sent even when only the mapping changes: a redirect's alias must be in models to route.
            await _updater.WriteAsync(
                new ChannelUpdate(channel.Id) { Models = newModels, ModelMapping = newMapping },
                current => current.ModelList.SetEquals(newModels) && (newMapping is null || newMapping.Equals(current.ModelMapping)),
                () => result.Attempts++,
                cancellationToken).ConfigureAwait(false);

            result.Status = ChannelResultStatus.Succeeded;
            result.Changed = true;
            _context.Log.Verbose($"{channel}: models updated ({diff}){mappingAction}.");
            return result;
        }
    }
}
