using System.Management.Automation;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// The progress records a sync hands the host. A script sees none of them (only the host draws progress), so they
    /// are observed here through <see cref="RecordingHost"/>; what the sync writes and changes is tested in Pester.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class ProgressTests
    {
        [Fact]
        public void A_Sync_Counts_Finished_Ok_And_Failed_Channels_And_Completes_Its_Bar()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            session.Run("$null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue");

            // The sample site: 12 channels, channel 11's upstream refuses.
            Assert.Contains(session.Host.RecordingUI.Progress, p => p.StatusDescription.Contains("12/12") && p.StatusDescription.Contains("11 ok") && p.StatusDescription.Contains("1 failed"));
            Assert.Contains(session.Host.RecordingUI.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }
    }
}
