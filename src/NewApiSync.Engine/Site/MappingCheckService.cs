using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;

namespace NewApiSync.Engine.Site
{
    /// <summary>
    /// A site's mapping checks (Test-NewApiModelRedirect), run by <see cref="MappingCheckRunner"/>. A check alone writes
    /// nothing, takes no lock and leaves no history; a fix is a <see cref="RunKind.Repair"/> run under the site's lock in
    /// the journal, so Restore-NewApiChannel undoes it.
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
            var targets = await ChannelTargets.ResolveAsync(context, request.Channels, request.ChannelIds, cancellationToken).ConfigureAwait(false);
            NewApiSyncRun run = _site.NewRun(RunKind.Repair, request.Mode, whatIf: request.Fix && request.WhatIf);
            _site.Log.Verbose($"Checking the model redirects of {targets.Count} channel(s) on {run.BaseUrl}{(request.Upstream ? " against their upstreams" : string.Empty)}{(request.Fix ? ", removing broken entries" : string.Empty)}.");

            // Only a writing fix is journaled; a check or a preview leaves no history.
            using IRunRecorder recorder = writes ? _site.CreateRecorder(whatIf: false) : NullRunRecorder.Instance;
            return await new MappingCheckRunner(context, request).RunAsync(run, targets, recorder, callbacks, output, cancellationToken).ConfigureAwait(false);
        }
    }
}
