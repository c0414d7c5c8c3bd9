using System;
using System.Globalization;

namespace NewApiSync.Engine.Journal
{
    /// <summary>Who holds a site's run lock, as the holder recorded it: what the loser of the lock tells the user.</summary>
    public sealed class RunLockHolder
    {
        public int ProcessId { get; set; }

        public DateTimeOffset StartedAt { get; set; }

        /// <summary>What the holder is doing, e.g. "sync run" (free text from the holder).</summary>
        public string Purpose { get; set; } = "run";

        public string MachineName { get; set; } = string.Empty;

        /// <summary>The New API user id the holder runs as (the lock is shared by every user of the site); 0 when unknown.</summary>
        public int UserId { get; set; }

        /// <summary>e.g. "a sync run started at 2026-11-24 04:10:00Z by process 1234 on HOST is still running".</summary>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "a {0} started at {1:yyyy-MM-dd HH:mm:ss}Z by process {2}{3}{4} is still running",
                Purpose, StartedAt.UtcDateTime, ProcessId, string.IsNullOrEmpty(MachineName) ? string.Empty : " on " + MachineName,
                UserId > 0 ? " as user " + UserId.ToString(CultureInfo.InvariantCulture) : string.Empty);
    }
}
