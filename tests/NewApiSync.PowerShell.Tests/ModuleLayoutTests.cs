using System.IO;
using System.Linq;
using System.Management.Automation;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>The built module folder is complete, importable and exports exactly what its manifest says.</summary>
    public sealed class ModuleLayoutTests
    {
        private static readonly string[] ExpectedCommands =
        {
            "Clear-NewApiModelRedirect", "Connect-NewApi", "Disconnect-NewApi", "Get-NewApiChannel", "Get-NewApiStandardModel",
            "Get-NewApiSyncHistory", "Get-NewApiSyncSetting", "Invoke-NewApiModelSync", "New-NewApiModelRedirect",
            "Restore-NewApiChannel", "Set-NewApiSyncSetting", "Start-NewApiAutoSync", "Start-NewApiSandbox", "Stop-NewApiSandbox",
            "Test-NewApiModelRedirect",
        };

        private static string ModuleDir => Path.GetDirectoryName(PowerShellSession.ModuleManifest)!;

        [Fact]
        public void TestModuleManifest_Passes_And_Reports_The_Version_From_The_Manifest()
        {
            using var session = new PowerShellSession(importModule: false);
            string version = session.Scalar<string>($"(Test-ModuleManifest -Path '{PowerShellSession.ModuleManifest}' -ErrorAction Stop).Version");
            Assert.False(session.Last.HadErrors, string.Join("; ", session.Last.Errors));
            string source = File.ReadAllText(Path.Combine(PowerShellSession.RepositoryRoot, "module", "NewApiSync.psd1"));
            Assert.Contains($"ModuleVersion          = '{version}'", source);
        }

        [Fact]
        public void Import_Exports_Exactly_The_Manifest_Commands()
        {
            using var session = new PowerShellSession();
            var names = session.Run("(Get-Command -Module NewApiSync).Name").Select(o => o.ToString()).OrderBy(n => n, System.StringComparer.OrdinalIgnoreCase).ToArray();
            Assert.Equal(ExpectedCommands.OrderBy(n => n, System.StringComparer.OrdinalIgnoreCase), names);
        }

        [Fact]
        public void Both_Edition_Folders_Carry_The_Engine_And_Their_Dependencies()
        {
            foreach (string framework in new[] { "net8.0", "netstandard2.0" })
            {
                string bin = Path.Combine(ModuleDir, "bin", framework);
                foreach (string dll in new[] { "NewApiSync.Engine.dll", "NewApiSync.Sandbox.dll", "Polly.Core.dll", "System.Threading.RateLimiting.dll" })
                {
                    Assert.True(File.Exists(Path.Combine(bin, dll)), $"{framework} lacks {dll}");
                }
            }

            // Windows PowerShell 5.1 has no System.Text.Json; PowerShell 7 has its own, which ours must not shadow.
            Assert.True(File.Exists(Path.Combine(ModuleDir, "bin", "netstandard2.0", "System.Text.Json.dll")));
            Assert.False(File.Exists(Path.Combine(ModuleDir, "bin", "net8.0", "System.Text.Json.dll")));
            Assert.False(File.Exists(Path.Combine(ModuleDir, "bin", "net8.0", "System.Management.Automation.dll")));
            Assert.False(File.Exists(Path.Combine(ModuleDir, "bin", "netstandard2.0", "System.Management.Automation.dll")));

            // One cmdlet assembly, the manifest's nested module, for both editions; PowerShell 7 reaches the net8.0 engine
            // through the load context beside it. No script loader is left over from the earlier layout.
            Assert.True(File.Exists(Path.Combine(ModuleDir, "bin", "netstandard2.0", "NewApiSync.PowerShell.dll")));
            Assert.False(File.Exists(Path.Combine(ModuleDir, "bin", "net8.0", "NewApiSync.PowerShell.dll")));
            Assert.True(File.Exists(Path.Combine(ModuleDir, "bin", "net8.0", "NewApiSync.LoadContext.dll")));
            Assert.False(File.Exists(Path.Combine(ModuleDir, "bin", "netstandard2.0", "NewApiSync.LoadContext.dll")));
            Assert.False(File.Exists(Path.Combine(ModuleDir, "NewApiSync.psm1")));
        }

        [Fact]
        public void The_Cmdlet_Assembly_Public_Types_Load_Without_The_Engine()
        {
            // PowerShell reads the public types of a binary module before the module's own code runs, so the load context
            // is not yet answering then. Were any of those types to need the engine to load (an engine enum field, a
            // generic constraint on an engine type, an engine base class), .NET would take the netstandard2.0 engine beside
            // the cmdlets into the default context and the isolation would be lost. Here nothing can supply the engine.
            var context = new System.Runtime.Loader.AssemblyLoadContext("cmdlets-alone", isCollectible: true);
            try
            {
                var cmdlets = context.LoadFromAssemblyPath(Path.Combine(ModuleDir, "bin", "netstandard2.0", "NewApiSync.PowerShell.dll"));
                System.Type[] types;
                try
                {
                    types = cmdlets.GetExportedTypes();
                }
                catch (System.IO.FileNotFoundException ex)
                {
                    throw new Xunit.Sdk.XunitException("A public type of NewApiSync.PowerShell needs " + ex.FileName + " just to load; see Internal/ModuleInitializer.cs.");
                }

                Assert.Contains(types, t => t.Name == "InvokeNewApiModelSyncCommand");
                Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name is "NewApiSync.Engine" or "NewApiSync.Sandbox");
            }
            finally
            {
                context.Unload();
            }
        }

        [Fact]
        public void The_Core_Edition_Loads_The_Net8_Build()
        {
            using var session = new PowerShellSession();
            string location = session.Scalar<string>("[NewApiSync.Engine.Api.NewApiClient].Assembly.Location");
            Assert.Equal(Path.Combine(ModuleDir, "bin", "net8.0", "NewApiSync.Engine.dll"), location);
        }
    }
}
