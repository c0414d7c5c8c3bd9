using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// The PowerShell Gallery package made by the NewApiSyncPackage MSBuild target (what build.ps1 -Task Package runs):
    /// the whole module folder, and a .nuspec that says what the manifest says.
    /// </summary>
    public sealed class PackageTests : IDisposable
    {
        private readonly string _packageDir = Path.Combine(Path.GetTempPath(), "newapisync-package-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(_packageDir))
            {
                Directory.Delete(_packageDir, true);
            }
        }

        [Fact]
        public void The_Package_Holds_The_Module_Folder_And_A_Nuspec_Matching_The_Manifest()
        {
            string package = BuildPackage();
            using ZipArchive zip = ZipFile.OpenRead(package);
            string[] entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToArray();
            foreach (string required in new[]
            {
                "NewApiSync.psd1", "NewApiSync.Format.ps1xml", "NewApiSync.nuspec", "[Content_Types].xml",
                "bin/net8.0/NewApiSync.Engine.dll", "bin/net8.0/NewApiSync.LoadContext.dll",
                "bin/netstandard2.0/NewApiSync.PowerShell.dll", "bin/netstandard2.0/NewApiSync.Engine.dll",
                "en-US/NewApiSync.PowerShell.dll-Help.xml", "en-US/about_NewApiSync.help.txt",
            })
            {
                Assert.Contains(required, entries);
            }

            Assert.DoesNotContain(entries, e => e.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("NewApiSync.psm1", entries);
            Assert.DoesNotContain("bin/net8.0/NewApiSync.PowerShell.dll", entries);

            XElement metadata = XDocument.Load(zip.GetEntry("NewApiSync.nuspec")!.Open()).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

            using var session = new PowerShellSession(importModule: false);
            session.Run($"$m = Test-ModuleManifest -Path '{PowerShellSession.ModuleManifest}' -ErrorAction Stop");
            string Manifest(string expression) => session.Scalar<string>(expression);

            Assert.Equal("NewApiSync", Field("id"));
            Assert.Equal(Manifest("$m.Version.ToString(3)"), Field("version"));
            Assert.Equal(Path.GetFileName(package), $"NewApiSync.{Field("version")}.nupkg");
            Assert.Equal(Manifest("$m.Description"), Field("description"));
            Assert.Equal(Manifest("$m.Author"), Field("authors"));
            Assert.Equal(Manifest("$m.ProjectUri"), Field("projectUrl"));
            Assert.Equal(Manifest("$m.LicenseUri"), Field("licenseUrl"));
            Assert.Equal(Manifest("$m.ReleaseNotes").Replace("\r\n", "\n"), Field("releaseNotes").Replace("\r\n", "\n"));
            string[] tags = Field("tags").Split(' ');
            Assert.All(session.Run("$m.Tags").Select(t => t.ToString()), tag => Assert.Contains(tag, tags));
            Assert.Contains("PSModule", tags);
            Assert.Contains("PSCmdlet_Get-NewApiChannel", tags);
            Assert.Contains("PSCommand_Invoke-NewApiModelSync", tags);
        }

        private string BuildPackage()
        {
            var (exitCode, output) = ModuleProjectBuild.RunTarget("NewApiSyncPackage", ("NewApiSyncPackageDir", _packageDir + Path.DirectorySeparatorChar));
            Assert.True(exitCode == 0, output);
            return Assert.Single(Directory.GetFiles(_packageDir, "*.nupkg"));
        }
    }
}
