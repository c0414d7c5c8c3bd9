using System;
using System.IO;
using NewApiSync.Sandbox;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// A sandbox started by Start-NewApiSandbox and the data folder its journal and settings live in: a throwaway
    /// folder unless the user named one, so trying things never touches real history or settings.
    /// </summary>
    internal sealed class SandboxSession : IDisposable
    {
        private readonly bool _ownsDataDirectory;

        public SandboxSession(SandboxServer server, string? dataDirectory)
        {
            Server = server;
            _ownsDataDirectory = dataDirectory is null;
            DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "NewApiSync-sandbox-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(DataDirectory);
        }

        public SandboxServer Server { get; }

        public string DataDirectory { get; }

        public void Dispose()
        {
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
