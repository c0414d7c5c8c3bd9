using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// Get-Help as users see it, from the MAML the build generates out of docs/commands/*.md: complete for every
    /// documented command and in step with the cmdlets' real parameters.
    /// </summary>
    public sealed class HelpTests
    {
        private static string DocsDirectory => Path.Combine(PowerShellSession.RepositoryRoot, "docs", "commands");

        /// <summary>Every exported command (per the manifest); each must have complete help.</summary>
        public static TheoryData<string> DocumentedCommands()
        {
            var data = new TheoryData<string>();
            foreach (string name in ManifestCommands())
            {
                data.Add(name);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(DocumentedCommands))]
        public void Full_Help_Has_Synopsis_Description_Every_Parameter_And_Two_Examples(string command)
        {
            using var session = new PowerShellSession();
            session.SetVariable("name", command);
            var problems = session.Run(@"
$cmd = Get-Command -Name $name -ErrorAction Stop
$help = Get-Help -Name $name -Full
if ($help.Synopsis -match [regex]::Escape($name) -or [string]::IsNullOrWhiteSpace($help.Synopsis)) { 'no synopsis (Get-Help fell back to the syntax)' }
if (-not ($help.description | ForEach-Object Text | Where-Object { $_.Trim() })) { 'no description' }
$documented = @{}
foreach ($p in @($help.parameters.parameter)) { if ($p) { $documented[$p.name] = $p } }
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
foreach ($parameter in $cmd.Parameters.Values | Where-Object { $common -notcontains $_.Name }) {
    $doc = $documented[$parameter.Name]
    if (-not $doc) { ""-$($parameter.Name) is not documented""; continue }
    if (-not ($doc.description | ForEach-Object Text | Where-Object { $_.Trim() })) { ""-$($parameter.Name) has no description"" }
    $attribute = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })[0]
    $position = if ($attribute.Position -ge 0) { [string]$attribute.Position } else { 'named' }
    if ($doc.position -ne $position) { ""-$($parameter.Name): help says position $($doc.position), the cmdlet $position"" }
    if ($doc.required -ne $attribute.Mandatory.ToString().ToLowerInvariant()) { ""-$($parameter.Name): help says required=$($doc.required), the cmdlet $($attribute.Mandatory)"" }
    $byValue = $attribute.ValueFromPipeline; $byName = $attribute.ValueFromPipelineByPropertyName
    $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
    if ($doc.pipelineInput -ne $pipeline) { ""-$($parameter.Name): help says pipeline input $($doc.pipelineInput), the cmdlet $pipeline"" }
    $type = $parameter.ParameterType
    $typeName = if ($type.IsGenericType -and $type.GetGenericTypeDefinition() -eq [Nullable`1]) { $type.GetGenericArguments()[0].Name } else { $type.Name }
    if ($doc.type.name -ne $typeName) { ""-$($parameter.Name): help says type $($doc.type.name), the cmdlet $typeName"" }
}
foreach ($extra in $documented.Keys | Where-Object { -not $cmd.Parameters.ContainsKey($_) }) { ""-$extra is documented but the cmdlet has no such parameter"" }
$examples = @($help.examples.example)
if ($examples.Count -lt 2) { ""only $($examples.Count) example(s)"" }
foreach ($example in $examples) { if ([string]::IsNullOrWhiteSpace($example.code)) { ""$($example.title) has no code"" } }
if (-not $help.relatedLinks.navigationLink) { 'no related links' }
").Select(o => o.ToString()).ToList();
            Assert.False(session.Last.HadErrors, string.Join("; ", session.Last.Errors));
            Assert.True(problems.Count == 0, command + ": " + string.Join("; ", problems));
        }

        [Theory]
        [MemberData(nameof(DocumentedCommands))]
        public void Examples_Show_Code_And_Remarks(string command)
        {
            using var session = new PowerShellSession();
            var examples = session.Run($"(Get-Help -Name {command} -Examples).examples.example").ToList();
            Assert.True(examples.Count >= 2);
            Assert.All(examples, e =>
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Property<string>("code")));
                Assert.NotEmpty(session.Run("$args[0].remarks | ForEach-Object Text | Where-Object { $_ }".Replace("$args[0]", "$e"), new Dictionary<string, object?> { ["e"] = e }));
            });
        }

        [Fact]
        public void Every_Exported_Command_Has_A_Docs_File_And_Every_Docs_File_Names_One()
        {
            string[] exported = ManifestCommands();
            string[] documented = Directory.GetFiles(DocsDirectory, "*-*.md").Select(Path.GetFileNameWithoutExtension).ToArray()!;
            Assert.Empty(exported.Except(documented, StringComparer.OrdinalIgnoreCase));
            Assert.Empty(documented.Except(exported, StringComparer.OrdinalIgnoreCase));
        }

        [Fact]
        public void About_Topic_Explains_Concepts_Settings_Practices_And_Troubleshooting()
        {
            using var session = new PowerShellSession();
            string about = string.Join("\n", session.Run("Get-Help -Name about_NewApiSync").Select(o => o.ToString()));
            Assert.False(session.Last.HadErrors, string.Join("; ", session.Last.Errors));
            foreach (string text in new[]
            {
                "about_NewApiSync", "SHORT DESCRIPTION", "CONCEPTS", "Sync", "Redirect", "Journal", "Restore", "SETTINGS", "RequestsPerMinute",
                "BEST PRACTICES", "1 - 3", "6 - 12 hours", "TROUBLESHOOTING", "NewApiConfigurationMissing", "401", "429", "500", "timeout",
            })
            {
                Assert.Contains(text, about);
            }
        }

        [Fact]
        public void The_Help_File_Is_Named_For_The_Assembly_That_Holds_The_Cmdlets()
        {
            using var session = new PowerShellSession();
            string helpFile = session.Scalar<string>("(Get-Command Get-NewApiChannel).HelpFile");
            string moduleDir = Path.GetDirectoryName(PowerShellSession.ModuleManifest)!;
            Assert.True(File.Exists(Path.Combine(moduleDir, "en-US", helpFile)), helpFile + " is not in en-US");
        }

        /// <summary>CmdletsToExport as the manifest lists them (whether or not they are implemented yet).</summary>
        private static string[] ManifestCommands()
        {
            using var session = new PowerShellSession(importModule: false);
            return session.Run($"(Test-ModuleManifest -Path '{PowerShellSession.ModuleManifest}' -ErrorAction Stop).ExportedCmdlets.Keys")
                .Select(o => o.ToString()).ToArray();
        }
    }
}
