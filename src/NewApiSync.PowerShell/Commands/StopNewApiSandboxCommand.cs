using System.Management.Automation;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>Stops the sandbox this session started and forgets its connection if it was the default.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "NewApiSandbox")]
    [OutputType(typeof(void))]
    public sealed class StopNewApiSandboxCommand : NewApiCmdlet
    {
        protected override void ProcessRecord()
        {
            ModuleSession session = ModuleSession.Current;
            if (session.Sandbox is null)
            {
                WriteVerbose("No sandbox is running in this session.");
                return;
            }

            StopSessionSandbox(session);
            WriteVerbose("The sandbox stopped.");
        }

        internal static void StopSessionSandbox(ModuleSession session)
        {
            if (session.DefaultConnection is { IsSandbox: true } connection && ReferenceEquals(connection.Sandbox, session.Sandbox?.Server))
            {
                session.DefaultConnection = null;
            }

            session.Sandbox?.Dispose();
            session.Sandbox = null;
        }
    }
}
