using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>Invoke-NewApiModelSync, the settings commands and Start-NewApiAutoSync, as an admin drives them.</summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class SyncCommandTests
    {
        private const string Cmd = "NewApiSync.PowerShell.Commands.InvokeNewApiModelSyncCommand";

        /// <summary>A session on a fresh sample sandbox with fast retries; $sbx is its connection.</summary>
        private static PowerShellSession SandboxSession(string startArguments = "")
        {
            var session = new PowerShellSession();
            session.Run($"$sbx = Start-NewApiSandbox {startArguments}; Set-NewApiSyncSetting -MaxRetries 1 -RequestsPerMinute 6000 -Burst 100");
            return session;
        }

        private static int Runs(PowerShellSession session) =>
            (int)session.Run("@([NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1).ReadRuns()).Count").Single().BaseObject;

        [Fact]
        public void Syncs_The_Sandbox_With_Streamed_Results_Progress_And_One_Clear_Failure()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            var results = session.Run("Invoke-NewApiModelSync -ErrorVariable syncErrors -ErrorAction SilentlyContinue");

            Assert.Equal(12, results.Count);
            Assert.All(results, r => Assert.Equal("NewApiSync.Engine.Results.NewApiSyncResult", r.BaseObject.GetType().FullName));
            Assert.Single(results.Select(r => (string)r.Properties["RunId"].Value).Distinct());
            var failed = results.Single(r => r.Properties["Status"].Value.ToString() == "Failed");
            Assert.Equal(11, failed.Properties["ChannelId"].Value);
            Assert.Equal("Upstream", failed.Properties["ErrorKind"].Value.ToString());

            var error = (ErrorRecord)Assert.Single(session.Run("$syncErrors")).BaseObject;
            Assert.Equal("ChannelSyncFailed," + Cmd, error.FullyQualifiedErrorId);
            Assert.Same(failed.BaseObject, error.TargetObject is PSObject t ? t.BaseObject : error.TargetObject);
            Assert.Contains("OpenAI reseller (expired key)", error.Exception.Message);
            Assert.NotNull(error.ErrorDetails.RecommendedAction);

            Assert.Contains(session.Host.RecordingUI.Progress, p => p.StatusDescription.Contains("12/12") && p.StatusDescription.Contains("11 ok") && p.StatusDescription.Contains("1 failed"));
            Assert.Contains(session.Host.RecordingUI.Progress, p => p.RecordType == ProgressRecordType.Completed);
            Assert.Equal("gpt-4o,gpt-4o-2024-11-20,gpt-4o-mini,gpt-4.1,gpt-4.1-2025-04-14,gpt-4.1-mini,o3,o4-mini,gpt-5,gpt-5-mini", session.Run("$sbx.Sandbox.Site.Get(1).Models").Single().BaseObject);
            Assert.Equal(1, Runs(session));
        }

        [Fact]
        public void WhatIf_Fetches_And_Compares_But_Writes_Nothing_And_Names_Each_Change()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            var results = session.Run("Invoke-NewApiModelSync -WhatIf -ErrorAction SilentlyContinue");
            Assert.Equal(0, session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject);
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("OpenAI official (#1)") && l.Contains("+8 -1 models"));
            Assert.Equal(0, Runs(session));
            var preview = results.Single(r => (int)r.Properties["ChannelId"].Value == 1);
            Assert.Equal("Succeeded", preview.Properties["Status"].Value.ToString());
            Assert.True((bool)preview.Properties["Changed"].Value);
            Assert.True((bool)preview.Properties["WhatIf"].Value);
            Assert.Equal(8, ((System.Collections.IEnumerable)preview.Properties["AddedModels"].Value).Cast<object>().Count());
        }

        [Theory]
        [InlineData("Get-NewApiChannel -Name *open* | Invoke-NewApiModelSync -ErrorAction SilentlyContinue", new[] { 1, 6, 11 })]
        [InlineData("Invoke-NewApiModelSync -Id 4, 5", new[] { 4, 5 })]
        [InlineData("Invoke-NewApiModelSync 3", new[] { 3 })]
        [InlineData("[pscustomobject]@{ ChannelId = 7 }, [pscustomobject]@{ ChannelId = 2 } | Invoke-NewApiModelSync", new[] { 7, 2 })]
        [InlineData("Get-NewApiChannel -Status ManuallyDisabled | Invoke-NewApiModelSync", new[] { 8 })]
        public void Selected_Channels_Come_From_The_Pipeline_Or_Id_In_One_Run(string script, int[] expected)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            var results = session.Run(script);
            Assert.Equal(expected.OrderBy(i => i), results.Select(r => (int)r.Properties["ChannelId"].Value).OrderBy(i => i));
            Assert.Single(results.Select(r => r.Properties["RunId"].Value).Distinct());
            var run = session.Run("@([NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1).ReadRuns())[0]").Single();
            Assert.Equal("Selected", run.Properties["Mode"].Value.ToString());
        }

        [Fact]
        public void FailedOnly_Says_So_Plainly_When_There_Is_Nothing_And_Reruns_Only_What_Failed()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            Assert.Empty(session.Run("Invoke-NewApiModelSync -FailedOnly"));
            Assert.Contains(session.Last.Warnings, w => w.Contains("no sync run"));
            Assert.False(session.Last.HadErrors);

            session.Run("$null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue");
            session.Run("$sbx.Sandbox.Site.SetUpstreamError(11, $null); $sbx.Sandbox.ClearRequests()");
            var rerun = session.Run("Invoke-NewApiModelSync -FailedOnly");
            var only = Assert.Single(rerun);
            Assert.Equal(11, only.Properties["ChannelId"].Value);
            Assert.Equal("Succeeded", only.Properties["Status"].Value.ToString());
            Assert.Equal(new[] { 11 }, session.Run("$sbx.Sandbox.Requests | Where-Object Route -eq 'FetchModels' | ForEach-Object ChannelId").Select(o => (int)o.BaseObject));

            Assert.Empty(session.Run("Invoke-NewApiModelSync -FailedOnly"));
            Assert.Contains(session.Last.Warnings, w => w.Contains("nothing to re-run"));
        }

        [Fact]
        public void An_Authentication_Failure_Stops_The_Run_With_One_Terminating_Error()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            session.Run("$null = $sbx.Sandbox.Faults.FailNext('FetchModels', 'Unauthorized', 1, 2); Set-NewApiSyncSetting -Concurrency 1");
            var error = session.RunExpectingTerminatingError("Invoke-NewApiModelSync");
            Assert.Equal("NewApiAuthenticationFailed," + Cmd, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Equal(1, session.Run("@($sbx.Sandbox.Requests | Where-Object { $_.Route -eq 'FetchModels' -and $_.ChannelId -eq 2 }).Count").Single().BaseObject);
        }

        [Theory]
        [InlineData("-Concurrency 0")]
        [InlineData("-Concurrency 33")]
        [InlineData("-RequestsPerMinute 0")]
        [InlineData("-Burst 0")]
        [InlineData("-MaxRetries -1")]
        [InlineData("-ChannelTimeoutSec -5")]
        [InlineData("-Id 0")]
        public void Out_Of_Range_Parameters_Fail_Before_Any_Request(string arguments)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            session.Run("$sbx.Sandbox.ClearRequests()");
            var error = session.RunExpectingTerminatingError("Invoke-NewApiModelSync " + arguments);
            Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
            Assert.Equal(0, session.Run("$sbx.Sandbox.Requests.Count").Single().BaseObject);
        }

        [Fact]
        public void An_Empty_Model_Pattern_Is_Refused_Before_Any_Request()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            session.Run("$sbx.Sandbox.ClearRequests()");
            var error = session.RunExpectingTerminatingError("Invoke-NewApiModelSync -IncludeModel 'gpt-[4'");
            Assert.StartsWith("InvalidModelPattern,", error.FullyQualifiedErrorId);
            Assert.Equal(0, session.Run("$sbx.Sandbox.Requests.Count").Single().BaseObject);
        }

        [Fact]
        public void IfDue_Runs_Only_When_AutoSync_Is_On_And_The_Interval_Has_Passed()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            Assert.Empty(session.Run("Invoke-NewApiModelSync -IfDue -Verbose"));
            Assert.Contains(session.Last.Verbose, v => v.Contains("Auto-sync is off"));
            Assert.Equal(0, Runs(session));

            session.Run("Set-NewApiSyncSetting -AutoSync $true -Interval '06:00:00'");
            Assert.Equal(12, session.Run("Invoke-NewApiModelSync -IfDue -ErrorAction SilentlyContinue").Count);
            var run = session.Run("@([NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1).ReadRuns())[0]").Single();
            Assert.Equal("IfDue", run.Properties["Mode"].Value.ToString());
            Assert.NotNull(run.Properties["NextScheduledTime"].Value);

            Assert.Empty(session.Run("Invoke-NewApiModelSync -IfDue -Verbose"));
            Assert.Contains(session.Last.Verbose, v => v.Contains("next run is due at"));
            Assert.Equal(1, Runs(session));
        }

        [Fact]
        public void A_Second_Run_For_The_Same_Site_Stops_With_A_Clear_Error_Or_A_Scheduled_Warning()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            session.Run("$lock = [NewApiSync.Engine.Journal.SiteRunLock]::TryAcquire($sbx.DataDirectory, $sbx.BaseUrl, 1, [TimeSpan]::Zero, [Threading.CancellationToken]::None, 'sync run')");
            try
            {
                var error = session.RunExpectingTerminatingError("Invoke-NewApiModelSync");
                Assert.Equal("RunInProgress," + Cmd, error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
                Assert.Contains("process " + Environment.ProcessId, error.Exception.Message);

                session.Run("Set-NewApiSyncSetting -AutoSync $true");
                Assert.Empty(session.Run("Invoke-NewApiModelSync -IfDue"));
                Assert.Contains(session.Last.Warnings, w => w.Contains("scheduled run is skipped"));
                Assert.Equal(0, session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject);
            }
            finally
            {
                session.Run("$lock.Dispose()");
            }
        }

        [Fact]
        public void Ctrl_C_Stops_Within_A_Second_And_FailedOnly_Finishes_The_Job()
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

            int finished = output.Count(o => o.Properties["Status"].Value.ToString() == "Succeeded");
            Assert.InRange(finished, 2, 23);
            // One warning says how many channels the stop left and that -FailedOnly finishes them.
            string stopped = Assert.Single(session.Host.RecordingUI.Lines, line => line.StartsWith("WARNING: Stopped:", StringComparison.Ordinal));
            Assert.Contains(" of 24 channel(s) were not reached or were interrupted", stopped);
            Assert.Contains("Invoke-NewApiModelSync -FailedOnly finishes them.", stopped);
            var run = session.Run("@([NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1).ReadRuns())[0]").Single();
            Assert.True((int)run.Properties["Cancelled"].Value >= 24 - finished - 2);

            var rest = session.Run("Invoke-NewApiModelSync -FailedOnly");
            Assert.Equal(24, rest.Count + (int)run.Properties["Succeeded"].Value);
            Assert.True((bool)session.Run("@($sbx.Sandbox.Site.Snapshot() | Where-Object { $_.Models -ne ($_.UpstreamModels -join ',') }).Count -eq 0").Single().BaseObject);
        }

        [Fact]
        public void Settings_Round_Trip_Validate_And_Honour_WhatIf()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = new PowerShellSession();
            session.Run("$sbx = Start-NewApiSandbox");
            var defaults = session.Run("Get-NewApiSyncSetting").Single();
            Assert.Equal(2, defaults.Properties["Concurrency"].Value);
            Assert.Equal(TimeSpan.FromHours(6), defaults.Properties["Interval"].Value);
            Assert.Equal(false, defaults.Properties["AutoSync"].Value);

            var saved = session.Run("Set-NewApiSyncSetting -Concurrency 3 -Interval '12:00:00' -IncludeModel 'gpt-*' -PassThru").Single();
            Assert.Equal(3, saved.Properties["Concurrency"].Value);
            var reread = session.Run("Get-NewApiSyncSetting").Single();
            Assert.Equal(3, reread.Properties["Concurrency"].Value);
            Assert.Equal(TimeSpan.FromHours(12), reread.Properties["Interval"].Value);
            Assert.Equal(new[] { "gpt-*" }, (string[])reread.Properties["IncludeModel"].Value);

            var error = session.RunExpectingTerminatingError("Set-NewApiSyncSetting -Interval '00:01:00'");
            Assert.StartsWith("InvalidSyncSetting,", error.FullyQualifiedErrorId);
            Assert.Contains("Interval", error.Exception.Message);
            Assert.Equal(TimeSpan.FromHours(12), session.Run("(Get-NewApiSyncSetting).Interval").Single().BaseObject);

            session.Run("Set-NewApiSyncSetting -Concurrency 5 -WhatIf");
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("Concurrency = 5"));
            Assert.Equal(3, session.Run("(Get-NewApiSyncSetting).Concurrency").Single().BaseObject);

            session.Run("Set-NewApiSyncSetting -Interval '00:30:00'");
            Assert.Contains(session.Last.Warnings, w => w.Contains("shorter than the recommended"));

            // The saved filter is what a sync uses when no -IncludeModel is given.
            session.Run("$null = Invoke-NewApiModelSync -Id 1");
            Assert.DoesNotContain("o3", ((string)session.Run("$sbx.Sandbox.Site.Get(1).Models").Single().BaseObject).Split(','));
        }

        [Fact]
        public void Start_NewApiAutoSync_Refuses_When_Off_And_Runs_Until_Stopped_When_On()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            var error = session.RunExpectingTerminatingError("Start-NewApiAutoSync");
            Assert.StartsWith("AutoSyncDisabled,", error.FullyQualifiedErrorId);

            session.Run("Set-NewApiSyncSetting -AutoSync $true");
            var output = new PSDataCollection<PSObject>();
            using (var running = session.Begin("Start-NewApiAutoSync -CheckIntervalSec 5 -ErrorAction SilentlyContinue", output))
            {
                var wait = Stopwatch.StartNew();
                while (output.Count < 1 && wait.Elapsed < TimeSpan.FromSeconds(20))
                {
                    Thread.Sleep(20);
                }

                Thread.Sleep(200);
                Assert.False(running.InvocationStateInfo.State is PSInvocationState.Completed or PSInvocationState.Failed);
                running.Stop();
            }

            // One summary per run, not one record per channel.
            Assert.Equal(12, (int)Assert.Single(output).Properties["Total"].Value);
            Assert.Equal(1, Runs(session));
        }

        [Theory]
        [InlineData("Set-NewApiSyncSetting -IncludeModel 'gpt-[4'", "IncludeModel")]
        [InlineData("Set-NewApiSyncSetting -StandardModels 'gpt-4o', 'GPT-4o'", "more than once")]
        [InlineData("Set-NewApiSyncSetting -StandardModels 'gpt-4o', ' '", "empty")]
        public void Settings_A_Run_Could_Not_Use_Are_Refused_When_Saved(string script, string expected)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            var error = session.RunExpectingTerminatingError(script);
            Assert.StartsWith("InvalidSyncSetting,", error.FullyQualifiedErrorId);
            Assert.Contains(expected, error.Exception.Message);
        }

        [Fact]
        public void A_Damaged_Settings_File_Is_Named_And_Reset_Replaces_It()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            session.Run("[System.IO.File]::WriteAllText([System.IO.Path]::Combine($sbx.DataDirectory, 'settings.json'), '{ oops')");
            var error = session.RunExpectingTerminatingError("Get-NewApiSyncSetting");
            Assert.StartsWith("SettingsFileInvalid,", error.FullyQualifiedErrorId);
            Assert.Contains("settings.json", error.Exception.Message);
            Assert.Contains("-Reset", error.ErrorDetails.RecommendedAction);
            Assert.StartsWith("SettingsFileInvalid,", session.RunExpectingTerminatingError("Invoke-NewApiModelSync -WhatIf").FullyQualifiedErrorId);

            session.Run("Set-NewApiSyncSetting -Reset -Concurrency 3");
            Assert.Equal(3, session.Run("(Get-NewApiSyncSetting).Concurrency").Single().BaseObject);
            Assert.Equal(20, session.Run("(Get-NewApiSyncSetting).RequestsPerMinute").Single().BaseObject);
        }

        [Fact]
        public void Start_NewApiAutoSync_WhatIf_Previews_One_Run_Now_Even_When_None_Is_Due()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            session.Run("Set-NewApiSyncSetting -AutoSync $true; $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue; $sbx.Sandbox.ClearRequests()");
            var preview = session.Run("Start-NewApiAutoSync -WhatIf -ErrorAction SilentlyContinue");
            Assert.Equal(12, (int)Assert.Single(preview).Properties["Total"].Value);
            Assert.Equal(0, session.Run("$sbx.Sandbox.Updates.Count").Single().BaseObject);
            Assert.Equal(1, Runs(session));
        }

        [Fact]
        public void Start_NewApiAutoSync_Waits_Its_Check_Interval_While_Another_Run_Holds_The_Site()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            session.Run("Set-NewApiSyncSetting -AutoSync $true; $lock = [NewApiSync.Engine.Journal.SiteRunLock]::TryAcquire($sbx.DataDirectory, $sbx.BaseUrl, 1, [TimeSpan]::Zero, [Threading.CancellationToken]::None, 'sync run')");
            try
            {
                var output = new PSDataCollection<PSObject>();
                using var running = session.Begin("Start-NewApiAutoSync -CheckIntervalSec 30", output);
                Thread.Sleep(2000);
                running.Stop();
                Assert.Single(running.Streams.Warning, w => w.Message.Contains("scheduled run is skipped"));
                Assert.Empty(output);
            }
            finally
            {
                session.Run("$lock.Dispose()");
            }
        }

        [Fact]
        public void No_Stream_Or_Error_Ever_Shows_The_Token()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = SandboxSession();
            string token = (string)session.Run("$sbx.Sandbox.AccessToken").Single().BaseObject;
            session.Run("$r = Invoke-NewApiModelSync -Verbose -Debug -ErrorAction SilentlyContinue; $r | Format-List * | Out-String");
            Assert.DoesNotContain(token, session.Last.AllText);
            Assert.DoesNotContain(token, string.Join("\n", session.Host.RecordingUI.Lines));
            Assert.Contains(session.Last.Verbose, v => v.Contains("GET /api/channel/fetch_models/1"));
            Assert.Contains(session.Last.Debug, d => d.Contains("-> 200 in"));
        }
    }
}
