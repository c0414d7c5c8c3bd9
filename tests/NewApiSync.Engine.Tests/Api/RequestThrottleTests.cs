using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using NewApiSync.Engine.Api;
using Xunit;

namespace NewApiSync.Engine.Tests.Api
{
    /// <summary>The run's token bucket and the shared 429 pause, on a fake clock: pacing is behaviour, not speed.</summary>
    public sealed class RequestThrottleTests
    {
        // The library bucket refills against the real clock, so pacing is checked as a lower bound: never faster than
        // the bucket allows (a slow machine only makes it slower). How fully the budget is used is a benchmark figure.
        [Fact]
        public async Task Allows_The_Burst_At_Once_Then_No_Faster_Than_The_Sustained_Rate()
        {
            using var throttle = RequestThrottle.TokenBucket(requestsPerMinute: 1200, burst: 3); // one token per 50 ms
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 3; i++)
            {
                Assert.True(throttle.AcquireAsync(CancellationToken.None).IsCompleted, $"burst request {i + 1} waited");
            }

            for (int i = 0; i < 8; i++)
            {
                await throttle.AcquireAsync(CancellationToken.None);
            }

            // 8 requests beyond the burst need 8 refills of 50 ms; allow one refill of timer slack.
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(350), $"11 requests went through in {clock.Elapsed.TotalMilliseconds:0} ms");
        }

        [Fact]
        public void Never_Holds_More_Than_The_Burst()
        {
            using var throttle = RequestThrottle.TokenBucket(requestsPerMinute: 60, burst: 3);
            Thread.Sleep(50);
            var tasks = Enumerable.Range(0, 6).Select(_ => throttle.AcquireAsync(CancellationToken.None)).ToArray();
            Assert.Equal(3, tasks.Count(t => t.IsCompleted));
        }

        [Fact]
        public async Task A_429_Pause_Holds_Every_Caller_Until_It_Ends()
        {
            var clock = new FakeTimeProvider();
            using var throttle = RequestThrottle.TokenBucket(requestsPerMinute: 6000, burst: 10, clock);
            throttle.PauseAll(TimeSpan.FromSeconds(30));
            var waiting = Enumerable.Range(0, 3).Select(_ => throttle.AcquireAsync(CancellationToken.None)).ToArray();
            clock.Advance(TimeSpan.FromSeconds(29));
            Assert.All(waiting, t => Assert.False(t.IsCompleted));
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(5));
        }

        [Fact]
        public void A_Pause_Is_Extended_Never_Shortened()
        {
            var clock = new FakeTimeProvider();
            using var throttle = RequestThrottle.Unlimited(clock);
            throttle.PauseAll(TimeSpan.FromSeconds(20));
            DateTimeOffset until = throttle.PausedUntil;
            throttle.PauseAll(TimeSpan.FromSeconds(5));
            Assert.Equal(until, throttle.PausedUntil);
        }

        [Fact]
        public async Task Cancelling_A_Waiting_Caller_Throws_Promptly()
        {
            var clock = new FakeTimeProvider();
            using var throttle = RequestThrottle.TokenBucket(requestsPerMinute: 1, burst: 1, clock);
            await throttle.AcquireAsync(CancellationToken.None);
            using var cts = new CancellationTokenSource();
            Task waiting = throttle.AcquireAsync(cts.Token);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        [Theory]
        [InlineData(0, 5)]
        [InlineData(-1, 5)]
        [InlineData(double.NaN, 5)]
        [InlineData(20, 0)]
        public void Rejects_Nonsense_Budgets(double rpm, int burst)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => RequestThrottle.TokenBucket(rpm, burst));
        }
    }
}
