using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>Shows the saved sync settings (defaults where nothing was saved).</summary>
    [Cmdlet(VerbsCommon.Get, "NewApiSyncSetting")]
    [OutputType(typeof(SyncSettings))]
    public sealed class GetNewApiSyncSettingCommand : NewApiCmdlet
    {
        /// <summary>Read the settings that go with this connection (the sandbox keeps its own); default: the session's.</summary>
        [Parameter]
        [ValidateNotNull]
        public NewApiConnection? Connection { get; set; }

        protected override void EndProcessing()
        {
            NewApiConnection? connection = Connection ?? ModuleSession.Current.DefaultConnection;
            SyncSettings settings = LoadSettings(DataRootFor(connection));
            var output = PSObject.AsPSObject(settings);
            if (connection is { IsSandbox: true })
            {
                // The sandbox seeds faster settings than a real site's defaults; say so where they are shown.
                output.Properties.Add(new PSNoteProperty("Note",
                    $"These are the sandbox's own settings: {settings.RequestsPerMinute} requests a minute and a burst of {settings.Burst} suit its local server. A real site starts from the defaults ({RunLimits.DefaultRequestsPerMinute} a minute, burst {RunLimits.DefaultBurst}) and keeps its settings in its own folder."));
            }

            WriteObject(output);
        }
    }
}
