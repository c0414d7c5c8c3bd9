using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// The repository's own scripts (build.ps1, the Pester suite, the manifest) parse with the PowerShell 7.6 parser and
    /// follow the layout rules of PSScriptAnalyzerSettings.psd1 that can be checked without PSScriptAnalyzer, which is
    /// not available here: 4-space indentation, no tabs, no trailing whitespace, no aliases of the cmdlets they call.
    /// </summary>
    public sealed class ScriptFileTests
    {
        public static TheoryData<string> ScriptFiles()
        {
            var data = new TheoryData<string>();
            string root = PowerShellSession.RepositoryRoot;
            var skipped = new[] { "out", "bin", "obj", "TestResults", ".git" };
            foreach (string file in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".ps1", StringComparison.Ordinal) || f.EndsWith(".psm1", StringComparison.Ordinal) || f.EndsWith(".psd1", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Where(f => !f.Split('/').Any(skipped.Contains))
                .OrderBy(f => f, StringComparer.Ordinal))
            {
                data.Add(file);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(ScriptFiles))]
        public void Parses_Without_Errors(string file)
        {
            Parser.ParseFile(Path.Combine(PowerShellSession.RepositoryRoot, file), out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{file}:{e.Extent.StartLineNumber}: {e.Message}")));
        }

        [Theory]
        [MemberData(nameof(ScriptFiles))]
        public void Is_Indented_With_Four_Spaces_And_Has_No_Trailing_Whitespace(string file)
        {
            string path = Path.Combine(PowerShellSession.RepositoryRoot, file);
            Parser.ParseFile(path, out Token[] tokens, out _);
            // Here-strings and block comments keep whatever layout their text needs.
            var verbatimLines = new HashSet<int>();
            foreach (Token token in tokens.Where(t => t.Kind == TokenKind.HereStringLiteral || t.Kind == TokenKind.HereStringExpandable || (t.Kind == TokenKind.Comment && t.Text.StartsWith("<#", StringComparison.Ordinal))))
            {
                for (int line = token.Extent.StartLineNumber + 1; line <= token.Extent.EndLineNumber; line++)
                {
                    verbatimLines.Add(line);
                }
            }

            string[] lines = File.ReadAllLines(path);
            var problems = new List<string>();
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                if (line.Contains('\t'))
                {
                    problems.Add($"{file}:{i + 1}: tab");
                }

                if (line.Length > 0 && char.IsWhiteSpace(line[line.Length - 1]))
                {
                    problems.Add($"{file}:{i + 1}: trailing whitespace");
                }

                int indent = line.Length - line.TrimStart(' ').Length;
                if (!verbatimLines.Contains(i + 1) && line.Trim().Length > 0 && indent % 4 != 0)
                {
                    problems.Add($"{file}:{i + 1}: indented by {indent} spaces");
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Theory]
        [MemberData(nameof(ScriptFiles))]
        public void Calls_Commands_By_Their_Full_Names(string file)
        {
            ScriptBlockAst ast = Parser.ParseFile(Path.Combine(PowerShellSession.RepositoryRoot, file), out _, out _);
            var aliases = new[] { "%", "?", "select", "where", "foreach", "gci", "ls", "dir", "cat", "echo", "sort", "ft", "fl", "iex", "gcm", "gm", "rm", "del", "cp", "mv", "cd", "sls" };
            string[] used = ast.FindAll(n => n is CommandAst, true)
                .Cast<CommandAst>()
                .Select(c => c.GetCommandName())
                .Where(name => name is not null && aliases.Contains(name, StringComparer.OrdinalIgnoreCase))
                .ToArray()!;
            Assert.Empty(used);
        }
    }
}
