using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using NewApiSync.Engine.Internal;

namespace NewApiSync.Engine.Api
{
    /// <summary>
    /// Paces every request of a run. Two mechanisms, both shared by all workers:
    /// a token bucket (System.Threading.RateLimiting) for the admin's RequestsPerMinute/Burst budget, and a pause
    /// that a server 429 imposes on everybody for Retry-After (or a backoff), because the server's limit is per
    /// client IP, not per worker.
    /// </summary>
    public sealed class RequestThrottle : IDisposable
    {
        private readonly RateLimiter? _limiter;
        private readonly TimeProvider _time;
        private readonly object _gate = new object();
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private long _rateLimitedReplies;

        private RequestThrottle(RateLimiter? limiter, TimeProvider time, double requestsPerMinute, int burst)
        {
            _limiter = limiter;
            _time = time;
            RequestsPerMinute = requestsPerMinute;
            Burst = burst;
        }

        /// <summary>No budget: only the server's 429 pauses apply.</summary>
        public static RequestThrottle Unlimited(TimeProvider? time = null) =>
            new RequestThrottle(null, time ?? TimeProvider.System, double.PositiveInfinity, int.MaxValue);

        /// <summary>
        /// A bucket that holds <paramref name="burst"/> tokens and refills at <paramref name="requestsPerMinute"/>.
        /// The limiter refills on its own timer against the real clock (it accounts elapsed time exactly, so no refill
        /// is lost to a late tick); <paramref name="time"/> drives only the 429 pauses, which are ours.
        /// </summary>
        public static RequestThrottle TokenBucket(double requestsPerMinute, int burst, TimeProvider? time = null)
        {
            if (requestsPerMinute <= 0 || double.IsNaN(requestsPerMinute) || double.IsInfinity(requestsPerMinute))
            {
                throw new ArgumentOutOfRangeException(nameof(requestsPerMinute), requestsPerMinute, "RequestsPerMinute must be a positive number.");
            }

            if (burst < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(burst), burst, "Burst must be at least 1.");
            }

            // One token per period when that period is long enough for a timer to keep; otherwise refill in
            // 50 ms steps with several tokens each, so very high budgets are not limited by timer resolution.
            TimeSpan period = TimeSpan.FromMinutes(1 / requestsPerMinute);
            int tokensPerPeriod = 1;
            if (period < TimeSpan.FromMilliseconds(50))
            {
                period = TimeSpan.FromMilliseconds(50);
                tokensPerPeriod = Math.Max(1, (int)Math.Round(requestsPerMinute * period.TotalMinutes));
            }

            var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = period,
                AutoReplenishment = true,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            return new RequestThrottle(limiter, time ?? TimeProvider.System, requestsPerMinute, burst);
        }

        public double RequestsPerMinute { get; }

        public int Burst { get; }

        /// <summary>How many 429 replies the run has seen.</summary>
        public long RateLimitedReplies => Interlocked.Read(ref _rateLimitedReplies);

        /// <summary>When a 429 pause ends (MinValue when none is in force).</summary>
        public DateTimeOffset PausedUntil
        {
            get
            {
                lock (_gate)
                {
                    return _pausedUntil;
                }
            }
        }

        /// <summary>
        /// Waits until a request may be sent: first for any 429 pause, then for a token. Returns how long it waited,
        /// so callers can tell the story in -Verbose.
        /// </summary>
        public async Task<TimeSpan> AcquireAsync(CancellationToken cancellationToken)
        {
            long started = _time.GetTimestamp();
            while (true)
            {
                TimeSpan pause = PausedUntil - _time.GetUtcNow();
                if (pause > TimeSpan.Zero)
                {
                    await _time.DelayAsync(pause, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (_limiter is not null)
                {
                    using RateLimitLease lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                    if (!lease.IsAcquired)
                    {
                        throw new InvalidOperationException("The request rate limiter refused a request it should have queued.");
                    }
                }

                // A 429 may have arrived while this request waited for its token: honour it before sending.
                if (PausedUntil > _time.GetUtcNow())
                {
                    continue;
                }

                return _time.GetElapsedTime(started);
            }
        }

        /// <summary>Holds every request of the run back for <paramref name="delay"/> (extends, never shortens, a pause).</summary>
        public void PauseAll(TimeSpan delay)
        {
            Interlocked.Increment(ref _rateLimitedReplies);
            DateTimeOffset until = _time.GetUtcNow() + delay;
            lock (_gate)
            {
                if (until > _pausedUntil)
                {
                    _pausedUntil = until;
                }
            }
        }

        /// <summary>
        /// What requests are waiting for right now, for the progress bar: a server 429 pause (with its time left), or the
        /// run's own rate limit when requests are queued for a token (with about how long the queue takes). Null when
        /// nothing waits.
        /// </summary>
        public string? DescribeWait()
        {
            TimeSpan pause = PausedUntil - _time.GetUtcNow();
            if (pause > TimeSpan.Zero)
            {
                return $"waiting {Math.Ceiling(pause.TotalSeconds):0} s: the server asked to slow down (429)";
            }

            RateLimiterStatistics? statistics = _limiter?.GetStatistics();
            if (statistics is { CurrentAvailablePermits: 0, CurrentQueuedCount: > 0 })
            {
                TimeSpan queue = TimeSpan.FromMinutes(statistics.CurrentQueuedCount / RequestsPerMinute);
                return $"waiting about {Math.Max(1, Math.Ceiling(queue.TotalSeconds)):0} s for the rate limit ({RequestsPerMinute:0.#} requests/min)";
            }

            return null;
        }

        /// <summary>How long <paramref name="requests"/> more requests need at the sustained rate beyond the burst.</summary>
        public TimeSpan EstimateTimeFor(int requests)
        {
            if (_limiter is null || requests <= 0)
            {
                return TimeSpan.Zero;
            }

            return TimeSpan.FromMinutes(requests / RequestsPerMinute);
        }

        public void Dispose()
        {
            _limiter?.Dispose();
        }
    }
}
