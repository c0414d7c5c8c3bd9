using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>Get-NewApiSyncHistory and Restore-NewApiChannel, as an admin drives them against the sandbox.</summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class HistoryCommandTests
    {
        private const string GetCmd = "NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand";
        private const string RestoreCmd = "NewApiSync.PowerShell.Commands.RestoreNewApiChannelCommand";
        private const string SampleModelsOf1 = "gpt-4o,gpt-4o-mini,gpt-4-turbo";

        /// <summary>A session on a fresh sample sandbox with fast retries; $sbx is its connection; <paramref name="script"/> runs next.</summary>
        private static PowerShellSession SandboxSession(string script = "")
        {
            var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox; Set-NewApiSyncSetting -MaxRetries 1 -RequestsPerMinute 6000 -Burst 100");
            if (script.Length > 0)
            {
                session.Run(script);
            }

            return session;
        }

        private const string FullSync = "$null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue";

        private static int[] Ids(IEnumerable<PSObject> records) => records.Select(r => (int)r.Properties["ChannelId"].Value).OrderBy(i => i).ToArray();

        private static int Count(PowerShellSession session, string script) => Convert.ToInt32(session.Run("@(" + script + ").Count").Single().BaseObject);

        private static string Models(PowerShellSession session, int id) => (string)session.Run($"$sbx.Sandbox.Site.Get({id}).Models").Single().BaseObject;

        [Fact]
        public void By_Default_Shows_The_Records_Of_The_Last_Sync_Run_And_Run_Shows_The_Summaries()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession("Set-NewApiSyncSetting -AutoSync $true; " + FullSync + "; $null = Invoke-NewApiModelSync -Id 4");

            var last = session.Run("Get-NewApiSyncHistory");
            Assert.Equal(new[] { 4 }, Ids(last));
            Assert.Equal("NewApiSync.Engine.Results.NewApiSyncResult", last.Single().BaseObject.GetType().FullName);
            Assert.Equal(13, Count(session, "Get-NewApiSyncHistory -Last 2"));

            var runs = session.Run("Get-NewApiSyncHistory -Run");
            Assert.Equal(2, runs.Count);
            Assert.All(runs, r => Assert.Equal("NewApiSync.Engine.Results.NewApiSyncRun", r.BaseObject.GetType().FullName));
            Assert.Equal(("Selected", 1), (runs[0].Properties["Mode"].Value.ToString(), (int)runs[0].Properties["Total"].Value));
            PSObject full = runs[1];
            Assert.Equal(("All", 12, 1, false), (full.Properties["Mode"].Value.ToString(), (int)full.Properties["Total"].Value, (int)full.Properties["Failed"].Value, (bool)full.Properties["Interrupted"].Value));
            Assert.NotNull(full.Properties["NextScheduledTime"].Value);
            Assert.NotNull(full.Properties["Duration"].Value);
            Assert.Single(session.Run("Get-NewApiSyncHistory -Run -Last 1"));
        }

        [Fact]
        public void Run_Summaries_Pipe_Into_Get_NewApiSyncHistory_By_RunId()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync + "; $null = Invoke-NewApiModelSync -Id 4; $null = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false");
            Assert.Equal(new[] { "Restore" }, session.Run("Get-NewApiSyncHistory -Run -Kind Restore").Select(r => r.Properties["Kind"].Value.ToString()));
            var records = session.Run("@(Get-NewApiSyncHistory -Run -Kind Sync)[1] | Get-NewApiSyncHistory");
            Assert.Equal(12, records.Count);
            Assert.Equal(new[] { 4 }, Ids(session.Run("Get-NewApiSyncHistory -Run -Kind Restore | Get-NewApiSyncHistory")));
        }

        [Theory]
        [InlineData("-Status Failed", new[] { 11 })]
        [InlineData("-Status Cancelled", new int[0])]
        [InlineData("-Status All -ChannelId 2, 3", new[] { 2, 3 })]
        [InlineData("-Search 'EXPIRED KEY'", new[] { 11 })]              // channel name, case-insensitive
        [InlineData("-Search 'status code: 401'", new[] { 11 })]         // error message
        [InlineData("-Search 12", new[] { 12 })]                         // channel id
        [InlineData("-Search 'glm'", new[] { 9 })]
        [InlineData("-Status Succeeded -Search 'expired'", new int[0])]  // filters combine
        [InlineData("-Kind Restore", new int[0])]
        [InlineData("-Since ([DateTime]::Now.AddMinutes(5))", new int[0])]
        [InlineData("-Since ([DateTime]::Now.AddHours(-1)) -ChannelId 1", new[] { 1 })]
        [InlineData("-RunId $runId -ChannelId 5", new[] { 5 })]
        public void Every_Filter_Narrows_The_Records(string filter, int[] expected)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync + "; $runId = @(Get-NewApiSyncHistory -Run)[0].RunId");
            Assert.Equal(12, Count(session, "Get-NewApiSyncHistory"));
            Assert.Equal(expected, Ids(session.Run("Get-NewApiSyncHistory " + filter)));
            Assert.False(session.Last.HadErrors);
        }

        [Fact]
        public void Status_Skipped_And_Succeeded_Return_Only_Records_Of_That_Status()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            // An upstream that lists no models makes channel 4 Skipped.
            using var session = SandboxSession("$sbx.Sandbox.Site.SetUpstream(4); " + FullSync);
            foreach (string status in new[] { "Succeeded", "Skipped" })
            {
                var records = session.Run("Get-NewApiSyncHistory -Status " + status);
                Assert.NotEmpty(records);
                Assert.All(records, r => Assert.Equal(status, r.Properties["Status"].Value.ToString()));
            }

            Assert.Equal(12, Count(session, "Get-NewApiSyncHistory -Status Succeeded") + Count(session, "Get-NewApiSyncHistory -Status Skipped") + 1);
        }

        [Fact]
        public void Bad_Input_Stops_With_A_Clear_Error_And_An_Unknown_Run_Is_Reported()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync);
            Assert.StartsWith("ParameterArgumentValidationError,", session.RunExpectingTerminatingError("Get-NewApiSyncHistory -Last 0").FullyQualifiedErrorId);
            Assert.StartsWith("ParameterArgumentValidationError,", session.RunExpectingTerminatingError("Get-NewApiSyncHistory -Status Broken").FullyQualifiedErrorId);

            ErrorRecord malformed = session.RunExpectingTerminatingError("Get-NewApiSyncHistory -RunId '../settings'");
            Assert.Equal("InvalidHistoryQuery," + GetCmd, malformed.FullyQualifiedErrorId);
            Assert.Contains("is not a run id", malformed.Exception.Message);

            Assert.Empty(session.Run("Get-NewApiSyncHistory -RunId 20200101T000000000Z-abcdef -ErrorVariable missing -ErrorAction SilentlyContinue"));
            var missing = (ErrorRecord)Assert.Single(session.Run("$missing")).BaseObject;
            Assert.Equal("CannotFindRun," + GetCmd, missing.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        }

        [Fact]
        public void BaseUrl_Reads_A_Sites_Journal_Without_Connecting()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync);
            string dataDirectory = (string)session.Run("$sbx.DataDirectory").Single().BaseObject;
            string baseUrl = (string)session.Run("$sbx.BaseUrl").Single().BaseObject;
            session.Run("$sbx.Sandbox.ClearRequests()");

            using var data = new EnvironmentScope(("NEWAPISYNC_DATA", dataDirectory));
            using var offline = new PowerShellSession();
            Assert.Equal(new[] { 11 }, Ids(offline.Run($"Get-NewApiSyncHistory -BaseUrl '{baseUrl}' -Status Failed")));
            Assert.Equal(12, (int)offline.Run($"Get-NewApiSyncHistory -BaseUrl '{baseUrl}' -UserId 1 -Run").Single().Properties["Total"].Value);
            Assert.Empty(offline.Run($"Get-NewApiSyncHistory -BaseUrl '{baseUrl}' -UserId 2"));
            Assert.Equal(0, session.Run("$sbx.Sandbox.Requests.Count").Single().BaseObject);

            // Without -BaseUrl the same session has nothing to read from.
            Assert.Equal("NewApiConfigurationMissing," + GetCmd, offline.RunExpectingTerminatingError("Get-NewApiSyncHistory").FullyQualifiedErrorId);
        }

        [Fact]
        public void Failed_Records_Pipe_Straight_Back_Into_A_Sync()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync + "; $sbx.Sandbox.Site.SetUpstreamError(11, $null); $sbx.Sandbox.ClearRequests()");
            var rerun = session.Run("Get-NewApiSyncHistory -Status Failed | Invoke-NewApiModelSync");
            PSObject only = Assert.Single(rerun);
            Assert.Equal((11, "Succeeded"), ((int)only.Properties["ChannelId"].Value, only.Properties["Status"].Value.ToString()));
            Assert.Equal(new[] { 11 }, session.Run("$sbx.Sandbox.Requests | Where-Object Route -eq 'FetchModels' | ForEach-Object ChannelId").Select(o => (int)o.BaseObject));
        }

        [Fact]
        public void Restoring_A_Sync_Puts_The_Old_Models_Back_As_A_Journaled_Restore_Run_That_Can_Be_Undone()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync);
            string synced = Models(session, 1);

            var restored = session.Run("Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false");
            Assert.Equal(SampleModelsOf1, Models(session, 1));
            Assert.Equal(12, restored.Count);
            Assert.All(restored, r => Assert.Equal("Restore", r.Properties["Kind"].Value.ToString()));
            PSObject failedOne = restored.Single(r => (int)r.Properties["ChannelId"].Value == 11);
            Assert.Equal("Skipped", failedOne.Properties["Status"].Value.ToString());
            Assert.False(session.Last.HadErrors);

            PSObject run = session.Run("@(Get-NewApiSyncHistory -Run)[0]").Single();
            Assert.Equal(("Restore", "Selected"), (run.Properties["Kind"].Value.ToString(), run.Properties["Mode"].Value.ToString()));

            session.Run("$null = Get-NewApiSyncHistory -Kind Restore | Restore-NewApiChannel -Confirm:$false");
            Assert.Equal(synced, Models(session, 1));
        }

        [Theory]
        [InlineData("{ \"glm-4\": \"glm-4.5\", \"glm-z\": \"glm-4.6\" }")]
        [InlineData("{glm-4: glm-4.5")]
        public void Restoring_A_Clear_Brings_The_Mapping_Back_Exactly(string oldMapping)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            // A Clear run as the redirect commands journal it, and the channel as it left it. (RunIds::New reads as a constructor in PowerShell.)
            session.Run(@"
                param($old)
                $sbx.Sandbox.Site.Change(9, [Action[NewApiSync.Sandbox.SandboxChannel]]{ param($c) $c.ModelMapping = $old }) | Out-Null
                $journal = [NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1)
                $now = [DateTimeOffset]::UtcNow
                $header = [NewApiSync.Engine.Results.NewApiSyncRun]@{ RunId = $now.UtcDateTime.ToString(""yyyyMMdd'T'HHmmssfff'Z'"") + '-c1ea12'; Kind = 'Clear'; BaseUrl = $sbx.BaseUrl; UserId = 1; Mode = 'Selected'; StartedAt = $now }
                $writer = $journal.BeginRun($header)
                $models = [string[]]$sbx.Sandbox.Site.Get(9).Models.Split(',')
                $writer.Append([NewApiSync.Engine.Results.NewApiSyncResult]@{ RunId = $header.RunId; Kind = 'Clear'; BaseUrl = $sbx.BaseUrl; ChannelId = 9; ChannelName = 'Zhipu GLM'; Status = 'Succeeded'; Changed = $true; OldModels = $models; NewModels = $models; OldModelMapping = $old; NewModelMapping = '{}'; StartedAt = $now })
                $writer.Complete($writer.Summary([DateTimeOffset]::UtcNow))
                $writer.Dispose()
                $sbx.Sandbox.Site.Change(9, [Action[NewApiSync.Sandbox.SandboxChannel]]{ param($c) $c.ModelMapping = '{}' }) | Out-Null
                $clearRun = $header.RunId".Replace("param($old)", "$old = '" + oldMapping.Replace("'", "''") + "'"));
            Assert.False(session.Last.HadErrors, session.Last.AllText);

            var result = session.Run("Restore-NewApiChannel -RunId $clearRun -Confirm:$false").Single();
            Assert.Equal(oldMapping, session.Run("$sbx.Sandbox.Site.Get(9).ModelMapping").Single().BaseObject);
            Assert.Equal("glm-4.5,glm-4", Models(session, 9));
            Assert.Equal(("{}", oldMapping), ((string)result.Properties["OldModelMapping"].Value, (string)result.Properties["NewModelMapping"].Value));
        }

        [Fact]
        public void A_Channel_Changed_Since_The_Run_Fails_With_Advice_And_Force_Restores_It()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession("$null = Invoke-NewApiModelSync -Id 1, 2; $sbx.Sandbox.Site.Change(1, [Action[NewApiSync.Sandbox.SandboxChannel]]{ param($c) $c.Models = 'gpt-5' }) | Out-Null; $sbx.Sandbox.ClearRequests()");

            var results = session.Run("Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false -ErrorVariable restoreErrors -ErrorAction SilentlyContinue");
            Assert.Equal("Failed", results.Single(r => (int)r.Properties["ChannelId"].Value == 1).Properties["Status"].Value.ToString());
            Assert.Equal("Succeeded", results.Single(r => (int)r.Properties["ChannelId"].Value == 2).Properties["Status"].Value.ToString());
            var error = (ErrorRecord)Assert.Single(session.Run("$restoreErrors")).BaseObject;
            Assert.Equal("ChannelRestoreFailed," + RestoreCmd, error.FullyQualifiedErrorId);
            Assert.Contains("changed since run", error.Exception.Message);
            Assert.Contains("-Force", error.ErrorDetails.RecommendedAction);
            Assert.Equal("gpt-5", Models(session, 1));
            Assert.Equal(1, session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject); // channel 2 only

            session.Run("$null = Get-NewApiSyncHistory -Kind Sync -ChannelId 1 | Restore-NewApiChannel -Force -Confirm:$false");
            Assert.Equal(SampleModelsOf1, Models(session, 1));
        }

        [Fact]
        public void WhatIf_Says_What_Would_Change_And_Writes_And_Journals_Nothing()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync + "; $sbx.Sandbox.ClearRequests()");
            string synced = Models(session, 1);

            session.Run("$null = Get-NewApiSyncHistory | Restore-NewApiChannel -WhatIf");

            Assert.Equal(0, session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject);
            Assert.Equal(synced, Models(session, 1));
            Assert.Equal(1, Count(session, "Get-NewApiSyncHistory -Run"));
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("OpenAI official (#1)") && l.Contains("Restore models (+1 -8 models)"));
        }

        [Theory]
        [InlineData(new[] { "Y", "N", "Y" }, new[] { 1, 3 }, 3)]
        [InlineData(new[] { "N", "A" }, new[] { 2, 3 }, 2)]
        [InlineData(new[] { "L" }, new int[0], 1)]
        public void ConfirmImpact_High_Asks_For_Each_Channel_By_Default(string[] answers, int[] restored, int prompts)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            // One worker, so the questions come in channel order.
            using var session = SandboxSession("Set-NewApiSyncSetting -Concurrency 1; $null = Invoke-NewApiModelSync -Id 1, 2, 3; $sbx.Sandbox.ClearRequests()");
            foreach (string answer in answers)
            {
                session.Host.RecordingUI.ChoiceAnswers.Enqueue(answer);
            }

            var results = session.Run("Get-NewApiSyncHistory | Restore-NewApiChannel");

            Assert.Equal(prompts, session.Host.RecordingUI.Prompts.Count);
            Assert.Empty(session.Host.RecordingUI.ChoiceAnswers);
            Assert.Equal(restored, results.Where(r => (bool)r.Properties["Changed"].Value).Select(r => (int)r.Properties["ChannelId"].Value).OrderBy(i => i));
            Assert.Equal(restored.Length, session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject);
        }

        [Theory]
        [InlineData("N")]
        [InlineData("L")]
        public void A_Prompt_Answered_No_Or_No_To_All_Leaves_No_Run_In_The_Journal(string answer)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession("Set-NewApiSyncSetting -Concurrency 1; $null = Invoke-NewApiModelSync -Id 1; $sbx.Sandbox.ClearRequests()");
            session.Host.RecordingUI.ChoiceAnswers.Enqueue(answer);

            var results = session.Run("Get-NewApiSyncHistory | Restore-NewApiChannel");

            Assert.Single(session.Host.RecordingUI.Prompts);
            Assert.Equal("Skipped", results.Single().Properties["Status"].Value.ToString());
            Assert.Equal(0, session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject);
            Assert.Equal(new[] { "Sync" }, session.Run("Get-NewApiSyncHistory -Run").Select(r => r.Properties["Kind"].Value.ToString()));
        }

        [Fact]
        public void Unknown_Or_Malformed_Runs_And_Records_Of_Another_Site_Stop_Before_Any_Write()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync + "; $sbx.Sandbox.ClearRequests()");

            ErrorRecord unknown = session.RunExpectingTerminatingError("Restore-NewApiChannel -RunId 20200101T000000000Z-abcdef -Confirm:$false");
            Assert.Equal("CannotFindRun," + RestoreCmd, unknown.FullyQualifiedErrorId);
            Assert.Equal("InvalidRunId," + RestoreCmd, session.RunExpectingTerminatingError("Restore-NewApiChannel -RunId 'a/b' -Confirm:$false").FullyQualifiedErrorId);

            ErrorRecord foreign = session.RunExpectingTerminatingError("Get-NewApiSyncHistory | ForEach-Object { $_.BaseUrl = 'https://other.example.com'; $_ } | Restore-NewApiChannel -Confirm:$false");
            Assert.Equal("HistoryRecordOfAnotherSite," + RestoreCmd, foreign.FullyQualifiedErrorId);
            Assert.Contains("https://other.example.com", foreign.Exception.Message);

            Assert.Equal(0, session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject);
            Assert.Equal(1, Count(session, "Get-NewApiSyncHistory -Run"));
        }

        [Fact]
        public void RunId_With_ChannelId_Restores_Only_Those_Channels_And_Warns_About_Unknown_Ones()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync + "; $runId = @(Get-NewApiSyncHistory -Run)[0].RunId; $sbx.Sandbox.ClearRequests()");
            var results = session.Run("Restore-NewApiChannel $runId -ChannelId 1, 99 -Confirm:$false");
            Assert.Equal(new[] { 1 }, Ids(results));
            Assert.Contains(session.Last.Warnings, w => w.Contains("#99"));
            Assert.Equal(SampleModelsOf1, Models(session, 1));
        }

        [Fact]
        public void No_Secret_Reaches_Any_Journal_File()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession(FullSync + "; $null = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false");
            string all = string.Join("\n", session.Run("[IO.Directory]::GetFiles($sbx.DataDirectory, '*', 'AllDirectories') | ForEach-Object { [IO.File]::ReadAllText($_) }").Select(o => (string)o.BaseObject));
            Assert.Contains("\"Restore\"", all);
            Assert.DoesNotContain((string)session.Run("$sbx.Sandbox.AccessToken").Single().BaseObject, all);
            Assert.DoesNotContain("sk-upstream-secret", all);
        }
    }
}
