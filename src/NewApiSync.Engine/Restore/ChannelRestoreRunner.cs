using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Restore
{
    /// <summary>
    /// Restore-NewApiChannel's engine: for each channel, read it, check it still holds what the undone run left (unless
    /// forced), ask, and write back only the fields that run changed. Its records carry Old*/New* like any run, so a
    /// restore can itself be restored.
    /// </summary>
    public sealed class ChannelRestoreRunner
    {
        private readonly RunContext _context;
        public ChannelRestoreRunner(RunContext context)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
        }

        /// <summary>Restore even when a channel changed since the run (the changed-since guard is off).</summary>
        public bool Force { get; set; }

        public Task<NewApiSyncRun> RunAsync(NewApiSyncRun run, IReadOnlyList<RestorePlan> plans, IRunRecorder recorder, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            if (plans is null)
            {
                throw new ArgumentNullException(nameof(plans));
            }

            run.Kind = RunKind.Restore;
            Dictionary<int, RestorePlan> byChannel = plans.ToDictionary(p => p.ChannelId);
            ChannelTarget[] targets = plans.Select(p => new ChannelTarget(p.ChannelId)).ToArray();
            var pipeline = new ChannelWritePipeline(_context, recorder);
            return new ChannelBatchRunner(_context).RunAsync(run, targets, (target, result, ct) => RestoreChannelAsync(pipeline, byChannel[target.Id], result, callbacks, ct), recorder, callbacks, cancellationToken);
        }

        private async Task<NewApiSyncResult> RestoreChannelAsync(ChannelWritePipeline pipeline, RestorePlan plan, NewApiSyncResult result, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            result.ChannelName = plan.ChannelName;
            if (plan.SkipReason is string skip)
            {
                result.Status = ChannelResultStatus.Skipped;
                result.Reason = skip;
                return result;
            }

            // The read right before the write is the fresh one: the guard and the undo record both come from it.
            result.Attempts = 0;
            Channel current = await _context.Retry.ExecuteAsync(
                async ct =>
                {
                    result.Attempts++;
                    return await _context.Client.GetChannelAsync(plan.ChannelId, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            result = await pipeline.RunAsync(current, firstIsFresh: true, (channel, record) => Plan(plan, channel, record), result, callbacks, cancellationToken).ConfigureAwait(false);
            if (result.Changed && !result.WhatIf)
            {
                result.Reason = plan.Note is null ? $"Restored to what it held {Before(plan)}." : $"Restored to what it held {Before(plan)}. {plan.Note}";
                _context.Log.Verbose($"{current}: {plan.Describe(current)}: done.");
            }

            return result;
        }

        private static string Before(RestorePlan plan) => $"before run {string.Join(", ", plan.RunIds)}";

        private PlannedWrite? Plan(RestorePlan plan, Channel current, NewApiSyncResult result)
        {
            if (plan.RestoresMapping)
            {
                result.OldModelMapping = current.ModelMappingRaw;
            }

            bool writeModels = !plan.ModelsInPlace(current), writeMapping = !plan.MappingInPlace(current);
            if (!writeModels && !writeMapping)
            {
                result.Status = ChannelResultStatus.Succeeded;
                result.Reason = $"Already holds what it held {Before(plan)}; nothing written.";
                return null;
            }

            if (!Force && plan.ChangedSince(current) is string changed)
            {
                throw new NewApiException(NewApiErrorKind.ChannelChanged, changed);
            }

            if (writeModels)
            {
                ModelListDiff diff = ChannelModelList.Diff(current.ModelList, plan.OldModels!);
                result.NewModels = plan.OldModels!.ToArray();
                result.AddedModels = diff.Added.ToArray();
                result.RemovedModels = diff.Removed.ToArray();
            }

            if (writeMapping)
            {
                result.NewModelMapping = plan.OldModelMappingText;
            }

            var update = new ChannelUpdate(current.Id)
            {
                Models = writeModels ? plan.OldModels : null,
                ModelMappingText = writeMapping ? plan.OldModelMappingText : null,
            };
            return new PlannedWrite(update, read => (!writeModels || plan.ModelsInPlace(read)) && (!writeMapping || plan.MappingInPlace(read)), plan.Describe(current));
        }
    }
}
