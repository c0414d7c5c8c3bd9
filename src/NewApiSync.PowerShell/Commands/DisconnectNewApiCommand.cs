using System.Management.Automation;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>Forgets the session's default connection. Connections held in variables keep working.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "NewApi")]
    [OutputType(typeof(void))]
    public sealed class DisconnectNewApiCommand : NewApiCmdlet
    {
        protected override void ProcessRecord()
        {
            ModuleSession session = ModuleSession.Current;
            if (session.DefaultConnection is null)
            {
                WriteVerbose("There was no default connection in this session.");
                return;
            }

            WriteVerbose($"Forgetting the connection to {session.DefaultConnection}.");
            session.DefaultConnection = null;
        }
    }
}
