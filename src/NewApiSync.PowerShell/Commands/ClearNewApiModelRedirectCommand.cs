using System.Management.Automation;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Empties channels' model_mapping and, unless -KeepModels, removes the aliases a redirect added to models, so
    /// nothing routes to a name the channel no longer serves. Journaled: Restore-NewApiChannel brings it back.
    /// </summary>
    [Cmdlet(VerbsCommon.Clear, "NewApiModelRedirect", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = AllSet)]
    [OutputType(typeof(NewApiModelRedirectResult))]
    public sealed class ClearNewApiModelRedirectCommand : NewApiChannelRunCmdlet
    {
        /// <summary>Leave the aliases (mapping keys that pointed elsewhere) in models.</summary>
        [Parameter]
        public SwitchParameter KeepModels { get; set; }

        protected override void EndProcessing() =>
            RunRedirect("Clearing model redirects", "ChannelClearFailed", _ => new ModelRedirectRequest
            {
                Kind = RunKind.Clear,
                KeepModels = KeepModels,
                // Clearing is asked of every channel given or of the whole site; a disabled channel's mapping is still cleared.
                IncludeDisabled = true,
            });
    }
}
