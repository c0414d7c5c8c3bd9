using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>New-/Clear-NewApiModelRedirect and Get-NewApiStandardModel against the sample sandbox.</summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class RedirectCommandTests
    {
        private static PowerShellSession SandboxSession()
        {
            var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox; Set-NewApiSyncSetting -MaxRetries 1 -RequestsPerMinute 6000 -Burst 100");
            return session;
        }

        private static string Mapping(PowerShellSession session, int id) => (string)session.Run($"$sbx.Sandbox.Site.Get({id}).ModelMapping").Single()?.BaseObject!;

        private static string[] Models(PowerShellSession session, int id) => ((string)session.Run($"$sbx.Sandbox.Site.Get({id}).Models").Single().BaseObject).Split(',');

        private static int Updates(PowerShellSession session) => (int)session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject;

        [Fact]
        public void Maps_Standard_Names_Merges_The_Mapping_And_Adds_The_Names_To_Models()
        {
            using var session = SandboxSession();
            var result = session.Run("New-NewApiModelRedirect -Id 2 -StandardModel 'claude-3.5-sonnet', 'claude-4-sonnet', 'claude-4.5-sonnet'").Single();
            Assert.Equal("Updated", result.Properties["Status"].Value.ToString());
            Assert.Equal("NewApiSync.Engine.Results.NewApiModelRedirectResult", result.BaseObject.GetType().FullName);

            using var mapping = JsonDocument.Parse(Mapping(session, 2));
            Assert.Equal("claude-3-5-sonnet-20241022", mapping.RootElement.GetProperty("claude-3.5-sonnet").GetString());
            Assert.Equal("claude-sonnet-4-20250514", mapping.RootElement.GetProperty("claude-4-sonnet").GetString());
            Assert.False(mapping.RootElement.TryGetProperty("claude-4.5-sonnet", out _));
            Assert.Contains("claude-3.5-sonnet", Models(session, 2));
            Assert.Contains("claude-4-sonnet", Models(session, 2));
            Assert.Contains("NoCandidate", session.Run("$r = New-NewApiModelRedirect -Id 2 -StandardModel 'claude-4.5-sonnet' -WhatIf; $r.Unmatched['claude-4.5-sonnet']").Select(o => o.ToString()));

            using var body = JsonDocument.Parse((string)session.Run("@($sbx.Sandbox.Updates)[0].Body").Single().BaseObject);
            Assert.Equal(new[] { "id", "models", "model_mapping" }, body.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("model_mapping").ValueKind);
        }

        [Fact]
        public void Existing_Entries_Are_Kept_And_A_Name_Already_Served_Changes_Nothing()
        {
            using var session = SandboxSession();
            var result = session.Run("New-NewApiModelRedirect -Id 6 -StandardModel gpt-4o").Single();
            Assert.Equal("Unchanged", result.Properties["Status"].Value.ToString());
            Assert.Equal(0, Updates(session));

            session.Run("$null = New-NewApiModelRedirect -Id 9 -StandardModel 'glm-4.6', 'glm-4.5'");
            Assert.Equal("glm-4.5", JsonDocument.Parse(Mapping(session, 9)).RootElement.GetProperty("glm-4").GetString());
        }

        [Fact]
        public void Without_Input_Every_Enabled_Channel_Is_Redirected_And_Disabled_Ones_Are_Skipped()
        {
            using var session = SandboxSession();
            var results = session.Run("New-NewApiModelRedirect -StandardModel 'gpt-4o-mini'");
            Assert.Equal(12, results.Count);
            foreach (int disabled in new[] { 8, 12 })
            {
                var skipped = results.Single(r => (int)r.Properties["ChannelId"].Value == disabled);
                Assert.Equal("Skipped", skipped.Properties["Status"].Value.ToString());
                Assert.Contains("-IncludeDisabled", (string)skipped.Properties["Reason"].Value);
            }

            var withDisabled = session.Run("New-NewApiModelRedirect -StandardModel 'gpt-4o-mini' -IncludeDisabled -WhatIf");
            Assert.NotEqual("Skipped", withDisabled.Single(r => (int)r.Properties["ChannelId"].Value == 8).Properties["Status"].Value.ToString());
        }

        [Fact]
        public void An_Invalid_Existing_Mapping_Fails_The_Channel_Unless_Force_And_Force_Journals_The_Old_Text()
        {
            using var session = SandboxSession();
            session.Run("$null = $sbx.Sandbox.Site.Change(2, [Action[NewApiSync.Sandbox.SandboxChannel]]{ param($c) $c.ModelMapping = '{broken' })");
            var failed = session.Run("New-NewApiModelRedirect -Id 2, 4 -StandardModel 'claude-4-sonnet', 'deepseek-chat' -ErrorVariable ev -ErrorAction SilentlyContinue");
            var two = failed.Single(r => (int)r.Properties["ChannelId"].Value == 2);
            Assert.Equal("Failed", two.Properties["Status"].Value.ToString());
            Assert.Equal("InvalidExistingMapping", two.Properties["ErrorKind"].Value.ToString());
            var error = (ErrorRecord)session.Run("$ev").Single().BaseObject;
            Assert.Equal("ChannelRedirectFailed,NewApiSync.PowerShell.Commands.NewNewApiModelRedirectCommand", error.FullyQualifiedErrorId);
            Assert.Contains("-Force", error.ErrorDetails.RecommendedAction);
            Assert.Equal("{broken", Mapping(session, 2));

            session.Run("$null = New-NewApiModelRedirect -Id 2 -StandardModel 'claude-4-sonnet' -Force");
            Assert.Equal("claude-sonnet-4-20250514", JsonDocument.Parse(Mapping(session, 2)).RootElement.GetProperty("claude-4-sonnet").GetString());
            var records = session.Run("@([NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1).ReadResults([NewApiSync.Engine.Journal.ResultQuery]@{ Kind = 'Redirect' }))[0]");
            Assert.True(records.Count == 1, string.Join("; ", session.Last.Errors));
            var record = records[0];
            Assert.Equal("{broken", record.Properties["OldModelMapping"].Value);
            Assert.Equal("Redirect", record.Properties["Kind"].Value.ToString());
        }

        [Fact]
        public void WhatIf_Shows_The_Entries_Per_Channel_And_Writes_Nothing()
        {
            using var session = SandboxSession();
            session.Run("Get-NewApiChannel -Id 2 | New-NewApiModelRedirect -StandardModel 'claude-4-sonnet' -WhatIf");
            Assert.Equal(0, Updates(session));
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("Anthropic direct (#2)") && l.Contains("add claude-4-sonnet \u2192 claude-sonnet-4-20250514"));
        }

        [Theory]
        [InlineData("-StandardModel ' '")]
        [InlineData("-StandardModel 'gpt-4o', ''")]
        [InlineData("-StandardModel 'openai/'")]
        [InlineData("-StandardModel 'gpt-4o', 'GPT-4o'")]
        public void Blank_Standard_Names_Are_Refused_Before_Any_Request(string arguments)
        {
            using var session = SandboxSession();
            session.Run("$sbx.Sandbox.ClearRequests()");
            var error = session.RunExpectingTerminatingError("New-NewApiModelRedirect " + arguments);
            Assert.True(error.FullyQualifiedErrorId.StartsWith("InvalidStandardModel,") || error.FullyQualifiedErrorId.StartsWith("ParameterArgumentValidationError"), error.FullyQualifiedErrorId);
            Assert.Equal(0, session.Run("$sbx.Sandbox.Requests.Count").Single().BaseObject);
        }

        [Fact]
        public void Clear_Asks_Per_Channel_And_Touches_Only_What_Was_Confirmed()
        {
            using var session = SandboxSession();
            session.Host.RecordingUI.ChoiceAnswerer = message => message.Contains("(#6)") ? "Y" : "N";
            var results = session.Run("Clear-NewApiModelRedirect -Id 6, 9");
            Assert.Equal(2, session.Host.RecordingUI.Prompts.Count);
            Assert.Contains(session.Host.RecordingUI.Prompts, p => p.Contains("OpenRouter free tier (#6)") && p.Contains("1 mapping entry"));
            Assert.Contains(session.Host.RecordingUI.Prompts, p => p.Contains("Zhipu GLM (#9)"));
            Assert.Equal("{}", Mapping(session, 6));
            Assert.Equal(new[] { "openai/gpt-4o:free" }, Models(session, 6));
            Assert.Equal("{\"glm-4\":\"glm-4.5\"}", Mapping(session, 9));
            Assert.Equal("Cleared", results.Single(r => (int)r.Properties["ChannelId"].Value == 6).Properties["Status"].Value.ToString());
            Assert.Equal("Skipped", results.Single(r => (int)r.Properties["ChannelId"].Value == 9).Properties["Status"].Value.ToString());
        }

        [Fact]
        public void Clear_WhatIf_Lists_Every_Channel_With_How_Many_Entries_Would_Go()
        {
            using var session = SandboxSession();
            var results = session.Run("Clear-NewApiModelRedirect -WhatIf");
            Assert.Equal(12, results.Count);
            Assert.Equal(0, Updates(session));
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("OpenRouter free tier (#6)") && l.Contains("1 mapping entry") && l.Contains("gpt-4o"));
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("Zhipu GLM (#9)"));
            Assert.Equal(2, session.Host.RecordingUI.WhatIfLines.Count());
            Assert.Empty(session.Host.RecordingUI.Prompts);
        }

        [Fact]
        public void Clear_Keeps_Going_After_A_Failure_And_Skips_Channels_Without_A_Mapping()
        {
            using var session = SandboxSession();
            session.Run("$null = $sbx.Sandbox.Faults.FailNext('UpdateChannel', 'SuccessFalse', 5, 9)");
            var results = session.Run("Clear-NewApiModelRedirect -Id 9, 6, 4 -KeepModels -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue");
            Assert.Equal(3, results.Count);
            Assert.Equal("Failed", results.Single(r => (int)r.Properties["ChannelId"].Value == 9).Properties["Status"].Value.ToString());
            Assert.Equal("Cleared", results.Single(r => (int)r.Properties["ChannelId"].Value == 6).Properties["Status"].Value.ToString());
            Assert.Equal("Skipped", results.Single(r => (int)r.Properties["ChannelId"].Value == 4).Properties["Status"].Value.ToString());
            Assert.Contains("gpt-4o", Models(session, 6));
            var error = (ErrorRecord)session.Run("$ev").Single().BaseObject;
            Assert.Equal("ChannelClearFailed,NewApiSync.PowerShell.Commands.ClearNewApiModelRedirectCommand", error.FullyQualifiedErrorId);
            Assert.DoesNotContain(session.Run("$sbx.Sandbox.Updates").Select(u => (string)u.Properties["Body"].Value), b => b.Contains("\"id\":4"));
        }

        [Fact]
        public void Redirect_After_Sync_Writes_Models_And_Mapping_In_One_Request_And_Journals_Both()
        {
            using var session = SandboxSession();
            session.Run("Set-NewApiSyncSetting -StandardModels 'claude-4.5-sonnet', 'claude-4.5-haiku'");
            var result = session.Run("Invoke-NewApiModelSync -Id 2 -RedirectAfterSync").Single();
            Assert.Equal(1, Updates(session));
            Assert.Contains("claude-4.5-sonnet", Models(session, 2));
            Assert.Contains("claude-sonnet-4-5-20250929", Models(session, 2));
            Assert.Equal("claude-haiku-4-5-20251001", JsonDocument.Parse(Mapping(session, 2)).RootElement.GetProperty("claude-4.5-haiku").GetString());
            Assert.Equal(Mapping(session, 2), result.Properties["NewModelMapping"].Value);
            Assert.Equal(string.Empty, result.Properties["OldModelMapping"].Value);
        }

        [Theory]
        [InlineData("Get-NewApiStandardModel -Vendor Anthropic", "claude-")]
        [InlineData("Get-NewApiStandardModel 'gpt-4*'", "gpt-4")]
        [InlineData("Get-NewApiStandardModel -Vendor g*", "")]
        public void Get_NewApiStandardModel_Lists_And_Filters_The_Built_In_Names(string script, string prefix)
        {
            using var session = new PowerShellSession();
            var models = session.Run(script);
            Assert.NotEmpty(models);
            Assert.All(models, m => Assert.StartsWith(prefix, (string)m.Properties["Name"].Value));
            Assert.True(session.Run("Get-NewApiStandardModel").Count > models.Count);
        }
    }
}
