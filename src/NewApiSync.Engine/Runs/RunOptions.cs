using System;

namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// How a run that touches channels paces and retries its requests (sync, redirect, clear, restore alike). Defaults
    /// and ranges: <see cref="RunLimits"/>.
    /// </summary>
    public sealed class RunOptions
    {
        /// <summary>Channels processed at once.</summary>
        public int Concurrency { get; set; } = RunLimits.DefaultConcurrency;

        /// <summary>Retries of one request after a transient failure (a 429 is never counted here).</summary>
        public int MaxRetries { get; set; } = RunLimits.DefaultMaxRetries;

        /// <summary>The sustained request rate of the whole run.</summary>
        public int RequestsPerMinute { get; set; } = RunLimits.DefaultRequestsPerMinute;

        /// <summary>How many requests may go at once after a quiet spell (the token bucket's size).</summary>
        public int Burst { get; set; } = RunLimits.DefaultBurst;

        /// <summary>A bound on one channel's whole processing, retries included; null = none.</summary>
        public TimeSpan? ChannelTimeout { get; set; }

        /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
        public void Validate()
        {
            Check(Concurrency >= RunLimits.MinConcurrency && Concurrency <= RunLimits.MaxConcurrency, nameof(Concurrency), Concurrency, $"{RunLimits.MinConcurrency}–{RunLimits.MaxConcurrency}");
            Check(MaxRetries >= RunLimits.MinRetries && MaxRetries <= RunLimits.MaxRetriesLimit, nameof(MaxRetries), MaxRetries, $"{RunLimits.MinRetries}–{RunLimits.MaxRetriesLimit}");
            Check(RequestsPerMinute >= RunLimits.MinRequestsPerMinute && RequestsPerMinute <= RunLimits.MaxRequestsPerMinute, nameof(RequestsPerMinute), RequestsPerMinute, $"{RunLimits.MinRequestsPerMinute}–{RunLimits.MaxRequestsPerMinute}");
            Check(Burst >= RunLimits.MinBurst && Burst <= RunLimits.MaxBurst, nameof(Burst), Burst, $"{RunLimits.MinBurst}–{RunLimits.MaxBurst}");
            Check(ChannelTimeout is null || (ChannelTimeout > TimeSpan.Zero && ChannelTimeout <= TimeSpan.FromSeconds(RunLimits.MaxChannelTimeoutSec)), nameof(ChannelTimeout), ChannelTimeout!, $"1–{RunLimits.MaxChannelTimeoutSec} seconds, or none");
            Check(RetryBaseDelay >= TimeSpan.Zero, nameof(RetryBaseDelay), RetryBaseDelay, "zero or more");
        }

        private static void Check(bool ok, string name, object value, string range)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}; it was {value}.");
            }
        }
    }
}
