using System;
using System.IO;
using System.Linq;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>These tests change process-wide environment variables, so they never run beside other tests.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class EnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    [Collection(EnvironmentCollection.Name)]
    public sealed class ConnectionResolutionTests
    {
        [Theory]
        [InlineData(null, null, null, "NEWAPI_BASE_URL, NEWAPI_ACCESS_TOKEN, NEWAPI_USER_ID")]
        [InlineData("https://x.example", null, "1", "variable NEWAPI_ACCESS_TOKEN is")]
        [InlineData("https://x.example", "tok", null, "variable NEWAPI_USER_ID is")]
        public void Without_A_Connection_The_Error_Names_Exactly_What_Is_Missing(string? baseUrl, string? token, string? user, string expected)
        {
            using var env = new EnvironmentScope(("NEWAPI_BASE_URL", baseUrl), ("NEWAPI_ACCESS_TOKEN", token), ("NEWAPI_USER_ID", user));
            using var session = new PowerShellSession();
            var error = session.RunExpectingTerminatingError("Get-NewApiChannel");
            Assert.Equal("NewApiConfigurationMissing,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand", error.FullyQualifiedErrorId);
            Assert.Contains(expected, error.Exception.Message);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        }

        [Fact]
        public void An_Invalid_User_Id_In_The_Environment_Is_A_Clear_Error()
        {
            using var env = new EnvironmentScope(("NEWAPI_BASE_URL", "https://x.example"), ("NEWAPI_ACCESS_TOKEN", "secret-token-value"), ("NEWAPI_USER_ID", "abc"));
            using var session = new PowerShellSession();
            var error = session.RunExpectingTerminatingError("Get-NewApiChannel");
            Assert.StartsWith("NewApiConfigurationInvalid,", error.FullyQualifiedErrorId);
            Assert.DoesNotContain("secret-token-value", error.ToString());
        }
    }

    [Collection(EnvironmentCollection.Name)]
    public sealed class EnvironmentConnectionWarningTests
    {
        [Fact]
        public void Plain_Http_To_Another_Host_From_The_Environment_Warns()
        {
            // -FailedOnly on an empty journal resolves the connection and returns without sending anything, and
            // .invalid never resolves: no traffic leaves this machine.
            string data = Path.Combine(Path.GetTempPath(), "nas-env-" + Guid.NewGuid().ToString("N"));
            using var env = new EnvironmentScope(("NEWAPI_BASE_URL", "http://newapi.invalid"), ("NEWAPI_ACCESS_TOKEN", "tok-insecure-1234"), ("NEWAPI_USER_ID", "1"), ("NEWAPISYNC_DATA", data));
            try
            {
                using var session = new PowerShellSession();
                session.Run("Invoke-NewApiModelSync -FailedOnly");
                Assert.Contains(session.Last.Warnings, w => w.Contains("plain http://") && w.Contains("NEWAPI_BASE_URL"));
                Assert.Contains(session.Last.Warnings, w => w.Contains("nothing to re-run"));
                Assert.DoesNotContain("tok-insecure-1234", session.Last.AllText);
            }
            finally
            {
                if (Directory.Exists(data))
                {
                    Directory.Delete(data, recursive: true);
                }
            }
        }
    }

    /// <summary>Sets environment variables for one test and restores them afterwards.</summary>
    public sealed class EnvironmentScope : IDisposable
    {
        private readonly (string Name, string? Value)[] _saved;

        public EnvironmentScope(params (string Name, string? Value)[] values)
        {
            _saved = values.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var (name, value) in values)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        /// <summary>Clears the NEWAPI_* variables, so a developer's own settings never leak into a test.</summary>
        public static EnvironmentScope WithoutNewApiVariables() =>
            new EnvironmentScope(("NEWAPI_BASE_URL", null), ("NEWAPI_ACCESS_TOKEN", null), ("NEWAPI_USER_ID", null));

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
