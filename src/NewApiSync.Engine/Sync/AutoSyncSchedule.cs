using System;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// When the next scheduled sync is due: AutoSync on, and Interval passed since the last full run finished
    /// (Invoke-NewApiModelSync -IfDue, Start-NewApiAutoSync). A site never synced in full is due at once.
    /// </summary>
    public sealed class AutoSyncSchedule
    {
        public AutoSyncSchedule(SyncSettings settings, NewApiSyncRun? lastFullRun)
        {
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            LastFullRun = lastFullRun;
        }

        public SyncSettings Settings { get; }

        public NewApiSyncRun? LastFullRun { get; }

        public bool Enabled => Settings.AutoSync;

        /// <summary>When the next run is due, or null when auto-sync is off.</summary>
        public DateTimeOffset? NextRunAt => !Enabled ? null : LastFullRun?.FinishedAt is DateTimeOffset finished ? finished + Settings.Interval : DateTimeOffset.MinValue;

        public bool IsDue(DateTimeOffset now) => NextRunAt is DateTimeOffset next && now >= next;

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

            DateTimeOffset next = finished + Settings.Interval;
            return now >= next
                ? $"The last full sync finished at {finished:u}; with an interval of {Settings.Interval}, a run is due (since {next:u})."
                : $"The last full sync finished at {finished:u}; the next run is due at {next:u} (in {(next - now).TotalMinutes:0} min).";
        }
    }
}
