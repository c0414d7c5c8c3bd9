using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// Ctrl+C in the middle of a sync: the pipeline is stopped (StopProcessing) while results stream in, and the time
    /// the stop takes is measured from the host's side, which a script cannot do for itself.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class CancellationTests
    {
        [Fact]
        public void Ctrl_C_Stops_Within_Seconds_And_FailedOnly_Finishes_The_Job()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox -ChannelCount 24 -ModelsPerChannel 3; $sbx.Sandbox.Options.FetchModelsDelay = [TimeSpan]::FromMilliseconds(250); Set-NewApiSyncSetting -RequestsPerMinute 6000 -Burst 100");
            var output = new PSDataCollection<PSObject>();
            using (var running = session.Begin("Invoke-NewApiModelSync", output))
            {
                var wait = Stopwatch.StartNew();
                while (output.Count < 2 && wait.Elapsed < TimeSpan.FromSeconds(20))
                {
                    Thread.Sleep(20);
                }

                // Results stream as channels finish: two are out while the run is far from done.
                Assert.True(output.Count >= 2);
                var stopping = Stopwatch.StartNew();
                running.Stop();
                Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(3), $"Stop took {stopping.Elapsed}");
            }

            int finished = output.Count(o => o.Property<string>("Status") == "Succeeded");
            Assert.InRange(finished, 2, 23);
            // One warning says how many channels the stop left and that -FailedOnly finishes them. It goes to the host:
            // once the pipeline is stopping, WriteWarning would throw, so no -WarningVariable can hold it.
            string stopped = Assert.Single(session.Host.RecordingUI.Lines, line => line.StartsWith("WARNING: Stopped:", StringComparison.Ordinal));
            Assert.Contains(" of 24 channel(s) were not reached or were interrupted", stopped);
            Assert.Contains("Invoke-NewApiModelSync -FailedOnly finishes them.", stopped);
            var run = session.Scalar<PSObject>("@([NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1).ReadRuns())[0]");
            Assert.True(run.Property<int>("Cancelled") >= 24 - finished - 2);

            var rest = session.Run("Invoke-NewApiModelSync -FailedOnly");
            Assert.Equal(24, rest.Count + run.Property<int>("Succeeded"));
            Assert.True(session.Scalar<bool>("@($sbx.Sandbox.Site.Snapshot() | Where-Object { $_.Models -ne ($_.UpstreamModels -join ',') }).Count -eq 0"));
        }
    }
}
