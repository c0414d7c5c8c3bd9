using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.PowerShell.Completion;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell
{
    /// <summary>
    /// Base of the commands that run over channels (sync, redirect, clear): channels come from the pipeline
    /// (Get-NewApiChannel), by -Id (history records bind by ChannelId), or, with neither, the whole site. Input is
    /// collected and run once in EndProcessing, so a pipeline is one run with one RunId and real concurrency.
    /// <para>
    /// Whenever a pipeline is attached, only what arrives and binds is the target: an empty pipeline (a filter that
    /// matched nothing) or objects that fail to bind must never widen the run to the whole site.
    /// </para>
    /// </summary>
    public abstract class NewApiChannelRunCmdlet : NewApiRunCmdlet
    {
        public const string AllSet = "All";
        public const string InputObjectSet = "InputObject";
        public const string IdSet = "Id";

        private readonly List<Channel> _channels = new List<Channel>();
        private readonly List<int> _ids = new List<int>();

        /// <summary>Channels from Get-NewApiChannel.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public Channel[] InputObject { get; set; } = null!;

        /// <summary>Channel ids; history records bind by their ChannelId.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
        [Alias("ChannelId")]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(ChannelIdCompleter))]
        public int[] Id { get; set; } = null!;

        /// <summary>
        /// True when channels were given (pipeline or -Id) rather than the whole site. A pipeline attached to the command
        /// always counts as a selection, even when nothing came down it or nothing bound.
        /// </summary>
        protected bool HasSelection => ParameterSetName is InputObjectSet or IdSet || MyInvocation.ExpectingInput;

        /// <summary>
        /// True (after a warning) when a pipeline was attached but no channel arrived and bound: the command must then
        /// read, write and journal nothing. Call first in EndProcessing.
        /// </summary>
        protected bool PipelineBroughtNothing()
        {
            if (!MyInvocation.ExpectingInput || _channels.Count > 0 || _ids.Count > 0)
            {
                return false;
            }

            WriteWarning($"No channel came down the pipeline, so {MyInvocation.MyCommand.Name} did nothing: nothing was read, written or journaled. Without a pipeline (and without -Id) it acts on every channel of the site.");
            return true;
        }

        protected RunMode SelectionMode => HasSelection ? RunMode.Selected : RunMode.All;

        /// <summary>The piped-in channels, or null for the whole site.</summary>
        protected IReadOnlyList<Channel>? SelectedChannels => HasSelection ? _channels : null;

        /// <summary>The given ids, or null for the whole site.</summary>
        protected IReadOnlyList<int>? SelectedIds => HasSelection ? _ids : null;

        /// <summary>Points <paramref name="request"/> at this command's channels: those given, or the whole site.</summary>
        /// <remarks>
        /// Not generic over the request type: PowerShell loads this class before the module can answer for the engine,
        /// and a constraint on an engine type would load the engine there (Internal/ModuleInitializer.cs).
        /// </remarks>
        protected void PointAtSelection(Engine.Runs.ChannelRunRequest request)
        {
            request.Mode = SelectionMode;
            request.Channels = SelectedChannels;
            request.ChannelIds = SelectedIds;
        }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    _channels.AddRange(InputObject);
                    break;
                case IdSet:
                    _ids.AddRange(Id);
                    break;
            }
        }

        /// <summary>
        /// A redirect or clear run (New-/Clear-NewApiModelRedirect), the whole of the command's EndProcessing: the
        /// command says what to ask for in <paramref name="describe"/>; this points it at the command's channels and
        /// previews or writes it. Its own output type, one non-terminating error per failed channel. Blank or duplicate
        /// standard names are refused before anything is sent; standard names that no channel serves and that are not
        /// built in are likely typos and are warned about once.
        /// </summary>
        protected void RunRedirect(string activity, string failedErrorId, Func<SyncSettings, ModelRedirectRequest> describe)
        {
            if (PipelineBroughtNothing())
            {
                return;
            }

            NewApiConnection connection = ResolvedConnection;
            SyncSettings settings = LoadSettings(DataRootFor(connection));
            var service = new ModelRedirectService(connection, settings, Log);
            ModelRedirectRequest request = describe(settings);
            request.WhatIf = IsWhatIf;
            request.Options = service.DefaultOptions();
            PointAtSelection(request);
            try
            {
                service.Validate(request);
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidStandardModel", ErrorCategory.InvalidArgument, ex.Message, request.StandardModels, "Give standard model names such as 'gpt-4o' or 'claude-4.5-sonnet' (Get-NewApiStandardModel lists the built-in ones).", ex));
            }

            // Standard names some channel could serve.
            var served = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            RunChannels<NewApiModelRedirectResult>(activity, (callbacks, output, ct) => service.RunAsync(request, callbacks, output, ct), output =>
            {
                served.UnionWith(output.Added.Keys);
                served.UnionWith(output.AlreadyServed);
                WriteObject(output);
                if (output.Status == RedirectStatus.Failed)
                {
                    WriteChannelError(output.ChannelId, output.ChannelName, output.ErrorKind, output.Error, output.HttpStatus, output, failedErrorId);
                }
            });

            // Only after a run that read its channels: a run stopped by a refused token, a site out of reach or Ctrl+C has
            // not seen who serves what, and calling the caller's names typos would point at the wrong problem.
            if (request.Kind == RunKind.Redirect)
            {
                WarnUnknown(service.StandardModelsFor(request), served);
            }
        }

        private void WarnUnknown(IReadOnlyList<string> standardModels, HashSet<string> served)
        {
            var builtIn = new HashSet<string>(StandardModelCatalog.Names, StringComparer.OrdinalIgnoreCase);
            string[] unknown = standardModels.Where(name => !builtIn.Contains(name) && !served.Contains(name)).ToArray();
            if (unknown.Length > 0)
            {
                WriteWarning($"No channel serves the standard model name{(unknown.Length == 1 ? string.Empty : "s")} {string.Join(", ", unknown.Select(n => "'" + DisplayText.Safe(n) + "'"))}, and {(unknown.Length == 1 ? "it is" : "they are")} not built in. Check the spelling: Get-NewApiStandardModel lists the built-in names.");
            }
        }
    }
}
