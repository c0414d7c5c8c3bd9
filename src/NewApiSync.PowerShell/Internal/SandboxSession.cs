using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation.Runspaces;
using NewApiSync.Sandbox;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// A sandbox started by Start-NewApiSandbox and the data folder its journal and settings live in: a throwaway
    /// folder unless the user named one, so trying things never touches real history or settings. Every live sandbox
    /// is remembered with the runspace that started it, so Remove-Module can stop what would otherwise outlive it.
    /// </summary>
    internal sealed class SandboxSession : IDisposable
    {
        private static readonly List<SandboxSession> Live = new List<SandboxSession>();

        private readonly bool _ownsDataDirectory;
        private readonly Runspace? _owner;

        public SandboxSession(SandboxServer server, string? dataDirectory)
        {
            Server = server;
            _owner = Runspace.DefaultRunspace;
            _ownsDataDirectory = dataDirectory is null;
            DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "NewApiSync-sandbox-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(DataDirectory);
            lock (Live)
            {
                Live.Add(this);
            }
        }

        public SandboxServer Server { get; }

        public string DataDirectory { get; }

        /// <summary>
        /// On Remove-Module: stops the removing session's sandbox, and any sandbox whose runspace has closed (nobody
        /// can reach it any more). Sandboxes of other open runspaces that still use the module keep running.
        /// </summary>
        public static void StopForModuleRemoval(ModuleSession removingSession)
        {
            if (removingSession.Sandbox is not null)
            {
                Commands.StopNewApiSandboxCommand.StopSessionSandbox(removingSession);
            }

            List<SandboxSession> abandoned;
            lock (Live)
            {
                abandoned = Live.FindAll(s => s._owner is null || s._owner.RunspaceStateInfo.State is RunspaceState.Closed or RunspaceState.Broken);
            }

            foreach (SandboxSession sandbox in abandoned)
            {
                sandbox.Dispose();
            }
        }

        public void Dispose()
        {
            lock (Live)
            {
                Live.Remove(this);
            }

            Server.Dispose();
            if (_ownsDataDirectory)
            {
                try
                {
                    Directory.Delete(DataDirectory, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // A journal file still open elsewhere; the temp folder is the OS's to clean.
                }
            }
        }
    }
}
