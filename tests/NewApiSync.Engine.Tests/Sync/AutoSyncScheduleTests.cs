using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Sync
{
    /// <summary>
    /// When a scheduled sync is due and how long Start-NewApiAutoSync waits between checks, on a fake clock: the clock is
    /// moved, never waited for.
    /// </summary>
    public sealed class AutoSyncScheduleTests
    {
        private static readonly DateTimeOffset LastFinished = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(60);

        private static SyncSettings On(TimeSpan interval) => new SyncSettings { AutoSync = true, Interval = interval };

        private static NewApiSyncRun FullRun(DateTimeOffset finished) =>
            new NewApiSyncRun { Kind = RunKind.Sync, Mode = RunMode.All, StartedAt = finished - TimeSpan.FromMinutes(2), FinishedAt = finished };

        [Fact]
        public void The_Wait_Is_The_Check_Interval_Until_The_Due_Time_Is_Nearer_Then_Ends_At_It()
        {
            var clock = new FakeTimeProvider(LastFinished + TimeSpan.FromHours(1));
            var schedule = new AutoSyncSchedule(On(TimeSpan.FromHours(6)), FullRun(LastFinished), clock);

            Assert.False(schedule.IsDue(schedule.Now));
            Assert.Equal(CheckInterval, schedule.WaitBeforeNextCheck(CheckInterval));

            clock.Advance(TimeSpan.FromHours(5) - TimeSpan.FromSeconds(20));
            Assert.False(schedule.IsDue(schedule.Now));
            Assert.Equal(TimeSpan.FromSeconds(20), schedule.WaitBeforeNextCheck(CheckInterval));

            clock.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(LastFinished + TimeSpan.FromHours(6), schedule.Now);
            Assert.True(schedule.IsDue(schedule.Now));
        }

        [Fact]
        public void A_Due_Run_That_Found_The_Site_Busy_Is_Checked_Again_After_The_Check_Interval()
        {
            // Due since an hour, but another run held the site: waiting "until due" would be no wait at all, a busy loop.
            var clock = new FakeTimeProvider(LastFinished + TimeSpan.FromHours(7));
            var schedule = new AutoSyncSchedule(On(TimeSpan.FromHours(6)), FullRun(LastFinished), clock);

            Assert.True(schedule.IsDue(schedule.Now));
            Assert.Equal(CheckInterval, schedule.WaitBeforeNextCheck(CheckInterval));
        }

        [Fact]
        public void A_Site_Never_Synced_In_Full_Is_Due_At_Once_And_Off_Is_Never_Due()
        {
            var clock = new FakeTimeProvider(LastFinished);
            var never = new AutoSyncSchedule(On(TimeSpan.FromHours(6)), null, clock);
            var off = new AutoSyncSchedule(new SyncSettings { AutoSync = false }, FullRun(LastFinished - TimeSpan.FromDays(30)), clock);

            Assert.True(never.IsDue(never.Now));
            Assert.Equal(CheckInterval, never.WaitBeforeNextCheck(CheckInterval));
            Assert.Null(off.NextRunAt);
            Assert.False(off.IsDue(off.Now));
            Assert.Equal(CheckInterval, off.WaitBeforeNextCheck(CheckInterval));
        }

        [Fact]
        public void A_Clock_Set_Back_A_Day_After_A_Run_Makes_The_Run_Due_At_Once_And_A_Small_Step_Changes_Nothing()
        {
            // The last run "finished" a day from now: waiting for that time plus the interval would skip 30 hours of syncs.
            var dayBack = new FakeTimeProvider(LastFinished - TimeSpan.FromDays(1));
            var schedule = new AutoSyncSchedule(On(TimeSpan.FromHours(6)), FullRun(LastFinished), dayBack);
            Assert.True(schedule.IsDue(schedule.Now));
            Assert.Contains("clock was set back", schedule.Describe(schedule.Now));

            // An NTP step of seconds keeps the schedule: the run is due an interval after it finished, as before.
            var smallStep = new FakeTimeProvider(LastFinished - TimeSpan.FromSeconds(30));
            var kept = new AutoSyncSchedule(On(TimeSpan.FromHours(6)), FullRun(LastFinished), smallStep);
            Assert.False(kept.IsDue(kept.Now));
            Assert.Equal(LastFinished + TimeSpan.FromHours(6), kept.NextRunAt);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        public void A_Check_Interval_That_Is_Not_Positive_Is_Refused(int seconds)
        {
            var schedule = new AutoSyncSchedule(On(TimeSpan.FromHours(6)), FullRun(LastFinished), new FakeTimeProvider(LastFinished));

            Assert.Throws<ArgumentOutOfRangeException>(() => schedule.WaitBeforeNextCheck(TimeSpan.FromSeconds(seconds)));
        }

        [Fact]
        public async Task The_Service_Schedules_From_The_Journals_Last_Full_Run_On_Its_Own_Clock()
        {
            using SandboxServer server = SandboxServer.Start();
            using var root = new TempDataRoot();
            NewApiConnection connection = Sandboxes.Connect(server);
            connection.DataDirectory = root.Path;
            var options = new RunOptions { Concurrency = 2, MaxRetries = 0, RequestsPerMinute = 6000, Burst = 100 };
            NewApiSyncRun synced = await new ModelSyncService(connection, new SyncSettings()).RunAsync(new ModelSyncRequest { Mode = RunMode.All, Options = options }, new RunCallbacks(), CancellationToken.None);
            DateTimeOffset finished = synced.FinishedAt!.Value;

            var clock = new FakeTimeProvider(finished + TimeSpan.FromMinutes(30));
            var service = new ModelSyncService(connection, On(TimeSpan.FromHours(1))) { Time = clock };
            AutoSyncSchedule schedule = service.Schedule();

            Assert.Equal(synced.RunId, schedule.LastFullRun!.RunId);
            Assert.Equal(finished + TimeSpan.FromHours(1), schedule.NextRunAt);
            Assert.False(schedule.IsDue(schedule.Now));
            clock.Advance(TimeSpan.FromMinutes(29.5));
            Assert.Equal(TimeSpan.FromSeconds(30), schedule.WaitBeforeNextCheck(CheckInterval));
            clock.Advance(TimeSpan.FromSeconds(30));
            Assert.True(service.Schedule().IsDue(clock.GetUtcNow()));
        }
    }
}
