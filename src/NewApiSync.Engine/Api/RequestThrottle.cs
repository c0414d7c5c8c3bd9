using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using NewApiSync.Engine.Internal;

namespace NewApiSync.Engine.Api
{
    /// <summary>
    /// Paces every request of a run. Three mechanisms, all shared by all workers, because the server's limit is per
    /// client IP, not per worker:
    /// <list type="bullet">
    /// <item>a token bucket (System.Threading.RateLimiting) for the admin's RequestsPerMinute/Burst budget;</item>
    /// <item>a pause that a server 429 imposes on everybody for Retry-After (or a backoff);</item>
    /// <item>an adaptive rate, like the AWS SDKs' adaptive retry mode: after a 429 a second token bucket, with no burst,
    /// holds the run to the rate the server was seen to accept (the replies it let through in the last
    /// <see cref="AcceptedRateWindow"/>, a little less), so the workers do not all fire again the moment a pause ends; after
    /// <see cref="SuccessesBeforeRaise"/> replies in a row without a 429 the rate is raised by <see cref="RaiseFactor"/>,
    /// until it reaches the configured budget and the adaptive bucket is dropped. One burst of 429s (requests sent at the
    /// same rate) lowers the rate once, not once per reply.</item>
    /// </list>
    /// </summary>
    public sealed class RequestThrottle : IDisposable
    {
        private readonly RateLimiter? _limiter;
        private readonly TimeProvider _time;
        private readonly object _gate = new object();
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

        /// <summary>How far back replies count towards the rate the server accepts.</summary>
        public static readonly TimeSpan AcceptedRateWindow = TimeSpan.FromSeconds(10);

        /// <summary>Replies in a row without a 429 before the adaptive rate is raised.</summary>
        public const int SuccessesBeforeRaise = 4;

        /// <summary>How much the adaptive rate grows each time it is raised.</summary>
        public const double RaiseFactor = 1.25;

        /// <summary>The adaptive rate never goes below one request per 20 s.</summary>
        public const double MinRequestsPerSecond = 0.05;

        // The adaptive bucket is replaced, never retuned (a TokenBucketRateLimiter's rate is fixed); a request waiting
        // in a replaced one is released and queues again in the new one.
        private TokenBucketRateLimiter? _adaptive;
        private double _adaptiveRate = double.PositiveInfinity;
        private long _rateEpoch;
        private int _successesSinceChange;
        private readonly Queue<long> _recentReplies = new Queue<long>();
        private readonly Queue<long> _recentSends = new Queue<long>();

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

            TokenBucketRateLimiter limiter = CreateBucket(requestsPerMinute, burst);
            return new RequestThrottle(limiter, time ?? TimeProvider.System, requestsPerMinute, burst);
        }

        private static TokenBucketRateLimiter CreateBucket(double requestsPerMinute, int burst)
        {
            // One token per period when that period is long enough for a timer to keep; otherwise refill in
            // 50 ms steps with several tokens each, so very high budgets are not limited by timer resolution.
            TimeSpan period = TimeSpan.FromMinutes(1 / requestsPerMinute);
            int tokensPerPeriod = 1;
            if (period < TimeSpan.FromMilliseconds(50))
            {
                period = TimeSpan.FromMilliseconds(50);
                tokensPerPeriod = Math.Max(1, (int)Math.Round(requestsPerMinute * period.TotalMinutes));
            }

            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(burst, tokensPerPeriod),
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = period,
                AutoReplenishment = true,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
        }

        public double RequestsPerMinute { get; }

        public int Burst { get; }

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

