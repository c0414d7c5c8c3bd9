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
    /// Test-NewApiModelRedirect's run over channels: reads each channel (and, with -Upstream, its upstream list) through
    /// the run's limiter and retries, judges its mapping with <see cref="MappingHealthCheck"/>, and with -Fix writes
    /// <c>{id, models, model_mapping}</c> without the broken entries through <see cref="ChannelWritePipeline"/> (fresh read,
    /// re-plan, ask, undo record, PUT), like every other write.
    /// </summary>
    public sealed class MappingCheckRunner
    {
        private readonly RunContext _context;
        private readonly MappingCheckRequest _request;

        public MappingCheckRunner(RunContext context, MappingCheckRequest request)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
            _request = request ?? throw new ArgumentNullException(nameof(request));
        }

        /// <param name="recorder">Where a writing fix journals its channels; a check or a preview passes one that keeps nothing.</param>
        /// <param name="output">Each channel's record and its problems, as channels finish (on a worker thread).</param>
        public Task<NewApiSyncRun> RunAsync(NewApiSyncRun run, IReadOnlyList<ChannelTarget> targets, IRunRecorder recorder, RunCallbacks callbacks, Action<NewApiSyncResult, IReadOnlyList<NewApiModelRedirectProblem>> output, CancellationToken cancellationToken)
        {
            var problemsByChannel = new ConcurrentDictionary<int, IReadOnlyList<NewApiModelRedirectProblem>>();
            var pipeline = new ChannelWritePipeline(_context, recorder);
            var forBatch = new RunCallbacks
            {
                Confirm = callbacks.Confirm,
                Progress = callbacks.Progress,
                Result = record =>
                {
                    callbacks.Result?.Invoke(record);
                    problemsByChannel.TryRemove(record.ChannelId, out IReadOnlyList<NewApiModelRedirectProblem>? problems);
                    output(record, problems ?? Array.Empty<NewApiModelRedirectProblem>());
                },
            };

            return new ChannelBatchRunner(_context).RunAsync(run, targets,
                (target, result, ct) => CheckChannelAsync(_context, pipeline, _request, target, result, forBatch, problemsByChannel, ct),
                recorder, forBatch, cancellationToken);
        }

        private static async Task<NewApiSyncResult> CheckChannelAsync(RunContext context, ChannelWritePipeline pipeline, MappingCheckRequest request, ChannelTarget target, NewApiSyncResult result,
            RunCallbacks callbacks, ConcurrentDictionary<int, IReadOnlyList<NewApiModelRedirectProblem>> problemsByChannel, CancellationToken cancellationToken)
        {
            result.Attempts = 1;
            Channel first = await ChannelTargets.ReadAsync(context, target, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<string>? upstream = null;
            if (request.Upstream)
            {
                upstream = await context.Retry.ExecuteAsync(
                    async ct => await context.Client.FetchUpstreamModelsAsync(first.Id, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }

            // The plan runs on the first copy and, before a fix is written, again on a fresh read (the write pipeline), so
            // the problems reported are those of the copy the fix was planned on.
            IReadOnlyList<NewApiModelRedirectProblem> problems = Array.Empty<NewApiModelRedirectProblem>();
            string[] removedKeys = Array.Empty<string>();
            PlannedWrite? Plan(Channel channel, NewApiSyncResult record)
            {
                record.ChannelName = channel.Name;
                record.OldModels = channel.Models;
                record.NewModels = channel.Models;
                record.OldModelMapping = channel.ModelMappingRaw ?? string.Empty;
                record.NewModelMapping = null;
                problems = MappingHealthCheck.Check(channel, upstream);
                foreach (NewApiModelRedirectProblem problem in problems)
                {
                    problem.BaseUrl = record.BaseUrl;
                }

                record.Status = ChannelResultStatus.Succeeded;
                record.Reason = problems.Count == 0 ? "No problems in model_mapping." : $"{problems.Count} problem(s) in model_mapping.";
                ModelMapping? repaired = request.Fix ? MappingHealthCheck.Fixed(channel, problems) : null;
                if (repaired is null)
                {
                    removedKeys = Array.Empty<string>();
                    return null;
                }

                removedKeys = channel.ModelMapping!.Keys.Where(k => !repaired.ContainsKey(k)).ToArray();
                record.NewModelMapping = repaired.ToJson();
                record.Reason = $"Removed {removedKeys.Length} broken model_mapping entr{(removedKeys.Length == 1 ? "y" : "ies")}: {string.Join(", ", removedKeys)}.";

                // Models are sent with the mapping, as every mapping write of the module does (they are unchanged).
                return new PlannedWrite(
                    new ChannelUpdate(channel.Id) { Models = channel.ModelList, ModelMapping = repaired },
                    current => repaired.Equals(current.ModelMapping),
                    $"Remove {removedKeys.Length} broken model_mapping entr{(removedKeys.Length == 1 ? "y" : "ies")}: {string.Join(", ", removedKeys.Take(10))}{(removedKeys.Length > 10 ? ", …" : string.Empty)}");
            }

            result = await pipeline.RunAsync(first, false, Plan, result, callbacks, cancellationToken).ConfigureAwait(false);
            problemsByChannel[first.Id] = problems;
            if (result.Changed)
            {
                // Every problem of a removed entry is gone with it, a chain through a broken key included.
                var removed = new HashSet<string>(removedKeys, StringComparer.Ordinal);
                foreach (NewApiModelRedirectProblem problem in problems.Where(p => p.Key is not null && removed.Contains(p.Key)))
                {
                    problem.Fixed = true;
                    problem.RunId = result.RunId;
                }

                context.Log.Verbose($"{first}: {result.Reason}");
            }

            return result;
        }
    }
}
