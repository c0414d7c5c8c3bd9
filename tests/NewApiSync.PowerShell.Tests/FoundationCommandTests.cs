using System;
using System.Linq;
using System.Management.Automation;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>Start-NewApiSandbox, Connect-NewApi and Get-NewApiChannel as a user drives them.</summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class FoundationCommandTests
    {
        /// <summary>Builds a SecureString from $tok without Microsoft.PowerShell.Security (not in the hosted engine).</summary>
        private const string SecureTokenScript = "$sec = [System.Security.SecureString]::new(); foreach ($c in $tok.ToCharArray()) { $sec.AppendChar($c) }\n";

        [Fact]
        public void Start_NewApiSandbox_Then_Get_NewApiChannel_Lists_The_Sample_Site()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            var connection = session.Run("Start-NewApiSandbox").Single();
            Assert.Equal("NewApiSync.Engine.Api.NewApiConnection", connection.BaseObject.GetType().FullName);
            Assert.True((bool)connection.Properties["IsSandbox"].Value);

            var channels = session.Run("Get-NewApiChannel");
            Assert.Equal(12, channels.Count);
            Assert.All(channels, c => Assert.Equal("NewApiSync.Engine.Channels.Channel", c.BaseObject.GetType().FullName));
            var openAi = channels.Single(c => (int)c.Properties["Id"].Value == 1);
            Assert.Equal("OpenAI official", openAi.Properties["Name"].Value);
            Assert.Equal(new[] { "gpt-4o", "gpt-4o-mini", "gpt-4-turbo" }, (string[])openAi.Properties["Models"].Value);
            Assert.Equal("Enabled", openAi.Properties["Status"].Value.ToString());
            Assert.False(session.Last.HadErrors);
        }

        [Theory]
        [InlineData("Get-NewApiChannel -Name *open*", new[] { 1, 6, 11 })]
        [InlineData("Get-NewApiChannel -Name 'zhipu glm'", new[] { 9 })]
        [InlineData("Get-NewApiChannel -Status ManuallyDisabled", new[] { 8 })]
        [InlineData("Get-NewApiChannel -Status AutoDisabled", new[] { 12 })]
        [InlineData("Get-NewApiChannel -Id 4, 2", new[] { 4, 2 })]
        [InlineData("Get-NewApiChannel 5", new[] { 5 })]
        [InlineData("[pscustomobject]@{ ChannelId = 7 }, [pscustomobject]@{ ChannelId = 3 } | Get-NewApiChannel", new[] { 7, 3 })]
        [InlineData("Get-NewApiChannel -Name *claude* -Status Enabled", new int[0])]
        public void Filters_And_Pipeline_Binding_Select_The_Right_Channels(string script, int[] expectedIds)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$null = Start-NewApiSandbox");
            var ids = session.Run(script).Select(c => (int)c.Properties["Id"].Value).ToArray();
            Assert.Equal(expectedIds, ids);
            Assert.False(session.Last.HadErrors, string.Join("; ", session.Last.Errors));
        }

        [Fact]
        public void A_Missing_Id_Or_Literal_Name_Is_A_Non_Terminating_CannotFindChannel()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$null = Start-NewApiSandbox");
            var found = session.Run("Get-NewApiChannel -Id 1, 999 -ErrorVariable ev -ErrorAction SilentlyContinue");
            Assert.Equal(new[] { 1 }, found.Select(c => (int)c.Properties["Id"].Value));
            var error = (ErrorRecord)Assert.Single(session.Run("$ev")).BaseObject;
            Assert.Equal("CannotFindChannel,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(999, error.TargetObject);

            session.Run("Get-NewApiChannel -Name 'No such channel'");
            Assert.Equal("CannotFindChannel,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand", Assert.Single(session.Last.Errors).FullyQualifiedErrorId);

            session.Run("Get-NewApiChannel -Name 'No such*'");
            Assert.False(session.Last.HadErrors);
        }

        [Fact]
        public void Connect_NewApi_Verifies_The_Credentials_And_Becomes_The_Default()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox; $url = $sbx.BaseUrl; $tok = $sbx.Sandbox.AccessToken; Disconnect-NewApi");
            var connection = session.Run(SecureTokenScript + "Connect-NewApi -BaseUrl $url -AccessToken $sec -UserId 1 -PassThru").Single();
            Assert.False((bool)connection.Properties["IsSandbox"].Value);
            Assert.Equal("Paged", connection.Properties["Generation"].Value.ToString());
            Assert.Equal("v0.9.6-sandbox", connection.Properties["ServerVersion"].Value);
            Assert.Equal(12, session.Run("Get-NewApiChannel").Count);

            string token = (string)session.GetVariable("tok")!;
            Assert.DoesNotContain(token, connection.ToString());
            Assert.DoesNotContain(token, string.Join("\n", connection.Properties.Select(p => p.Name + "=" + p.Value)));
        }

        [Theory]
        [InlineData("-BaseUrl $url -AccessToken $bad -UserId 1", "NewApiAuthenticationFailed", ErrorCategory.AuthenticationError)]
        [InlineData("-BaseUrl $url -AccessToken $sec -UserId 2", "NewApiAuthenticationFailed", ErrorCategory.AuthenticationError)]
        [InlineData("-BaseUrl 'ftp://example.com' -AccessToken $sec -UserId 1", "InvalidBaseUrl", ErrorCategory.InvalidArgument)]
        [InlineData("-BaseUrl 'example.com' -AccessToken $sec -UserId 1", "InvalidBaseUrl", ErrorCategory.InvalidArgument)]
        [InlineData("-BaseUrl $closed -AccessToken $sec -UserId 1", "NewApiSiteUnreachable", ErrorCategory.ConnectionError)]
        public void Connect_NewApi_Fails_Clearly_And_Changes_Nothing(string arguments, string errorId, ErrorCategory category)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox; $url = $sbx.BaseUrl; $tok = $sbx.Sandbox.AccessToken\n" + SecureTokenScript +
                        "$bad = [System.Security.SecureString]::new(); foreach ($c in 'not-the-token-42'.ToCharArray()) { $bad.AppendChar($c) }\n" +
                        "$l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $closed = 'http://127.0.0.1:' + $l.LocalEndpoint.Port; $l.Stop()");
            var error = session.RunExpectingTerminatingError("Connect-NewApi " + arguments);
            Assert.Equal(errorId + ",NewApiSync.PowerShell.Commands.ConnectNewApiCommand", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.DoesNotContain((string)session.GetVariable("tok")!, error.ToString() + error.Exception);
            Assert.DoesNotContain("not-the-token-42", error.ToString() + error.Exception);

            // The sandbox connection is still the default: a failed Connect-NewApi changed nothing.
            Assert.Equal(12, session.Run("Get-NewApiChannel").Count);
        }

        [Theory]
        [InlineData("Paged", "NewApiPermissionDenied", ErrorCategory.PermissionDenied)]
        [InlineData("Legacy", "NewApiAuthenticationFailed", ErrorCategory.AuthenticationError)]
        public void Connect_NewApi_Refuses_A_User_Who_Is_Not_An_Admin(string generation, string errorId, ErrorCategory category)
        {
            // Newer servers answer a too-low role with 403; older ones with 200 + success:false, indistinguishable
            // from a bad token, so the message names both causes.
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run($"$sbx = Start-NewApiSandbox -Generation {generation}; $sbx.Sandbox.Options.UserRole = 1; $url = $sbx.BaseUrl; $tok = $sbx.Sandbox.AccessToken\n" + SecureTokenScript);
            var error = session.RunExpectingTerminatingError("Connect-NewApi -BaseUrl $url -AccessToken $sec -UserId 1");
            Assert.Equal(errorId + ",NewApiSync.PowerShell.Commands.ConnectNewApiCommand", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Contains("admin", error.Exception.Message + error.ErrorDetails?.RecommendedAction);
        }

        [Fact]
        public void Connection_Parameter_Wins_Over_The_Session_Default()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$first = Start-NewApiSandbox; $second = Start-NewApiSandbox -ChannelCount 3");
            Assert.Equal(3, session.Run("Get-NewApiChannel").Count);
            // Starting a second sandbox stopped the first, so its connection no longer reaches anything.
            var error = session.RunExpectingTerminatingError("Get-NewApiChannel -Connection $first");
            Assert.Equal("CannotListChannels,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Equal(3, session.Run("Get-NewApiChannel -Connection $second").Count);
        }

        [Fact]
        public void Scheduled_Scripts_Connect_Through_Environment_Variables()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox -ChannelCount 5; Disconnect-NewApi");
            string url = (string)session.Run("$sbx.BaseUrl").Single().BaseObject;
            string token = (string)session.Run("$sbx.Sandbox.AccessToken").Single().BaseObject;
            using var vars = new EnvironmentScope(("NEWAPI_BASE_URL", url), ("NEWAPI_ACCESS_TOKEN", token), ("NEWAPI_USER_ID", "1"));
            Assert.Equal(5, session.Run("Get-NewApiChannel").Count);
            Assert.DoesNotContain(token, session.Last.AllText);
        }

        [Fact]
        public void The_Sandbox_Keeps_Its_Own_Data_Folder_Tuned_For_A_Local_Server_And_Removes_It_On_Stop()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            string dir = (string)session.Run("$sbx = Start-NewApiSandbox; $sbx.DataDirectory").Single().BaseObject;
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(dir, "settings.json")));
            Assert.Equal(600, session.Run("(Get-NewApiSyncSetting).RequestsPerMinute").Single().BaseObject);
            Assert.Equal(20, session.Run("$limited = Start-NewApiSandbox -RateLimitRequests 60; (Get-NewApiSyncSetting).RequestsPerMinute").Single().BaseObject);
            Assert.False(System.IO.Directory.Exists(dir), "starting a second sandbox stops the first and removes its folder");
            string second = (string)session.Run("$limited.DataDirectory").Single().BaseObject;
            session.Run("Stop-NewApiSandbox");
            Assert.False(System.IO.Directory.Exists(second));
        }

        [Fact]
        public void Stop_NewApiSandbox_Forgets_Its_Connection()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$null = Start-NewApiSandbox; Stop-NewApiSandbox");
            var error = session.RunExpectingTerminatingError("Get-NewApiChannel");
            Assert.StartsWith("NewApiConfigurationMissing,", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void The_Legacy_Sandbox_Pages_From_Zero_And_Lists_Everything()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$null = Start-NewApiSandbox -Generation Legacy -ChannelCount 230 -ModelsPerChannel 2");
            var ids = session.Run("Get-NewApiChannel | ForEach-Object Id").Select(o => (int)o.BaseObject).OrderBy(i => i);
            Assert.Equal(Enumerable.Range(1, 230), ids);
        }

        [Fact]
        public void Verbose_Tells_The_Requests_And_Debug_Their_Status_Never_The_Token()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox; $tok = $sbx.Sandbox.AccessToken");
            session.Run("$null = Get-NewApiChannel -Verbose -Debug -Id 3");
            Assert.Contains(session.Last.Verbose, v => v.Contains("GET /api/channel/3"));
            Assert.Contains(session.Last.Debug, d => d.Contains("GET /api/channel/3 -> 200"));
            Assert.DoesNotContain((string)session.GetVariable("tok")!, session.Last.AllText);
        }
    }
}
