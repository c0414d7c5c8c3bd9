using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Sync;
using NewApiSync.Engine.Tests.Reliability;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Robustness
{
    /// <summary>
    /// A tight per-IP server limit against many workers: the run slows to what the server accepts instead of failing
    /// channels. 10 channels keep the test near half a minute; the 20-channel case is timed in the benchmarks.
    /// </summary>
    public sealed class AdaptiveRateTests
    {
        [Fact]
        public async Task Channels_At_Concurrency_8_Under_A_Limit_Of_2_Requests_Per_5_Seconds_All_Succeed()
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(10, 3, seed: 9), new SandboxOptions
            {
                RateLimitRequests = 2,
                RateLimitWindow = TimeSpan.FromSeconds(5),
            });
            foreach (SandboxChannel channel in server.Site.Snapshot())
            {
                // Upstream serves what the channel lists: one fetch per channel and no write, so the test stays short.
                server.Site.SetUpstream(channel.Id, channel.Models.Split(','));
            }

            var log = new CollectingLog();
            var connection = Sandboxes.Connect(server);
            var journal = NewApiSync.Engine.Journal.SyncJournal.ForSite(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nas-" + Guid.NewGuid().ToString("N")), connection.BaseUrl, connection.UserId);
            RunOptions options = ReliabilityRuns.Fast(concurrency: 8);

            NewApiSyncRun run = await ReliabilityRuns.SyncIntoJournalAsync(connection, journal, options, log);

            Assert.Equal(10, run.Total);
            Assert.Equal(0, run.Failed);
            Assert.Equal(10, run.Succeeded);
            Assert.Contains(log.Messages, m => m.Contains("requests slow down to"));
        }

        [Fact]
        public async Task A_Burst_Of_429s_Lowers_The_Rate_Once_And_Sustained_Success_Raises_It_Again()
        {
            using var throttle = RequestThrottle.TokenBucket(requestsPerMinute: 6000, burst: 100);
            for (int i = 0; i < 10; i++)
            {
                await throttle.AcquireAsync(CancellationToken.None);
                throttle.OnReply();
            }

            long epoch = throttle.RateEpoch;
            double? lowered = throttle.OnRateLimited(epoch);
            Assert.NotNull(lowered);
            Assert.True(lowered < 6000);
            // Other 429s of the same burst carry the old epoch and change nothing.
            Assert.Null(throttle.OnRateLimited(epoch));
            Assert.Equal(lowered, throttle.AdaptiveRequestsPerMinute);

            double? raised = null;
            for (int i = 0; i < RequestThrottle.SuccessesBeforeRaise; i++)
            {
                raised = throttle.OnReply() ?? raised;
            }

            Assert.NotNull(raised);
            Assert.True(raised > lowered);
            Assert.True(throttle.AdaptiveRequestsPerMinute > lowered);
        }

        [Fact]
        public async Task The_Adaptive_Rate_Is_Dropped_Once_It_Reaches_The_Configured_Budget()
        {
            using var throttle = RequestThrottle.TokenBucket(requestsPerMinute: 600, burst: 10);
            await throttle.AcquireAsync(CancellationToken.None);
            throttle.OnReply();
            Assert.NotNull(throttle.OnRateLimited(throttle.RateEpoch));
            for (int i = 0; i < 400 && throttle.AdaptiveRequestsPerMinute is not null; i++)
            {
                throttle.OnReply();
            }

            Assert.Null(throttle.AdaptiveRequestsPerMinute);
        }
    }
}
