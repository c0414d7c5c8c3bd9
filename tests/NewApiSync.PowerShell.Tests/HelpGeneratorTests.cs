using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// The build step that compiles docs/commands/*.md into MAML (Build/NewApiSync.Help.targets), run on sample sources
    /// in a temporary folder: what it makes of each part of the format, and how it refuses a malformed file.
    /// </summary>
    public sealed class HelpGeneratorTests : IDisposable
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private readonly string _root = Path.Combine(Path.GetTempPath(), "newapisync-helpgen-" + Guid.NewGuid().ToString("N"));

        public HelpGeneratorTests() => Directory.CreateDirectory(Path.Combine(_root, "docs", "commands"));

        public void Dispose() => Directory.Delete(_root, true);

        private const string Sample = @"# Get-Thing

## SYNOPSIS
Gets things.

## DESCRIPTION
First paragraph,
continued.

- A list item with a [link](https://example.com).

## EXAMPLES

### Example 1: By name
```powershell
Get-Thing -Name a*
```
Gets the things whose names start with a.

```output
Name
----
apple
```

## PARAMETERS

### -Name
Names, with **wildcards**.

```yaml
Type: String[]
Parameter Sets: ByName
Aliases: ThingName
Required: True
Position: 0
Default value: None
Accept pipeline input: ByValue, ByPropertyName
Accept wildcard characters: True
```

### -Id
Ids.

```yaml
Type: Int32[]
Parameter Sets: ById
Required: True
Position: Named
```

### -Force
Also hidden things.

```yaml
Type: SwitchParameter
```

## INPUTS

### System.String[]
Names.

## OUTPUTS

### Thing
A thing.

## NOTES
A note.

## RELATED LINKS
- [Online](https://example.com/Get-Thing)
- [about_Things]()
";

        [Fact]
        public void Every_Part_Of_The_Format_Lands_In_The_Maml()
        {
            XElement command = Generate(("Get-Thing.md", Sample)).Single();
            Assert.Equal("Get-Thing", command.Element(Command + "details")!.Element(Command + "name")!.Value);
            Assert.Equal("Get", command.Element(Command + "details")!.Element(Command + "verb")!.Value);
            Assert.Equal("Gets things.", command.Element(Command + "details")!.Element(Maml + "description")!.Value);
            Assert.Equal(
                new[] { "First paragraph, continued.", "- A list item with a link (https://example.com)." },
                command.Element(Maml + "description")!.Elements(Maml + "para").Select(p => p.Value));

            // One syntax line per parameter set; the switch (no set given) is in both.
            var syntax = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
            Assert.Equal(new[] { "Name,Force", "Id,Force" }, syntax.Select(s => string.Join(",", s.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value))));

            XElement name = command.Element(Command + "parameters")!.Elements(Command + "parameter").First();
            Assert.Equal("true", name.Attribute("required")!.Value);
            Assert.Equal("0", name.Attribute("position")!.Value);
            Assert.Equal("True (ByValue, ByPropertyName)", name.Attribute("pipelineInput")!.Value);
            Assert.Equal("true", name.Attribute("globbing")!.Value);
            Assert.Equal("ThingName", name.Attribute("aliases")!.Value);
            Assert.Equal("Names, with wildcards.", name.Element(Maml + "description")!.Value);
            Assert.Equal("String[]", name.Element(Dev + "type")!.Value);

            XElement force = command.Element(Command + "parameters")!.Elements(Command + "parameter").Last();
            Assert.Null(force.Element(Command + "parameterValue"));
            Assert.Equal("named", force.Attribute("position")!.Value);
            Assert.Equal("False", force.Attribute("pipelineInput")!.Value);

            XElement example = command.Element(Command + "examples")!.Elements(Command + "example").Single();
            Assert.Contains("Example 1: By name", example.Element(Maml + "title")!.Value);
            Assert.Equal("Get-Thing -Name a*", example.Element(Dev + "code")!.Value);
            Assert.Equal(new[] { "Gets the things whose names start with a.", "Name\n----\napple" }, example.Element(Dev + "remarks")!.Elements(Maml + "para").Select(p => p.Value));

            Assert.Equal("System.String[]", command.Element(Command + "inputTypes")!.Descendants(Maml + "name").Single().Value);
            Assert.Equal("Thing", command.Element(Command + "returnValues")!.Descendants(Maml + "name").Single().Value);
            Assert.Equal("A note.", command.Element(Maml + "alertSet")!.Value);
            Assert.Equal(
                new[] { "Online=https://example.com/Get-Thing", "about_Things=" },
                command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").Select(l => l.Element(Maml + "linkText")!.Value + "=" + l.Element(Maml + "uri")!.Value));
        }

        [Fact]
        public void Malformed_Files_Fail_The_Build_Each_Saying_What_Is_Wrong()
        {
            // One build for all cases: the generator reports every bad file before failing.
            var cases = new[]
            {
                (Broken: Sample.Replace("## SYNOPSIS\nGets things.\n", "## SYNOPSIS\n"), Message: "'## SYNOPSIS' and '## DESCRIPTION' must both have text"),
                (Broken: Sample.Replace("Accept wildcard characters: True", "Colour: red"), Message: "unknown field 'Colour'"),
                (Broken: Sample.Replace("Required: True\nPosition: 0", "Required: yes\nPosition: 0"), Message: "'Required' must be True or False, not 'yes'"),
                (Broken: Sample.Replace("## NOTES", "## REMARKS"), Message: "unknown section '## REMARKS'"),
                (Broken: Sample.Replace("### -Id\nIds.\n", "### -Id\n"), Message: "parameter -Id has no description"),
            };
            for (int i = 0; i < cases.Length; i++)
            {
                Assert.NotEqual(Sample, cases[i].Broken);
                File.WriteAllText(Path.Combine(_root, "docs", "commands", $"Get-Thing{i}.md"), cases[i].Broken);
            }

            var (exitCode, output) = RunGenerator();
            Assert.NotEqual(0, exitCode);
            for (int i = 0; i < cases.Length; i++)
            {
                Assert.Contains(output.Split('\n'), line => line.Contains($"Get-Thing{i}.md") && line.Contains("NASHELP1") && line.Contains(cases[i].Message));
            }

            Assert.False(File.Exists(Path.Combine(_root, "module", "en-US", "NewApiSync.PowerShell.dll-Help.xml")), "no help file from bad sources");
        }

        private XElement[] Generate(params (string Name, string Text)[] files)
        {
            foreach (var (name, text) in files)
            {
                File.WriteAllText(Path.Combine(_root, "docs", "commands", name), text);
            }

            var (exitCode, output) = RunGenerator();
            Assert.True(exitCode == 0, output);
            string maml = Path.Combine(_root, "module", "en-US", "NewApiSync.PowerShell.dll-Help.xml");
            return XDocument.Load(maml).Root!.Elements(Command + "command").ToArray();
        }

        private (int ExitCode, string Output) RunGenerator() =>
            ModuleProjectBuild.RunTarget(
                "NewApiSyncCommandHelp",
                ("TargetFramework", "net8.0"),
                ("NewApiSyncDocsDir", Path.Combine(_root, "docs") + Path.DirectorySeparatorChar),
                ("NewApiSyncModuleDir", Path.Combine(_root, "module") + Path.DirectorySeparatorChar));
    }
}
