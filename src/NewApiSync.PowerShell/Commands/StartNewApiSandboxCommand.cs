using System;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Settings;
using NewApiSync.PowerShell.Internal;
using NewApiSync.Sandbox;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Starts a local New API look-alike on a random loopback port, seeded with a realistic site, and makes it this
    /// session's connection: every command can be tried, and scripts tested, without a real site.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "NewApiSandbox")]
    [OutputType(typeof(NewApiConnection))]
    public sealed class StartNewApiSandboxCommand : NewApiCmdlet
    {
        /// <summary>Which server generation to imitate: Paged (current) or Legacy (before 2025-06).</summary>
        [Parameter]
        public SandboxGeneration Generation { get => (SandboxGeneration)_generation; set => _generation = (int)value; }

        // Kept as its number: PowerShell lays out this class before the module can answer for the engine, and a field
        // of a sandbox enum would load the sandbox there (Internal/ModuleInitializer.cs, "no engine value types").
        private int _generation = (int)SandboxGeneration.Paged;

        /// <summary>Generate this many channels instead of the sample site (for trying scale).</summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int ChannelCount { get; set; }

        /// <summary>Models per generated channel (with -ChannelCount).</summary>
        [Parameter]
        [ValidateRange(1, 2000)]
        public int ModelsPerChannel { get; set; } = 30;

        /// <summary>Imitate the server's per-IP rate limit: this many requests per 180 s, then 429.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int RateLimitRequests { get; set; }

        /// <summary>Where the sandbox's journal and settings go; by default a throwaway folder removed by Stop-NewApiSandbox.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DataDirectory { get; set; }

        protected override void ProcessRecord()
        {
            ModuleSession session = ModuleSession.Current;
            if (session.Sandbox is not null)
            {
                WriteVerbose("Stopping the sandbox this session started earlier.");
                StopNewApiSandboxCommand.StopSessionSandbox(session);
            }

            SandboxSite site = MyInvocation.BoundParameters.ContainsKey(nameof(ChannelCount))
                ? SandboxSite.CreateGenerated(ChannelCount, ModelsPerChannel, seed: 1)
                : SandboxSite.CreateSample();
            var options = new SandboxOptions { Generation = Generation };
            if (RateLimitRequests > 0)
            {
                options.RateLimitRequests = RateLimitRequests;
            }

            SandboxServer server = SandboxServer.Start(site, options);
            var sandbox = new SandboxSession(server, DataDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(DataDirectory));
            NewApiConnection connection;
            using (var token = NewApiConnectedCmdlet.ToSecureString(server.AccessToken))
            {
                connection = new NewApiConnection(server.BaseUri.AbsoluteUri, token, server.UserId)
                {
                    IsSandbox = true,
                    ServerVersion = server.Options.Version,
                    Sandbox = server,
                    DataDirectory = sandbox.DataDirectory,
                };
            }

            TuneSettingsForLocalServer(sandbox.DataDirectory);
            session.Sandbox = sandbox;
            session.DefaultConnection = connection;
            WriteVerbose($"The sandbox listens on {connection.BaseUrl} ({Generation} generation) and is now this session's connection; its journal and settings live in {sandbox.DataDirectory}.");
            WriteObject(connection);
        }

        /// <summary>
        /// A fresh sandbox folder starts with settings for a local server (the production default of 20 requests a
        /// minute would make the tour take minutes). Saved settings in a folder the user named are left alone.
        /// </summary>
        private void TuneSettingsForLocalServer(string dataDirectory)
        {
            var store = new SyncSettingsStore(dataDirectory);
            if (System.IO.File.Exists(store.FilePath))
            {
                return;
            }

            int perMinute = RateLimitRequests > 0 ? Math.Max(1, RateLimitRequests / 3) : 600;
            store.Save(new SyncSettings { RequestsPerMinute = perMinute, Burst = Math.Min(50, perMinute) });
            WriteVerbose($"The sandbox's settings start at {perMinute} requests a minute; Set-NewApiSyncSetting changes them.");
        }
    }
}
