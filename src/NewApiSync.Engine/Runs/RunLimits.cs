namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// The default and the allowed range of every run setting, in one place: <see cref="RunOptions"/> (what a run
    /// uses), <see cref="Settings.SyncSettings"/> (what is saved) and the cmdlets' [ValidateRange] attributes (what a
    /// parameter accepts) all read them from here, so the three can never disagree. Constants, because attribute
    /// arguments must be.
    /// </summary>
    public static class RunLimits
    {
        /// <summary>Channels processed at once.</summary>
        public const int DefaultConcurrency = 2, MinConcurrency = 1, MaxConcurrency = 32;

        /// <summary>Retries of one request after a transient failure.</summary>
        public const int DefaultMaxRetries = 3, MinRetries = 0, MaxRetriesLimit = 10;

        /// <summary>The sustained request rate of a run, per minute.</summary>
        public const int DefaultRequestsPerMinute = 20, MinRequestsPerMinute = 1, MaxRequestsPerMinute = 10000;

        /// <summary>Requests allowed at once above the sustained rate (the token bucket's size).</summary>
        public const int DefaultBurst = 5, MinBurst = 1, MaxBurst = 1000;

        /// <summary>A bound on one channel's whole processing in seconds; 0 (the default) means none.</summary>
        public const int MinChannelTimeoutSec = 0, MaxChannelTimeoutSec = 3600;

        /// <summary>Runs kept in each site's journal.</summary>
        public const int DefaultHistoryRetention = 200, MinHistoryRetention = 1, MaxHistoryRetention = 10000;

        /// <summary>The share of a channel's models a sync may remove before the channel is held (100 turns the guard off).</summary>
        public const int DefaultShrinkGuardPercent = 50, MinShrinkGuardPercent = 0, MaxShrinkGuardPercent = 100;
    }
}
