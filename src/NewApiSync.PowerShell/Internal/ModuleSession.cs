using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using NewApiSync.Engine.Api;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// What the module remembers for one PowerShell session (runspace): the default connection and the sandbox it
    /// started. Keyed by runspace so two runspaces in one process (jobs, tests) never see each other's connection.
    /// </summary>
    internal sealed class ModuleSession
    {
        private static readonly ConditionalWeakTable<Runspace, ModuleSession> Sessions = new ConditionalWeakTable<Runspace, ModuleSession>();
        private static readonly ModuleSession NoRunspace = new ModuleSession();

        public NewApiConnection? DefaultConnection { get; set; }

        /// <summary>The sandbox server started by Start-NewApiSandbox in this session (disposed by Stop-NewApiSandbox).</summary>
        public SandboxSession? Sandbox { get; set; }

        public static ModuleSession Current
        {
            get
            {
                Runspace? runspace = Runspace.DefaultRunspace;
                return runspace is null ? NoRunspace : Sessions.GetValue(runspace, _ => new ModuleSession());
            }
        }
    }
}
