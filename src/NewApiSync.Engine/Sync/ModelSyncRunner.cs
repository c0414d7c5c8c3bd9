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
    /// Invoke-NewApiModelSync's engine: for each channel, fetch the upstream list through New API, plan, and write
    /// <c>{"id", "models"}</c> only when the set of models changed (plus <c>model_mapping</c> when a mapping follow-up
    /// such as RedirectAfterSync changes it, in the same write), through <see cref="ChannelWritePipeline"/> (fresh read,
    /// re-plan, ask, undo record, PUT). A sync that would strip most of a channel's models is held (<see cref="ShrinkGuard"/>).
    /// Excluded channels (<see cref="ChannelExclusion"/>) are Skipped before their upstream is asked.
    /// </summary>
    public sealed class ModelSyncRunner
    {
        private readonly RunContext _context;
        private readonly SyncPlanner _planner;
        private readonly SyncMappingFollowUp? _followUp;
        private readonly ShrinkGuard _shrinkGuard;
        private readonly ChannelExclusion _exclusion;

        /// <param name="shrinkGuard">Holds channels the sync would strip of most models; default: <see cref="RunLimits.DefaultShrinkGuardPercent"/>.</param>
        /// <param name="exclusion">Channels reported Skipped without fetching their upstream; default: none.</param>
        public ModelSyncRunner(RunContext context, SyncPlanner planner, SyncMappingFollowUp? followUp = null, ShrinkGuard? shrinkGuard = null, ChannelExclusion? exclusion = null)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
            _planner = planner ?? throw new ArgumentNullException(nameof(planner));
            _followUp = followUp is { IsActive: true } ? followUp : null;
            _shrinkGuard = shrinkGuard ?? new ShrinkGuard(RunLimits.DefaultShrinkGuardPercent);
            _exclusion = exclusion ?? ChannelExclusion.None;
        }


        public Task<NewApiSyncRun> RunAsync(NewApiSyncRun run, IReadOnlyList<ChannelTarget> targets, IRunRecorder recorder, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            run.Kind = RunKind.Sync;
            var pipeline = new ChannelWritePipeline(_context, recorder);
            return new ChannelBatchRunner(_context).RunAsync(run, targets, (target, result, ct) => SyncChannelAsync(pipeline, target, result, callbacks, ct), recorder, callbacks, cancellationToken);
        }

        private async Task<NewApiSyncResult> SyncChannelAsync(ChannelWritePipeline pipeline, ChannelTarget target, NewApiSyncResult result, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            // An excluded channel is decided before its upstream is asked: by id without even reading it.
            if (_exclusion.ReasonForId(target.Id) is string excludedById)
            {
                return Excluded(result, excludedById);
            }

            // A channel known only by id is read first, so a missing one fails as NotFound before its upstream is asked.
            Channel first = await ChannelTargets.ReadAsync(_context, target, cancellationToken).ConfigureAwait(false);
            // From here the record names the channel and its models, even when the upstream fetch then fails.
            result.ChannelName = first.Name;
            result.OldModels = first.Models;
            result.NewModels = result.OldModels;
            if (_exclusion.ReasonFor(first) is string excluded)
            {
                return Excluded(result, excluded);
            }

            // Attempts is 1 plus every retry of the channel's requests, counted on the record as they happen so a
            // channel that fails still says how often it was tried.
            result.Attempts = 0;
            IReadOnlyList<string> upstream = await _context.Retry.ExecuteAsync(
                async ct =>
                {
                    result.Attempts++;
                    return await _context.Client.FetchUpstreamModelsAsync(first, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);

            // The upstream fetch can take long (and another admin can edit meanwhile): the copy read before it only gives
            // the first plan, and a channel that would change is read again just before its write.
            const bool fresh = false;
            return await pipeline.RunAsync(first, fresh, (channel, record) => Plan(channel, upstream, record), result, callbacks, cancellationToken).ConfigureAwait(false);
        }

        private PlannedWrite? Plan(Channel channel, IReadOnlyList<string> upstream, NewApiSyncResult result)
        {
            SyncPlan plan = _planner.Plan(channel, upstream);
            result.PendingRemovals = NameList.Over(plan.PendingRemovals);
            result.ProtectedModels = NameList.Over(plan.ProtectedModels);
            result.IgnoredModels = NameList.Over(plan.IgnoredModels);
            if (plan.SkipReason is string skip)
            {
                result.Status = ChannelResultStatus.Skipped;
                result.Reason = skip;
                return null;
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

            // The plan has the diff already unless a redirect follow-up changed the list.
            ModelListDiff diff = ReferenceEquals(newModels, plan.NewModels) ? plan.Diff : ChannelModelList.Diff(channel.ModelList, newModels);
            bool modelsChange = !channel.ModelList.SetEquals(newModels);
            if (!modelsChange && newMapping is null)
            {
                result.Status = ChannelResultStatus.Succeeded;
                result.Reason ??= PolicyNote(plan) is string note
                    ? "Nothing written. " + note
                    : "Already in line with its upstream; nothing written.";
                return null;
            }

            result.AddedModels = NameList.Over(diff.Added);
            result.RemovedModels = NameList.Over(diff.Removed);
            result.NewModels = NameList.Over(newModels);
            if (newMapping is not null)
            {
                result.OldModelMapping = channel.ModelMappingRaw ?? string.Empty;
                result.NewModelMapping = newMapping.ToJson();
            }

            if (_shrinkGuard.Check(channel.ModelList.Count, diff.Removed.Count) is string held)
            {
                result.Status = ChannelResultStatus.Skipped;
                result.Reason = held;
                return null;
            }

            result.Reason ??= PolicyNote(plan);

            // Models are sent even when only the mapping changes: a redirect's alias must be in models to route.
            return new PlannedWrite(
                new ChannelUpdate(channel.Id) { Models = newModels, ModelMapping = newMapping },
                current => current.ModelList.SetEquals(newModels) && (newMapping is null || newMapping.Equals(current.ModelMapping)),
                // The prompt and the preview name the models (up to RunPreview.NamesShown), not only their counts.
                $"Update models ({diff}{(RunPreview.ModelChanges(diff.Added, diff.Removed) is string names ? ": " + names : string.Empty)}){mappingAction}");
        }

        private static NewApiSyncResult Excluded(NewApiSyncResult result, string reason)
        {
            result.Status = ChannelResultStatus.Skipped;
            result.Reason = reason;
            return result;
        }

        /// <summary>What the policies kept from happening, for the record's Reason; null when they changed nothing.</summary>
        private static string? PolicyNote(SyncPlan plan)
        {
            var notes = new List<string>();
            if (plan.PendingRemovals.Count > 0)
            {
                notes.Add($"{plan.PendingRemovals.Count} removal(s) pending under SyncMode AddOnly ({Names(plan.PendingRemovals)}); apply them with -SyncMode Replace.");
            }

            if (plan.IgnoredModels.Count > 0)
            {
                notes.Add($"{plan.IgnoredModels.Count} new model(s) not added because the server's ignore list names them ({Names(plan.IgnoredModels)}).");
            }

            return notes.Count == 0 ? null : string.Join(" ", notes);
        }

        private static string Names(IReadOnlyList<string> names) =>
            string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", …" : string.Empty);
    }
}
