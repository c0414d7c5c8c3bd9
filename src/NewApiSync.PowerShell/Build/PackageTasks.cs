// MSBuild inline task (RoslynCodeTaskFactory): the .nuspec of the PowerShell Gallery package, from the module manifest,
// so the version, description, tags and links are written in one place only. Compiled by MSBuild, not into the module.
using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WriteModuleNuspec : Task
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";

    [Required]
    public string ManifestPath { get; set; }

    [Required]
    public string OutputFile { get; set; }

    [Output]
    public string Version { get; set; }

    public override bool Execute()
    {
        string manifest = File.ReadAllText(ManifestPath);
        string name = Path.GetFileNameWithoutExtension(ManifestPath);
        Version = Text(manifest, "ModuleVersion");
        if (string.IsNullOrEmpty(Version))
        {
            Log.LogError("No ModuleVersion in {0}.", ManifestPath);
            return false;
        }

        // The tags PowerShellGet itself adds, so Find-Module -Command / -Tag work for this package.
        var tags = List(manifest, "Tags")
            .Concat(new[] { "PSModule" })
            .Concat(List(manifest, "CmdletsToExport").SelectMany(c => new[] { "PSCmdlet_" + c, "PSCommand_" + c }))
            .Distinct(StringComparer.OrdinalIgnoreCase);

        var metadata = new XElement(Nuspec + "metadata",
            new XElement(Nuspec + "id", name),
            new XElement(Nuspec + "version", Version),
            new XElement(Nuspec + "authors", Text(manifest, "Author")),
            new XElement(Nuspec + "owners", Text(manifest, "CompanyName")),
            new XElement(Nuspec + "requireLicenseAcceptance", "false"),
            new XElement(Nuspec + "licenseUrl", Text(manifest, "LicenseUri")),
            new XElement(Nuspec + "projectUrl", Text(manifest, "ProjectUri")),
            new XElement(Nuspec + "description", Text(manifest, "Description")),
            new XElement(Nuspec + "releaseNotes", Text(manifest, "ReleaseNotes")),
            new XElement(Nuspec + "copyright", Text(manifest, "Copyright")),
            new XElement(Nuspec + "tags", string.Join(" ", tags)));
        Directory.CreateDirectory(Path.GetDirectoryName(OutputFile));
        new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(Nuspec + "package", metadata)).Save(OutputFile);
        return true;
    }

    /// <summary>A single-quoted manifest value (Key = '...'), with '' unescaped; empty when absent.</summary>
    private static string Text(string manifest, string key)
    {
        Match match = Regex.Match(manifest, @"(?m)^\s*" + key + @"\s*=\s*'((?:[^']|'')*)'");
        return match.Success ? match.Groups[1].Value.Replace("''", "'") : string.Empty;
    }

    /// <summary>The single-quoted strings of a manifest array (Key = @('a', 'b') or one per line).</summary>
    private static string[] List(string manifest, string key)
    {
        Match match = Regex.Match(manifest, @"(?m)^\s*" + key + @"\s*=\s*@\(([^)]*)\)");
        return match.Success
            ? Regex.Matches(match.Groups[1].Value, @"'([^']*)'").Cast<Match>().Select(m => m.Groups[1].Value).ToArray()
            : new string[0];
    }
}