                if (!await AcquireAdaptiveAsync(cancellationToken).ConfigureAwait(false))
                {
                    // The adaptive rate changed while this request waited: queue again at the new rate.
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

                lock (_gate)
                {
                    Remember(_recentSends, Stopwatch.GetTimestamp());
                }

                return _time.GetElapsedTime(started);
            }
        }

        /// <summary>Identifies the rate requests are sent at now; a 429 carries the epoch its request was sent in.</summary>
        public long RateEpoch => Interlocked.Read(ref _rateEpoch);

        /// <summary>The adaptive rate in force, in requests per minute; null when the run is not being held back.</summary>
        public double? AdaptiveRequestsPerMinute
        {
            get
            {
                lock (_gate)
                {
                    return _adaptive is null ? null : _adaptiveRate * 60;
                }
            }
        }

        /// <summary>
        /// A 429 for a request sent in <paramref name="sentInEpoch"/>: lowers the adaptive rate to a little under what
        /// the server accepted lately, unless a 429 of the same epoch already did. Returns the new rate (requests per
        /// minute) when it changed, else null.
        /// </summary>
        public double? OnRateLimited(long sentInEpoch)
        {
            TokenBucketRateLimiter? replaced;
            double rate;
            lock (_gate)
            {
                if (sentInEpoch != _rateEpoch)
                {
                    return null;
                }

                long now = Stopwatch.GetTimestamp();
                double accepted = RateWithin(_recentReplies, now);
                double sent = RateWithin(_recentSends, now);
                double current = Math.Min(_adaptiveRate, RequestsPerMinute / 60);
                // What the server let through, a little less; with nothing let through, half of what was being sent.
                rate = accepted > 0 ? accepted * 0.9 : Math.Min(current, sent) * 0.5;
                rate = Math.Max(MinRequestsPerSecond, Math.Min(rate, current * 0.9));
                replaced = SetAdaptive(rate);
            }

            replaced?.Dispose();
            return rate * 60;
        }

        /// <summary>
        /// A reply that was not a 429. After <see cref="SuccessesBeforeRaise"/> in a row the adaptive rate grows; once it
        /// reaches the configured budget the adaptive bucket is dropped. Returns the new rate when it changed.
        /// </summary>
        public double? OnReply()
        {
            TokenBucketRateLimiter? replaced;
            double rate;
            lock (_gate)
            {
                Remember(_recentReplies, Stopwatch.GetTimestamp());
                if (_adaptive is null || ++_successesSinceChange < SuccessesBeforeRaise)
                {
                    return null;
                }

                rate = _adaptiveRate * RaiseFactor;
                replaced = rate >= RequestsPerMinute / 60 ? SetAdaptive(double.PositiveInfinity) : SetAdaptive(rate);
            }

            replaced?.Dispose();
            return double.IsPositiveInfinity(rate) || rate >= RequestsPerMinute / 60 ? RequestsPerMinute : rate * 60;
        }

        // Under _gate. Returns the bucket it replaces, to be disposed outside the lock (which releases its waiters).
        private TokenBucketRateLimiter? SetAdaptive(double requestsPerSecond)
        {
            TokenBucketRateLimiter? old = _adaptive;
            _adaptiveRate = requestsPerSecond;
            _adaptive = double.IsPositiveInfinity(requestsPerSecond) ? null : CreateBucket(requestsPerSecond * 60, burst: 1);
            _successesSinceChange = 0;
            _rateEpoch++;
            return old;
        }

        // True when a permit was had (or no adaptive rate is in force); false when the bucket was replaced meanwhile.
        private async Task<bool> AcquireAdaptiveAsync(CancellationToken cancellationToken)
        {
            TokenBucketRateLimiter? adaptive;
            lock (_gate)
            {
                adaptive = _adaptive;
            }

            if (adaptive is null)
            {
                return true;
            }

            try
            {
                using RateLimitLease lease = await adaptive.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                return lease.IsAcquired;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        private static void Remember(Queue<long> timestamps, long now)
        {
            timestamps.Enqueue(now);
            long horizon = now - (long)(AcceptedRateWindow.TotalSeconds * Stopwatch.Frequency);
            while (timestamps.Count > 0 && timestamps.Peek() < horizon)
            {
                timestamps.Dequeue();
            }
        }

        // Events per second over the window (or since the first one, when the run is younger than the window).
        private static double RateWithin(Queue<long> timestamps, long now)
        {
            long horizon = now - (long)(AcceptedRateWindow.TotalSeconds * Stopwatch.Frequency);
            while (timestamps.Count > 0 && timestamps.Peek() < horizon)
            {
                timestamps.Dequeue();
            }

            if (timestamps.Count == 0)
            {
                return 0;
            }

            double seconds = Math.Max(1.0, (now - timestamps.Peek()) / (double)Stopwatch.Frequency);
            return timestamps.Count / seconds;
        }

        /// <summary>Holds every request of the run back for <paramref name="delay"/> (extends, never shortens, a pause).</summary>
        public void PauseAll(TimeSpan delay)
        {
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
            double perMinute = Math.Min(RequestsPerMinute, AdaptiveRequestsPerMinute ?? double.PositiveInfinity);
            if (requests <= 0 || double.IsPositiveInfinity(perMinute))
            {
                return TimeSpan.Zero;
            }

            return TimeSpan.FromMinutes(requests / perMinute);
        }

        public void Dispose()
        {
            _limiter?.Dispose();
            TokenBucketRateLimiter? adaptive;
            lock (_gate)
            {
                adaptive = _adaptive;
                _adaptive = null;
            }

            adaptive?.Dispose();
        }
    }
}
