using System;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;

namespace NewApiSync.Engine.Site
{
    /// <summary>
    /// When the next scheduled sync is due: AutoSync on, and Interval passed since the last full run finished
    /// (Invoke-NewApiModelSync -IfDue, Start-NewApiAutoSync). A site never synced in full is due at once. The time
    /// comes from a <see cref="TimeProvider"/>, so tests drive the schedule with a fake clock.
    /// </summary>
    public sealed class AutoSyncSchedule
    {
        /// <summary>
        /// How far in the future the last run may seem to have finished before the schedule stops trusting it. A clock
        /// set back after a run (a day, say) would otherwise hold every scheduled run until the clock catches up plus an
        /// interval; small corrections (NTP steps of seconds) stay within this and change nothing.
        /// </summary>
        public static readonly TimeSpan ClockStepTolerance = TimeSpan.FromMinutes(5);

        private readonly TimeProvider _clock;

        public AutoSyncSchedule(SyncSettings settings, NewApiSyncRun? lastFullRun, TimeProvider? clock = null)
        {
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            LastFullRun = lastFullRun;
            _clock = clock ?? TimeProvider.System;
        }

        public SyncSettings Settings { get; }

        public NewApiSyncRun? LastFullRun { get; }

        public bool Enabled => Settings.AutoSync;

        /// <summary>The current time on the schedule's clock.</summary>
        public DateTimeOffset Now => _clock.GetUtcNow();

        /// <summary>
        /// When the next run is due, or null when auto-sync is off. Never synced in full, or a last run that finished
        /// later than now (beyond <see cref="ClockStepTolerance"/>: the clock was set back), is due at once
        /// (<see cref="DateTimeOffset.MinValue"/>).
        /// </summary>
        public DateTimeOffset? NextRunAt =>
            !Enabled ? null
            : LastFullRun?.FinishedAt is DateTimeOffset finished && !FinishedInTheFuture(finished) ? finished + Settings.Interval
            : DateTimeOffset.MinValue;

        public bool IsDue(DateTimeOffset now) => NextRunAt is DateTimeOffset next && now >= next;

        /// <summary>
        /// How long Start-NewApiAutoSync waits before it checks again, after a check that ran nothing (not due, or another
        /// run held the site): <paramref name="checkInterval"/>, or less when the next run falls due sooner, so a due run
        /// starts on time rather than up to a check interval late. Never negative.
        /// </summary>
        public TimeSpan WaitBeforeNextCheck(TimeSpan checkInterval)
        {
            if (checkInterval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(checkInterval), checkInterval, "The check interval must be positive.");
            }

            DateTimeOffset now = Now;
            return NextRunAt is DateTimeOffset next && next > now && next - now < checkInterval ? next - now : checkInterval;
        }

        private bool FinishedInTheFuture(DateTimeOffset finished) => finished > Now + ClockStepTolerance;

        /// <summary>Why a run is or is not due, for -Verbose.</summary>
        public string Describe(DateTimeOffset now)
        {
            if (!Enabled)
            {
                return "Auto-sync is off (Set-NewApiSyncSetting -AutoSync $true turns it on); nothing is due.";
            }

            if (LastFullRun?.FinishedAt is not DateTimeOffset finished)
            {
                return "This site has no finished full sync run yet, so one is due now.";
            }

            if (FinishedInTheFuture(finished))
            {
                return $"The last full sync finished at {finished:u}, later than now ({now:u}): the clock was set back, so a run is due now.";
            }

            DateTimeOffset next = finished + Settings.Interval;
            return now >= next
                ? $"The last full sync finished at {finished:u}; with an interval of {Settings.Interval}, a run is due (since {next:u})."
                : $"The last full sync finished at {finished:u}; the next run is due at {next:u} (in {(next - now).TotalMinutes:0} min).";
        }
    }
}
