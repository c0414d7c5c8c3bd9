using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>The README tells the truth: its tour runs as written, and every command and parameter it shows exists.</summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class ReadmeTests
    {
        private static readonly string Readme = File.ReadAllText(Path.Combine(PowerShellSession.RepositoryRoot, "README.md"));

        private static IEnumerable<string> PowerShellBlocks() =>
            Regex.Matches(Readme, "```powershell\\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value);

        [Fact]
        public void The_Sandbox_Tour_Runs_As_Written_And_Its_Undo_Brings_The_Mapping_Back()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            string tour = PowerShellBlocks().Single(b => b.Contains("Start-NewApiSandbox"));
            string[] lines = tour.TrimEnd().Split('\n');
            Assert.StartsWith("Stop-NewApiSandbox", lines[^1]);

            using var session = new PowerShellSession();
            // The tour as written, except its last line, so the sandbox can be inspected afterwards.
            session.Run(string.Join("\n", lines.Take(lines.Length - 1)));
            // Channel 11's expired key is part of the story (the preview and the first sync report it); nothing else fails.
            Assert.NotEmpty(session.Last.Errors);
            Assert.All(session.Last.Errors, e =>
            {
                Assert.StartsWith("ChannelSyncFailed,", e.FullyQualifiedErrorId);
                Assert.Contains("(#11)", e.Exception.Message);
            });

            // The undo brings the cleared channel back exactly as it was before the clear (the redirect included).
            string beforeClear = session.Scalar<string>("@([NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1).ReadResults([NewApiSync.Engine.Journal.ResultQuery]@{ Kind = 'Clear' }))[0].OldModelMapping");
            Assert.Contains("\"gpt-4o\":\"openai/gpt-4o:free\"", beforeClear);
            Assert.Equal(beforeClear, session.Scalar<string>("$sbx.Sandbox.Site.Get(6).ModelMapping"));
            Assert.Contains("gpt-4o", session.Scalar<string>("$sbx.Sandbox.Site.Get(6).Models").Split(','));
            Assert.Equal("Succeeded", session.Scalar<string>("@(Get-NewApiSyncHistory -Kind Restore)[0].Status"));
            session.Run(lines[^1]);
            Assert.False(session.Last.HadErrors);
        }

        [Fact]
        public void Every_Command_And_Parameter_Shown_Exists()
        {
            using var session = new PowerShellSession();
            var exported = session.Run("Get-Command -Module NewApiSync | ForEach-Object Name").Select(o => (string)o.BaseObject).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var problems = new List<string>();
            foreach (string block in PowerShellBlocks())
            {
                ScriptBlockAst ast = Parser.ParseInput(block, out _, out ParseError[] parseErrors);
                Assert.Empty(parseErrors);
                foreach (CommandAst command in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
                {
                    string? name = command.GetCommandName();
                    if (name is null || !name.Contains("-NewApi", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    if (!exported.Contains(name))
                    {
                        problems.Add($"{name} is not a NewApiSync command");
                        continue;
                    }

                    var parameters = session.Run($"(Get-Command {name}).Parameters.Keys + @((Get-Command {name}).Parameters.Values | ForEach-Object Aliases)").Select(o => (string)o.BaseObject).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    foreach (CommandParameterAst parameter in command.CommandElements.OfType<CommandParameterAst>())
                    {
                        if (!parameters.Contains(parameter.ParameterName))
                        {
                            problems.Add($"{name} has no -{parameter.ParameterName}");
                        }
                    }
                }
            }

            foreach (Match mention in Regex.Matches(Readme, "`([A-Z][a-z]+-NewApi[A-Za-z]+)"))
            {
                if (!exported.Contains(mention.Groups[1].Value))
                {
                    problems.Add($"{mention.Groups[1].Value} (mentioned) is not a NewApiSync command");
                }
            }

            Assert.Empty(problems);
        }
    }
}
