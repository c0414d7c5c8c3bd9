using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// The Pester files in tests/Pester run where pwsh and Pester are installed; here they are at least parsed, and every
    /// NewApiSync command they call must exist, so a typo or a renamed command fails in CI without Pester.
    /// </summary>
    public sealed class PesterScriptTests
    {
        private static string PesterDirectory => Path.Combine(PowerShellSession.RepositoryRoot, "tests", "Pester");

        public static TheoryData<string> Scripts()
        {
            var data = new TheoryData<string>();
            foreach (string file in Directory.GetFiles(PesterDirectory, "*.ps1").OrderBy(f => f))
            {
                data.Add(Path.GetFileName(file));
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Scripts))]
        public void Parses_And_Calls_Only_Commands_The_Module_Exports(string file)
        {
            ScriptBlockAst ast = Parser.ParseFile(Path.Combine(PesterDirectory, file), out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, file + ": " + string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));

            // Helpers the test files define themselves (TestHelpers.psm1 and local functions) are not module commands.
            var helpers = new HashSet<string>(Directory.GetFiles(PesterDirectory, "*.ps*1")
                .SelectMany(f => Parser.ParseFile(f, out _, out _).FindAll(a => a is FunctionDefinitionAst, searchNestedScriptBlocks: true))
                .Cast<FunctionDefinitionAst>().Select(f => f.Name), System.StringComparer.OrdinalIgnoreCase);
            var called = ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>()
                .Select(c => c.GetCommandName()).Where(n => n is not null && n.Contains("-NewApi") && !helpers.Contains(n)).Distinct().ToList();
            using var session = new PowerShellSession();
            var exported = new HashSet<string>(session.Run("(Get-Module NewApiSync).ExportedCmdlets.Keys").Select(o => o.ToString()), System.StringComparer.OrdinalIgnoreCase);
            Assert.NotEmpty(called);
            foreach (string? name in called)
            {
                Assert.True(exported.Contains(name!), $"{file} calls {name}, which the module does not export.");
            }
        }

        [Fact]
        public void Every_Test_File_Imports_The_Module_Through_The_Shared_Helper()
        {
            foreach (string file in Directory.GetFiles(PesterDirectory, "*.Tests.ps1"))
            {
                string text = File.ReadAllText(file);
                Assert.Contains("TestHelpers.psm1", text);
                Assert.Contains("Enter-NewApiSyncTest", text);
                Assert.Contains("Exit-NewApiSyncTest", text);
            }
        }
    }
}
