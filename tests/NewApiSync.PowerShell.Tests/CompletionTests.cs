using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// The argument completers, called as PowerShell calls them (CompleteArgument on the pipeline thread of the session
    /// that holds the connection). Which parameters use them is declared on the cmdlets.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class CompletionTests
    {
        private const string Complete = "function Complete($completer, $word, $bound = @{}) { " +
            "([type]\"NewApiSync.PowerShell.Completion.$completer\")::new().CompleteArgument('Cmd', 'Param', $word, $null, $bound) }\n";

        [Theory]
        [InlineData("'Open'", new[] { "'OpenAI official'", "'OpenAI reseller (expired key)'", "'OpenRouter free tier'" })]
        [InlineData("zhip", new[] { "'Zhipu GLM'" })]
        [InlineData("Deep", new[] { "DeepSeek" })]
        [InlineData("*paused*", new[] { "'Azure East US (paused)'" })]
        [InlineData("nothing-like-this", new string[0])]
        public void Channel_Names_Complete_From_The_Session_Connection_Quoted_When_Needed(string word, string[] expected)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$null = Start-NewApiSandbox");
            var names = Texts(session, Complete + $"Complete ChannelNameCompleter \"{word}\"");
            Assert.Equal(expected, names);
        }

        [Theory]
        [InlineData("Get-NewApiChannel -Name Azure", "'Azure East US (paused)'")]
        [InlineData("Get-NewApiChannel -Id 1", "1")]
        [InlineData("Invoke-NewApiModelSync -Id 1", "1")]
        [InlineData("Clear-NewApiModelRedirect -Id 1", "1")]
        [InlineData("New-NewApiModelRedirect -StandardModel claude-4.5-son", "claude-4.5-sonnet")]
        [InlineData("Set-NewApiSyncSetting -StandardModels gpt-4.1-mi", "gpt-4.1-mini")]
        [InlineData("Get-NewApiStandardModel gemini-2.5-flash-l", "gemini-2.5-flash-lite")]
        [InlineData("Get-NewApiSyncHistory -ChannelId 1", "1")]
        [InlineData("Restore-NewApiChannel -RunId x -ChannelId 1", "1")]
        public void The_Commands_Complete_Their_Parameters_With_Tab(string line, string expected)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$null = Start-NewApiSandbox");
            var matches = session.Run($"(TabExpansion2 -inputScript '{line.Replace("'", "''")}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText").Select(m => m.ToString()).ToList();
            Assert.Contains(expected, matches);
        }

        [Fact]
        public void Run_Ids_Complete_From_The_Sites_Journal_On_Both_History_Commands()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            string runId = (string)session.Run("$null = Start-NewApiSandbox; Set-NewApiSyncSetting -MaxRetries 0; $null = Invoke-NewApiModelSync -Id 4; @(Get-NewApiSyncHistory -Run)[0].RunId").Single().BaseObject;
            foreach (string line in new[] { "Get-NewApiSyncHistory -RunId 2", "Restore-NewApiChannel -RunId 2" })
            {
                var matches = session.Run($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText").Select(m => m.ToString().Trim('\''));
                Assert.Contains(runId, matches);
            }
        }

        [Fact]
        public void Tab_Completion_Uses_A_Completer_Registered_For_A_Parameter()
        {
            // The cmdlets get [ArgumentCompleter] attributes; registering the same class shows the whole path through TabExpansion2.
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$null = Start-NewApiSandbox\n" +
                        "Register-ArgumentCompleter -CommandName Get-NewApiChannel -ParameterName Name -ScriptBlock {\n" +
                        "    param($command, $parameter, $word, $ast, $bound)\n" +
                        "    [NewApiSync.PowerShell.Completion.ChannelNameCompleter]::new().CompleteArgument($command, $parameter, $word, $ast, $bound)\n" +
                        "}");
            const string line = "Get-NewApiChannel -Name Azure";
            var matches = session.Run($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches | ForEach-Object CompletionText");
            Assert.Equal(new[] { "'Azure East US (paused)'" }, matches.Select(m => m.ToString()));
        }

        [Fact]
        public void Channel_Ids_Complete_By_Number_Or_By_Name_And_Describe_The_Channel()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$null = Start-NewApiSandbox -ChannelCount 25");
            Assert.Equal(new[] { "2", "20", "21", "22", "23", "24", "25" }, Texts(session, Complete + "Complete ChannelIdCompleter '2'"));

            var all = session.Run(Complete + "Complete ChannelIdCompleter ''").Select(o => (CompletionResult)o.BaseObject).ToList();
            Assert.Equal(Enumerable.Range(1, 25).Select(i => i.ToString()), all.Select(r => r.CompletionText));
            string firstName = (string)session.Run("(Get-NewApiChannel -Id 1).Name").Single().BaseObject;
            Assert.Contains(firstName, all[0].ToolTip);
            Assert.Contains(firstName, all[0].ListItemText);

            var byName = Texts(session, Complete + $"Complete ChannelIdCompleter '{firstName}'");
            Assert.Contains("1", byName);
        }

        [Fact]
        public void Channels_Are_Cached_Per_Connection_For_A_Minute()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox; $sbx.Sandbox.ClearRequests()");
            session.Run(Complete + "$null = Complete ChannelNameCompleter 'a'; $null = Complete ChannelIdCompleter '1'; $null = Complete ChannelNameCompleter 'z'");
            int listRequests = Convert.ToInt32(session.Run("@($sbx.Sandbox.Requests).Count").Single().BaseObject);
            Assert.Equal(1, listRequests);
        }

        [Fact]
        public void Without_A_Connection_Or_With_An_Unreachable_Site_Completion_Offers_Nothing_And_Never_Throws()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            Assert.Empty(Texts(session, Complete + "Complete ChannelNameCompleter ''"));
            Assert.Empty(Texts(session, Complete + "Complete RunIdCompleter ''"));

            session.Run("$sbx = Start-NewApiSandbox; Stop-NewApiSandbox");
            Assert.Empty(Texts(session, Complete + "Complete ChannelIdCompleter '' @{ Connection = $sbx }"));
            Assert.False(session.Last.HadErrors);
        }

        [Fact]
        public void The_Typed_Connection_Wins_Over_The_Session_Default()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$big = Start-NewApiSandbox -ChannelCount 40; $null = Start-NewApiSandbox -ChannelCount 3");
            // Starting the second sandbox stopped the first, so a typed connection to it reaches nothing.
            Assert.Equal(3, Texts(session, Complete + "Complete ChannelIdCompleter ''").Length);
            Assert.Empty(Texts(session, Complete + "Complete ChannelIdCompleter '' @{ Connection = $big }"));
        }

        [Fact]
        public void Standard_Models_Offer_Saved_Names_First_Then_The_Catalog()
        {
            string root = Path.Combine(Path.GetTempPath(), "newapisync-completion-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(root);
            try
            {
                using var env = new EnvironmentScope(("NEWAPISYNC_DATA", root));
                File.WriteAllText(Path.Combine(root, "settings.json"), "{ \"standardModels\": [\"claude-house-blend\", \"gpt-4o\"] }");
                using var session = new PowerShellSession();
                var claude = Texts(session, Complete + "Complete StandardModelCompleter 'claude-4'");
                Assert.Contains("claude-4.5-sonnet", claude);
                Assert.All(claude, name => Assert.StartsWith("claude-4", name));

                var gpt = Texts(session, Complete + "Complete StandardModelCompleter 'GPT-4o'");
                Assert.Equal(new[] { "gpt-4o", "gpt-4o-mini" }, gpt);

                Assert.Equal("claude-house-blend", Texts(session, Complete + "Complete StandardModelCompleter 'claude'")[0]);
            }
            finally
            {
                Directory.Delete(root, true);
            }
        }

        [Fact]
        public void Run_Ids_Come_From_The_Sites_Journal_Newest_First()
        {
            // The sandbox's journal lives in its own data folder, which is where the completer must look.
            string root = Path.Combine(Path.GetTempPath(), "newapisync-completion-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(root);
            try
            {
                using var env = new EnvironmentScope(("NEWAPISYNC_DATA", root), ("NEWAPI_BASE_URL", null), ("NEWAPI_ACCESS_TOKEN", null), ("NEWAPI_USER_ID", null));
                using var session = new PowerShellSession();
                session.Run("$sbx = Start-NewApiSandbox\n" +
                            "$journal = [NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, $sbx.UserId)\n" +
                            "foreach ($id in '20260101T000000000Z-aaaaaa', '20260102T000000000Z-bbbbbb') {\n" +
                            "    $header = [NewApiSync.Engine.Results.NewApiSyncRun]::new(); $header.RunId = $id; $header.BaseUrl = $sbx.BaseUrl; $header.UserId = $sbx.UserId\n" +
                            "    $header.StartedAt = [DateTimeOffset]::ParseExact($id.Substring(0, 8), 'yyyyMMdd', $null, 'AssumeUniversal'); $header.Mode = 'All'\n" +
                            "    $writer = $journal.BeginRun($header); $writer.Complete($writer.Summary($header.StartedAt.AddMinutes(1))); $writer.Dispose()\n" +
                            "}");
                Assert.False(session.Last.HadErrors, string.Join("; ", session.Last.Errors));
                Assert.Equal(new[] { "20260102T000000000Z-bbbbbb", "20260101T000000000Z-aaaaaa" }, Texts(session, Complete + "Complete RunIdCompleter ''"));
                Assert.Equal(new[] { "20260101T000000000Z-aaaaaa" }, Texts(session, Complete + "Complete RunIdCompleter '20260101'"));
                var tip = (CompletionResult)session.Run(Complete + "Complete RunIdCompleter '20260102'").Single().BaseObject;
                Assert.StartsWith("Sync All", tip.ToolTip);
            }
            finally
            {
                Directory.Delete(root, true);
            }
        }

        private static string[] Texts(PowerShellSession session, string script) =>
            session.Run(script).Select(o => ((CompletionResult)o.BaseObject).CompletionText).ToArray();
    }
}
