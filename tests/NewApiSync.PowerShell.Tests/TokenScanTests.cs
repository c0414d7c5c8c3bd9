using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// The access token appears nowhere a person or a log could see it: not in any stream (errors with their
    /// exceptions, warnings, verbose, debug) and not in anything the host was given to show.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class TokenScanTests
    {
        [Fact]
        public void A_Sync_With_Verbose_And_Debug_Shows_Requests_And_Statuses_But_Never_The_Token()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            string token = session.Scalar<string>("$sbx.Sandbox.AccessToken");
            session.Run("$r = Invoke-NewApiModelSync -Verbose -Debug -ErrorAction SilentlyContinue; $r | Format-List * | Out-String");

            // What is scanned is really there: the requests and their statuses.
            Assert.Contains(session.Last.Verbose, v => v.Contains("GET /api/channel/fetch_models/1"));
            Assert.Contains(session.Last.Debug, d => d.Contains("-> 200 in"));
            Assert.DoesNotContain(token, session.Last.AllText);
            Assert.DoesNotContain(token, string.Join("\n", session.Host.RecordingUI.Lines));
        }

        [Fact]
        public void A_Connection_From_The_Environment_Never_Shows_The_Token()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox -ChannelCount 5; Disconnect-NewApi");
            string url = session.Scalar<string>("$sbx.BaseUrl");
            string token = session.Scalar<string>("$sbx.Sandbox.AccessToken");
            using var variables = new EnvironmentScope(("NEWAPI_BASE_URL", url), ("NEWAPI_ACCESS_TOKEN", token), ("NEWAPI_USER_ID", "1"));

            Assert.Equal(5, session.Run("Get-NewApiChannel -Verbose -Debug").Count);
            Assert.DoesNotContain(token, session.Last.AllText);
            Assert.DoesNotContain(token, string.Join("\n", session.Host.RecordingUI.Lines));
        }
    }
}
