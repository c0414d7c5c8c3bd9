using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;

namespace NewApiSync.Engine.Site
{
    /// <summary>A site's redirect and clear runs, under its run lock and journal, like sync runs.</summary>
    public sealed class ModelRedirectService
    {
        private readonly SiteRunScope _site;

        public ModelRedirectService(NewApiConnection connection, SyncSettings settings, INewApiLog? log = null) =>
            _site = new SiteRunScope(connection, settings, log);

        public RunOptions DefaultOptions() => _site.DefaultOptions();

        /// <summary>The standard names a run uses: given, else the saved setting, else the built-in list.</summary>
        public IReadOnlyList<string> StandardModelsFor(ModelRedirectRequest request) =>
            request.StandardModels ?? _site.Settings.StandardModelsInUse();

        /// <summary>
        /// Checks the request before anything is sent (e.g. blank or duplicate standard names give ArgumentException).
        /// </summary>
        public void Validate(ModelRedirectRequest request)
        {
            request.Options.Validate();
            if (request.Kind == RunKind.Redirect)
            {
                var problems = new List<string>();
                SyncSettings.CheckDuplicates(problems, "The standard model list", request.StandardModels);
                if (problems.Count > 0)
                {
                    throw new ArgumentException(string.Join(" ", problems));
                }

                _ = new RedirectPlanner(StandardModelsFor(request));
            }
        }

        public async Task<NewApiSyncRun> RunAsync(ModelRedirectRequest request, RunCallbacks callbacks, Action<NewApiModelRedirectResult> output, CancellationToken cancellationToken)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            Validate(request);
            IReadOnlyList<string> standard = StandardModelsFor(request);
            return await _site.RunAsync(
                request.Kind,
                request.Mode,
                request.WhatIf,
                request.Options,
                (context, ct) => ChannelTargets.ResolveAsync(context, request.Channels, request.ChannelIds, ct, callbacks.Listed),
                (context, run, targets, recorder) => new ModelRedirectRunner(context, request, standard).RunAsync(run, targets, recorder, callbacks, output, cancellationToken),
                request.Kind == RunKind.Redirect ? $"{standard.Count} standard name(s)" : (request.KeepModels ? "aliases kept in models" : "aliases removed from models"),
                null,
                cancellationToken).ConfigureAwait(false);
        }
    }
}
