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
    /// Plans and writes redirects or clears channel by channel, through the same limiter, retries and uncertain-write
    /// handling as sync. Each channel yields its journal record (NewApiSyncResult) and its command output
    /// (NewApiModelRedirectResult); a channel whose plan fails (e.g. an unreadable mapping) fails alone.
    /// </summary>
    public sealed class ModelRedirectRunner
    {
        private readonly RunContext _context;
        private readonly ModelRedirectRequest _request;
        private readonly RedirectPlanner? _planner;
        private readonly ChannelUpdater _updater;
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
            _updater = new ChannelUpdater(context);
        }

        /// <param name="output">Each channel's command output, in the order channels finish (on a worker thread).</param>
        public Task<NewApiSyncRun> RunAsync(NewApiSyncRun run, IReadOnlyList<ChannelTarget> targets, IRunRecorder recorder, RunCallbacks callbacks, Action<NewApiModelRedirectResult> output, CancellationToken cancellationToken)
        {
            run.Kind = _request.Kind;
            var forBatch = new RunCallbacks
            {
                Confirm = callbacks.Confirm,
                Progress = callbacks.Progress,
                Result = record =>
                {
                    callbacks.Result?.Invoke(record);
                    output(Output(record));
                },
            };
            return new ChannelBatchRunner(_context).RunAsync(run, targets, (target, result, ct) => ProcessAsync(target, result, forBatch, ct), recorder, forBatch, cancellationToken);
        }

        private async Task<NewApiSyncResult> ProcessAsync(ChannelTarget target, NewApiSyncResult result, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            result.Attempts = 1;
            Channel channel = await SiteRunScope.ReadAsync(_context, target, cancellationToken).ConfigureAwait(false);
            result.ChannelName = channel.Name;
            result.OldModels = channel.Models;
            result.NewModels = channel.Models;
            result.OldModelMapping = channel.ModelMappingRaw ?? string.Empty;

            if (!_request.IncludeDisabled && channel.Status is ChannelStatus.ManuallyDisabled or ChannelStatus.AutoDisabled)
            {
                return Skip(result, $"The channel is {(channel.Status == ChannelStatus.ManuallyDisabled ? "manually" : "automatically")} disabled; -IncludeDisabled touches it too.");
            }

            RedirectPlan plan = _planner is not null
                ? _planner.Plan(channel, _request.Force, _request.PruneMissingTargets)
                : ClearPlanner.Plan(channel, _request.KeepModels);
            NewApiModelRedirectResult output = NewApiModelRedirectResult.FromPlan(plan, result.RunId);
            _outputs[channel.Id] = output;
            result.AddedModels = plan.ModelsAdded.ToArray();
            result.RemovedModels = plan.ModelsRemoved.ToArray();
            result.Reason = plan.Reason;

            if (plan.ErrorKind is not null)
            {
                result.Status = ChannelResultStatus.Failed;
                result.Error = plan.Error;
                result.ErrorKind = plan.ErrorKind;
                return result;
            }

            if (!plan.Changed)
            {
                result.Status = plan.Status == RedirectStatus.Skipped ? ChannelResultStatus.Skipped : ChannelResultStatus.Succeeded;
                result.Reason ??= "Nothing to change.";
                return result;
            }

            result.NewModels = plan.NewModels.ToArray();
            result.NewModelMapping = plan.MappingChanged ? plan.NewMapping!.ToJson() : null;
            string action = Action(plan);
            if (!await callbacks.ConfirmAsync(channel.ToString(), action).ConfigureAwait(false))
            {
                // A preview keeps the planned status (Updated, Cleared) in its output, so -WhatIf | Where-Object Changed finds it.
                return RunPreview.NotWritten(result, char.ToLowerInvariant(action[0]) + action.Substring(1));
            }

            await _updater.WriteAsync(
                plan.ToUpdate()!,
                current => current.ModelList.SetEquals(plan.NewModels) && (!plan.MappingChanged || plan.NewMapping!.Equals(current.ModelMapping)),
                () => result.Attempts++,
                cancellationToken).ConfigureAwait(false);

            result.Status = ChannelResultStatus.Succeeded;
            result.Changed = true;
            _context.Log.Verbose($"{channel}: {plan.Describe()}.");
            return result;
        }

        /// <summary>The ShouldProcess action: what would change, specific enough to decide on.</summary>
        private static string Action(RedirectPlan plan)
        {
            if (plan.Kind != RedirectPlanKind.Clear)
            {
                return "Redirect models: " + plan.Describe();
            }

            string entries = plan.OldMapping is null ? "an unreadable model_mapping" : $"{plan.OldMapping.Count} mapping entr{(plan.OldMapping.Count == 1 ? "y" : "ies")}";
            string aliases = plan.ModelsRemoved.Count == 0 ? string.Empty : $" and {plan.ModelsRemoved.Count} alias(es) from models ({string.Join(", ", plan.ModelsRemoved.Take(10))}{(plan.ModelsRemoved.Count > 10 ? ", …" : string.Empty)})";
            return $"Clear model redirects: remove {entries}{aliases}";
        }

        private static NewApiSyncResult Skip(NewApiSyncResult result, string reason)
        {
            result.Status = ChannelResultStatus.Skipped;
            result.Changed = false;
            result.NewModels = result.OldModels;
            result.NewModelMapping = null;
            result.Reason = reason;
            return result;
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
