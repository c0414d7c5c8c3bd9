using System.Management.Automation;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.PowerShell.Completion;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Maps standard model names to each channel's actual models: merges entries into model_mapping and adds the
    /// standard names to models, so New API routes them to the channel. Never maps across versions.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "NewApiModelRedirect", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = AllSet)]
    [OutputType(typeof(NewApiModelRedirectResult))]
    public sealed class NewNewApiModelRedirectCommand : NewApiChannelRunCmdlet
    {
        /// <summary>Standard names in priority order; default: the StandardModels setting, else the built-in list.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(StandardModelCompleter))]
        public string[]? StandardModel { get; set; }

        /// <summary>Also redirect manually or automatically disabled channels.</summary>
        [Parameter]
        public SwitchParameter IncludeDisabled { get; set; }

        /// <summary>Replace an existing model_mapping that is not a JSON object of names (its old text is journaled).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Also remove mapping entries whose target the channel no longer serves (default: the PruneMissingTargets setting).</summary>
        [Parameter]
        public SwitchParameter PruneMissingTargets { get; set; }

        protected override void EndProcessing() =>
            RunRedirect("Redirecting standard model names", "ChannelRedirectFailed", settings => new ModelRedirectRequest
            {
                Kind = RunKind.Redirect,
                StandardModels = StandardModel,
                IncludeDisabled = IncludeDisabled,
                Force = Force,
                PruneMissingTargets = ParameterOrSetting(nameof(PruneMissingTargets), PruneMissingTargets, settings.PruneMissingTargets),
            });
    }
}
