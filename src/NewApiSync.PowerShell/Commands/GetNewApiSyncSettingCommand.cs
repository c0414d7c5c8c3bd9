using System.Management.Automation;
using NewApiSync.Engine.Api;
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
            WriteObject(LoadSettings(DataRootFor(Connection ?? ModuleSession.Current.DefaultConnection)));
        }
    }
}
