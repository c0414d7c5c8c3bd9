using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>What one Test-NewApiModelRedirect invocation should do.</summary>
    public sealed class MappingCheckRequest : ChannelRunRequest
    {
        /// <summary>Also fetch each channel's upstream list and flag targets it no longer serves.</summary>
        public bool Upstream { get; set; }

        /// <summary>Remove the fixable entries (a journaled Repair run under the site's lock).</summary>
        public bool Fix { get; set; }

        /// <summary>With <see cref="Fix"/>: plan and ask, write nothing, take no lock, leave no journal.</summary>
        public bool WhatIf { get; set; }

        public RunOptions Options { get; set; } = new RunOptions();
    }

    /// <summary>
    /// Test-NewApiModelRedirect's engine: reads channels (and, with -Upstream, their upstream lists) through the run's
    /// limiter and retries, judges each mapping with <see cref="MappingHealthCheck"/>, and with -Fix writes
    /// <c>{id, models, model_mapping}</c> without the broken entries through <see cref="ChannelWritePipeline"/> (fresh read,
    /// re-plan, ask, undo record, PUT), like every other write. A check alone writes nothing, takes no lock and
    /// leaves no history; a fix is a <see cref="RunKind.Repair"/> run in the journal, so Restore-NewApiChannel undoes it.
    /// </summary>
    public sealed class MappingCheckService
    {
        private readonly SiteRunScope _site;

        public MappingCheckService(NewApiConnection connection, SyncSettings settings, INewApiLog? log = null) =>
            _site = new SiteRunScope(connection, settings, log);

        public RunOptions DefaultOptions() => _site.DefaultOptions();

        /// <param name="output">Each channel's record and its problems, as channels finish (on a worker thread).</param>
        public async Task<NewApiSyncRun> RunAsync(MappingCheckRequest request, RunCallbacks callbacks, Action<NewApiSyncResult, IReadOnlyList<NewApiModelRedirectProblem>> output, CancellationToken cancellationToken)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            request.Options.Validate();
            bool writes = request.Fix && !request.WhatIf;
            using SiteRunLock? siteLock = _site.AcquireLock(RunKind.Repair, !writes, cancellationToken);
            using RunContext context = RunContext.Create(_site.Connection, request.Options, _site.Log);
            var targets = await SiteRunScope.ResolveTargetsAsync(context, request.Channels, request.ChannelIds, cancellationToken).ConfigureAwait(false);
            NewApiSyncRun run = _site.NewRun(RunKind.Repair, request.Mode, whatIf: request.Fix && request.WhatIf);
            _site.Log.Verbose($"Checking the model redirects of {targets.Count} channel(s) on {run.BaseUrl}{(request.Upstream ? " against their upstreams" : string.Empty)}{(request.Fix ? ", removing broken entries" : string.Empty)}.");

            var problemsByChannel = new ConcurrentDictionary<int, IReadOnlyList<NewApiModelRedirectProblem>>();
            IRunRecorder recorder = writes ? _site.CreateRecorder(whatIf: false) : NullRunRecorder.Instance;
            var pipeline = new ChannelWritePipeline(context, recorder);
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

            // Only a writing fix is journaled; a check or a preview leaves no history.
            using (recorder)
            {
                return await new ChannelBatchRunner(context).RunAsync(run, targets,
                    (target, result, ct) => CheckChannelAsync(context, pipeline, request, target, result, forBatch, problemsByChannel, ct),
                    recorder, forBatch, cancellationToken).ConfigureAwait(false);
            }
        }

        private static async Task<NewApiSyncResult> CheckChannelAsync(RunContext context, ChannelWritePipeline pipeline, MappingCheckRequest request, ChannelTarget target, NewApiSyncResult result,
            RunCallbacks callbacks, ConcurrentDictionary<int, IReadOnlyList<NewApiModelRedirectProblem>> problemsByChannel, CancellationToken cancellationToken)
        {
            result.Attempts = 1;
            Channel first = await SiteRunScope.ReadAsync(context, target, cancellationToken).ConfigureAwait(false);
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
