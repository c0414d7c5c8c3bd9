using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// Plans and writes redirects or clears channel by channel, through the same limiter, retries and write pipeline
    /// (<see cref="ChannelWritePipeline"/>: fresh read, re-plan, ask, undo record, PUT) as sync. Each channel yields its journal record (NewApiSyncResult) and its command output
    /// (NewApiModelRedirectResult); a channel whose plan fails (e.g. an unreadable mapping) fails alone.
    /// </summary>
    public sealed class ModelRedirectRunner
    {
        private readonly RunContext _context;
        private readonly ModelRedirectRequest _request;
        private readonly RedirectPlanner? _planner;
        private readonly ConcurrentDictionary<int, NewApiModelRedirectResult> _outputs = new ConcurrentDictionary<int, NewApiModelRedirectResult>();

        public ModelRedirectRunner(RunContext context, ModelRedirectRequest request, IReadOnlyList<string> standardModels)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
            _request = request ?? throw new ArgumentNullException(nameof(request));
            if (request.Kind != RunKind.Redirect && request.Kind != RunKind.Clear)
            {
                throw new ArgumentException($"A redirect run is Redirect or Clear, not {request.Kind}.", nameof(request));
            }

            _planner = request.Kind == RunKind.Redirect ? new RedirectPlanner(standardModels) : null;
        }

        /// <param name="output">Each channel's command output, in the order channels finish (on a worker thread).</param>
        public Task<NewApiSyncRun> RunAsync(NewApiSyncRun run, IReadOnlyList<ChannelTarget> targets, IRunRecorder recorder, RunCallbacks callbacks, Action<NewApiModelRedirectResult> output, CancellationToken cancellationToken)
        {
            run.Kind = _request.Kind;
            var forBatch = new RunCallbacks
            {
                Confirm = callbacks.Confirm,
                Progress = callbacks.Progress,
                Started = callbacks.Started,
                Result = record =>
                {
                    callbacks.Result?.Invoke(record);
                    output(Output(record));
                },
            };
            var pipeline = new ChannelWritePipeline(_context, recorder);
            return new ChannelBatchRunner(_context).RunAsync(run, targets, (target, result, ct) => ProcessAsync(pipeline, target, result, forBatch, ct), recorder, forBatch, cancellationToken);
        }

        private async Task<NewApiSyncResult> ProcessAsync(ChannelWritePipeline pipeline, ChannelTarget target, NewApiSyncResult result, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            result.Attempts = 1;
            // A channel known only by id is read here, right before its write: that read is the fresh one.
            bool fresh = target.Channel is null;
            Channel first = await ChannelTargets.ReadAsync(_context, target, cancellationToken).ConfigureAwait(false);
            result = await pipeline.RunAsync(first, fresh, Plan, result, callbacks, cancellationToken).ConfigureAwait(false);
            if (result.Changed)
            {
                _context.Log.Verbose($"{result.ChannelName} (#{result.ChannelId}): {(_outputs.TryGetValue(result.ChannelId, out NewApiModelRedirectResult? done) ? done.Reason ?? "written" : "written")}.");
            }

            return result;
        }

        private PlannedWrite? Plan(Channel channel, NewApiSyncResult result)
        {
            result.OldModelMapping = channel.ModelMappingRaw ?? string.Empty;
            _outputs.TryRemove(channel.Id, out _);
            if (!_request.IncludeDisabled && channel.Status is ChannelStatus.ManuallyDisabled or ChannelStatus.AutoDisabled)
            {
                result.Status = ChannelResultStatus.Skipped;
                result.Reason = $"The channel is {(channel.Status == ChannelStatus.ManuallyDisabled ? "manually" : "automatically")} disabled; -IncludeDisabled touches it too.";
                return null;
            }

            RedirectPlan plan = _planner is not null
                ? _planner.Plan(channel, _request.Force, _request.PruneMissingTargets)
                : ClearPlanner.Plan(channel, _request.KeepModels);
            _outputs[channel.Id] = plan.ToResult(result.RunId);
            result.AddedModels = plan.AddedModels.ToArray();
            result.RemovedModels = plan.RemovedModels.ToArray();
            result.Reason = plan.Reason;

            if (plan.ErrorKind is not null)
            {
                result.Status = ChannelResultStatus.Failed;
                result.Error = plan.Error;
                result.ErrorKind = plan.ErrorKind;
                return null;
            }

            if (!plan.Changed)
            {
                result.Status = plan.Status == RedirectStatus.Skipped ? ChannelResultStatus.Skipped : ChannelResultStatus.Succeeded;
                result.Reason ??= "Nothing to change.";
                return null;
            }

            result.NewModels = plan.NewModels.ToArray();
            result.NewModelMapping = plan.MappingChanged ? plan.NewMapping!.ToJson() : null;
            return new PlannedWrite(
                plan.ToUpdate()!,
                current => current.ModelList.SetEquals(plan.NewModels) && (!plan.MappingChanged || plan.NewMapping!.Equals(current.ModelMapping)),
                Action(plan));
        }

        /// <summary>The ShouldProcess action: what would change, specific enough to decide on.</summary>
        private static string Action(RedirectPlan plan)
        {
            if (plan.Kind != RedirectPlanKind.Clear)
            {
                return "Redirect models: " + plan.Describe();
            }

            string entries = plan.OldMapping is null ? "an unreadable model_mapping" : $"{plan.OldMapping.Count} mapping entr{(plan.OldMapping.Count == 1 ? "y" : "ies")}";
            string aliases = plan.RemovedModels.Count == 0 ? string.Empty : $" and {plan.RemovedModels.Count} alias(es) from models ({string.Join(", ", plan.RemovedModels.Take(10))}{(plan.RemovedModels.Count > 10 ? ", …" : string.Empty)})";
            return $"Clear model redirects: remove {entries}{aliases}";
        }

        /// <summary>The command output for a finished record: the planned output with the run's facts, or one made from the record.</summary>
        private NewApiModelRedirectResult Output(NewApiSyncResult record)
        {
            NewApiModelRedirectResult output = _outputs.TryRemove(record.ChannelId, out NewApiModelRedirectResult? planned)
                ? planned
                : new NewApiModelRedirectResult { RunId = record.RunId, ChannelId = record.ChannelId };
            output.ChannelName = record.ChannelName;
            output.Changed = record.Changed;
            output.WhatIf = record.WhatIf;
            output.Status = record.Status switch
            {
                ChannelResultStatus.Failed => RedirectStatus.Failed,
                ChannelResultStatus.Skipped or ChannelResultStatus.Cancelled => RedirectStatus.Skipped,
                _ => output.Status,
            };
            output.Reason = record.Reason ?? output.Reason;
            output.Error = record.Error;
            output.ErrorKind = record.ErrorKind;
            output.HttpStatus = record.HttpStatus;
            output.Attempts = record.Attempts;
            output.StartedAt = record.StartedAt;
            output.FinishedAt = record.FinishedAt;
            if (!record.Changed)
            {
                // Nothing was written: the output must not claim a new stored mapping (Mapping still shows the plan).
                output.NewModelMapping = null;
            }

            return output;
        }
    }
}
