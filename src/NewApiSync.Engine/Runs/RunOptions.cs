using System;

namespace NewApiSync.Engine.Runs
{
    /// <summary>How a run that touches channels paces and retries its requests (sync, redirect, clear, restore alike).</summary>
    public sealed class RunOptions
    {
        public const int MinConcurrency = 1, MaxConcurrency = 32;
        public const int MinRetries = 0, MaxRetriesLimit = 10;
        public const int MinRequestsPerMinute = 1, MaxRequestsPerMinute = 10000;
        public const int MinBurst = 1, MaxBurst = 1000;
        public const int MaxChannelTimeoutSec = 3600;

        /// <summary>Channels processed at once.</summary>
        public int Concurrency { get; set; } = 2;

        /// <summary>Retries of one request after a transient failure (a 429 is never counted here).</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The sustained request rate of the whole run.</summary>
        public double RequestsPerMinute { get; set; } = 20;

        /// <summary>How many requests may go at once after a quiet spell (the token bucket's size).</summary>
        public int Burst { get; set; } = 5;

        /// <summary>A bound on one channel's whole processing, retries included; null = none.</summary>
        public TimeSpan? ChannelTimeout { get; set; }

        /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
        public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
        public void Validate()
        {
            Check(Concurrency >= MinConcurrency && Concurrency <= MaxConcurrency, nameof(Concurrency), Concurrency, $"{MinConcurrency}–{MaxConcurrency}");
            Check(MaxRetries >= MinRetries && MaxRetries <= MaxRetriesLimit, nameof(MaxRetries), MaxRetries, $"{MinRetries}–{MaxRetriesLimit}");
            Check(RequestsPerMinute >= MinRequestsPerMinute && RequestsPerMinute <= MaxRequestsPerMinute, nameof(RequestsPerMinute), RequestsPerMinute, $"{MinRequestsPerMinute}–{MaxRequestsPerMinute}");
            Check(Burst >= MinBurst && Burst <= MaxBurst, nameof(Burst), Burst, $"{MinBurst}–{MaxBurst}");
            Check(ChannelTimeout is null || (ChannelTimeout > TimeSpan.Zero && ChannelTimeout <= TimeSpan.FromSeconds(MaxChannelTimeoutSec)), nameof(ChannelTimeout), ChannelTimeout!, $"1–{MaxChannelTimeoutSec} seconds, or none");
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
