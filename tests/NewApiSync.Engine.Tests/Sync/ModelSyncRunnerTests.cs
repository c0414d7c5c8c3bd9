using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Sync;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Sync
{
    /// <summary>Whole sync runs against the sandbox over loopback HTTP, with injected faults.</summary>
    public sealed class ModelSyncRunnerTests
    {
        private static RunOptions FastOptions(int maxRetries = 3, int concurrency = 2) => new RunOptions
        {
            Concurrency = concurrency,
            MaxRetries = maxRetries,
            RequestsPerMinute = 6000,
            Burst = 100,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        };

        // Through the production entry point (ModelSyncService); the "recorder" is the run's journal.
        private static async Task<(JournaledRun Recorder, NewApiSyncRun Run, ConcurrentQueue<NewApiSyncResult> Streamed)> SyncAsync(
            SandboxServer server, RunOptions? options = null, ModelFilter? filter = null, int[]? ids = null, Func<string, string, Task<bool>>? confirm = null, CancellationToken cancellationToken = default)
        {
            var recorder = new JournaledRun(server);
            var request = new ModelSyncRequest { Mode = ids is null ? RunMode.All : RunMode.Selected, ChannelIds = ids, Options = options ?? FastOptions(), Filter = filter ?? ModelFilter.None };
            NewApiSyncRun run = await recorder.SyncAsync(request, confirm, cancellationToken);
            return (recorder, run, recorder.Streamed);
        }

        [Fact]
        public async Task Syncs_The_Sample_Site_With_One_Upstream_Failure()
        {
            using var server = SandboxServer.Start();
            var (recorder, run, streamed) = await SyncAsync(server);

            Assert.Equal(12, run.Total);
            Assert.Equal(12, recorder.Results.Count);
            Assert.Equal(Enumerable.Range(1, 12), recorder.Results.Select(r => r.ChannelId).OrderBy(i => i));
            Assert.Equal(12, streamed.Count);
            Assert.Equal((run.RunId, run.Failed, run.Changed), (recorder.Summary.RunId, recorder.Summary.Failed, recorder.Summary.Changed));

            NewApiSyncResult broken = recorder.For(11);
            Assert.Equal(ChannelResultStatus.Failed, broken.Status);
            Assert.Equal(NewApiErrorKind.Upstream, broken.ErrorKind);
            Assert.Equal(4, broken.Attempts); // 1 + MaxRetries
            Assert.Equal(1, run.Failed);

            NewApiSyncResult openAi = recorder.For(1);
            Assert.Equal(ChannelResultStatus.Succeeded, openAi.Status);
            Assert.True(openAi.Changed);
            Assert.Equal(server.Site.Get(1)!.UpstreamModels, openAi.NewModels);
            Assert.Equal(string.Join(",", openAi.NewModels), server.Site.Get(1)!.Models);
            Assert.Contains("gpt-4.1", openAi.AddedModels);
            Assert.Equal(new[] { "gpt-4-turbo" }, openAi.RemovedModels);
            Assert.Equal(1, openAi.Attempts);

            // Every write is {"id", "models"} and nothing else.
            Assert.All(server.Updates, u =>
            {
                using var body = JsonDocument.Parse(u.Body);
                Assert.Equal(new[] { "id", "models" }, body.RootElement.EnumerateObject().Select(p => p.Name));
            });
            Assert.Equal(run.Changed, server.Updates.Count);
        }

        [Fact]
        public async Task A_Second_Run_Writes_Nothing_Because_Nothing_Changed()
        {
            using var server = SandboxServer.Start();
            await SyncAsync(server);
            server.ClearRequests();
            var (recorder, run, _) = await SyncAsync(server);
            Assert.Empty(server.Updates);
            Assert.Equal(0, run.Changed);
            Assert.All(recorder.Results.Where(r => r.ChannelId != 11), r => Assert.Equal(ChannelResultStatus.Succeeded, r.Status));
        }

        [Fact]
        public async Task Redirect_Aliases_Stay_While_Their_Target_Is_Still_Served()
        {
            using var server = SandboxServer.Start();
            var (recorder, _, _) = await SyncAsync(server, ids: new[] { 6, 9 });
            // OpenRouter: gpt-4o → openai/gpt-4o:free, still upstream, so the alias stays routable.
            Assert.Contains("gpt-4o", server.Site.Get(6)!.Models.Split(','));
            Assert.DoesNotContain("gpt-4o", recorder.For(6).RemovedModels);
            // Zhipu: glm-4 → glm-4.5, still upstream.
            Assert.Contains("glm-4", server.Site.Get(9)!.Models.Split(','));

            // Once the target disappears upstream, the alias goes with it.
            server.Site.SetUpstream(9, "glm-4.6");
            (recorder, _, _) = await SyncAsync(server, ids: new[] { 9 });
            Assert.Equal("glm-4.6", server.Site.Get(9)!.Models);
            Assert.Equal(new[] { "glm-4.5", "glm-4.5-air", "glm-4" }, recorder.For(9).RemovedModels);
        }

        [Fact]
        public async Task An_Empty_Upstream_Never_Wipes_A_Channel()
        {
            using var server = SandboxServer.Start();
            server.Site.SetUpstream(4);
            var (recorder, _, _) = await SyncAsync(server, ids: new[] { 4 });
            NewApiSyncResult result = recorder.For(4);
            Assert.Equal(ChannelResultStatus.Skipped, result.Status);
            Assert.Contains("no models", result.Reason);
            Assert.Empty(server.Updates);
            Assert.Equal("deepseek-chat", server.Site.Get(4)!.Models);
        }

        [Fact]
        public async Task Include_Then_Exclude_Filters_What_Upstream_Returns()
        {
            using var server = SandboxServer.Start();
            var filter = new ModelFilter(new[] { "gpt-4*", "o?" }, new[] { "*-20??-*" });
            var (recorder, _, _) = await SyncAsync(server, filter: filter, ids: new[] { 1 });
            Assert.Equal(new[] { "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3" }, server.Site.Get(1)!.Models.Split(','));

            // A filter that leaves nothing skips the channel instead of wiping it.
            (recorder, _, _) = await SyncAsync(server, filter: new ModelFilter(new[] { "nothing-*" }, null), ids: new[] { 4 });
            Assert.Equal(ChannelResultStatus.Skipped, recorder.For(4).Status);
            Assert.Contains("filtered out", recorder.For(4).Reason);
        }

        [Theory]
        [InlineData(SandboxFaultKind.ServerError)]
        [InlineData(SandboxFaultKind.HtmlBadGateway)]
        [InlineData(SandboxFaultKind.Reset)]
        [InlineData(SandboxFaultKind.MalformedBody)]
        [InlineData(SandboxFaultKind.SuccessFalse)]
        public async Task Transient_Fetch_Failures_Are_Retried_Within_The_Budget(SandboxFaultKind kind)
        {
            using var server = SandboxServer.Start();
            server.Faults.FailNext(SandboxRoute.FetchModels, kind, count: 2, channelId: 4);
            var (recorder, _, _) = await SyncAsync(server, ids: new[] { 4 });
            Assert.Equal(ChannelResultStatus.Succeeded, recorder.For(4).Status);
            Assert.Equal(3, recorder.For(4).Attempts);

            server.Faults.FailNext(SandboxRoute.FetchModels, kind, count: 2, channelId: 4);
            (recorder, _, _) = await SyncAsync(server, FastOptions(maxRetries: 1), ids: new[] { 4 });
            Assert.Equal(ChannelResultStatus.Failed, recorder.For(4).Status);
            Assert.Equal(2, recorder.For(4).Attempts);
        }

        [Fact]
        public async Task A_429_Waits_For_Everyone_And_Does_Not_Eat_The_Retry_Budget()
        {
            using var server = SandboxServer.Start();
            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.RateLimited, 3) { ChannelId = 4, RetryAfter = TimeSpan.Zero });
            var (recorder, _, _) = await SyncAsync(server, FastOptions(maxRetries: 0), ids: new[] { 4 });
            Assert.Equal(ChannelResultStatus.Succeeded, recorder.For(4).Status);
            Assert.Equal(1, recorder.For(4).Attempts);
            Assert.Equal(4, server.Requests.Count(r => r.Route == SandboxRoute.FetchModels));
        }

        [Theory]
        [InlineData(SandboxFaultKind.Unauthorized, NewApiErrorKind.Authentication)]
        [InlineData(SandboxFaultKind.Forbidden, NewApiErrorKind.Forbidden)]
        public async Task An_Authentication_Failure_Stops_The_Whole_Run_Without_Retrying(SandboxFaultKind fault, NewApiErrorKind kind)
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(40, 3, seed: 2));
            server.Faults.FailNext(SandboxRoute.FetchModels, fault, count: 1, channelId: 3);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => SyncAsync(server, FastOptions(concurrency: 1), ids: Enumerable.Range(1, 40).ToArray()));
            Assert.Equal(kind, ex.Kind);
            Assert.Equal(1, server.Requests.Count(r => r.Route == SandboxRoute.FetchModels && r.ChannelId == 3));
        }

        [Fact]
        public async Task After_An_Authentication_Failure_The_Journal_Still_Has_Every_Channel()
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(20, 3, seed: 2));
            server.Faults.FailNext(SandboxRoute.FetchModels, SandboxFaultKind.Unauthorized, count: 1, channelId: 5);
            using var recorder = new JournaledRun(server);
            await Assert.ThrowsAsync<NewApiException>(() => recorder.SyncAsync(new ModelSyncRequest { Options = FastOptions(concurrency: 1) }));

            Assert.Equal(Enumerable.Range(1, 20), recorder.Results.Select(r => r.ChannelId).OrderBy(i => i));
            Assert.Equal(ChannelResultStatus.Failed, recorder.For(5).Status);
            Assert.All(recorder.Results.Where(r => r.ChannelId > 5), r => Assert.Equal(ChannelResultStatus.Cancelled, r.Status));
            Assert.All(recorder.Results.Where(r => r.ChannelId < 5), r => Assert.Equal(ChannelResultStatus.Succeeded, r.Status));
            Assert.NotNull(recorder.Summary);
        }

        [Theory]
        [InlineData(SandboxFaultKind.ResetAfterWrite, 1)]
        [InlineData(SandboxFaultKind.BadGatewayAfterWrite, 1)]
        [InlineData(SandboxFaultKind.ServerError, 2)]
        public async Task A_Write_Whose_Reply_Is_Lost_Is_Read_Back_Before_Any_Retry(SandboxFaultKind fault, int expectedWrites)
        {
            using var server = SandboxServer.Start();
            server.Faults.FailNext(SandboxRoute.UpdateChannel, fault, count: 1, channelId: 4);
            var (recorder, _, _) = await SyncAsync(server, ids: new[] { 4 });
            Assert.Equal(ChannelResultStatus.Succeeded, recorder.For(4).Status);
            Assert.True(recorder.For(4).Changed);
            Assert.Equal(expectedWrites, server.Updates.Count);
            Assert.Equal(1, server.Site.Get(4)!.UpdateCount); // applied exactly once, whatever the replies said
            Assert.Equal("deepseek-chat,deepseek-reasoner", server.Site.Get(4)!.Models);
        }

        [Fact]
        public async Task A_Lost_Write_That_Cannot_Be_Read_Back_Is_Reported_As_Uncertain()
        {
            using var server = SandboxServer.Start();
            server.Faults.FailNext(SandboxRoute.UpdateChannel, SandboxFaultKind.ResetAfterWrite, count: 5, channelId: 4);
            // Run all, so the channel comes from the listing: its first GET is the fresh read before the write (served
            // normally by a zero delay), and every later one is a read-back.
            server.Faults.Add(new SandboxFault(SandboxRoute.GetChannel, SandboxFaultKind.Delay) { ChannelId = 4, Delay = TimeSpan.Zero });
            server.Faults.FailNext(SandboxRoute.GetChannel, SandboxFaultKind.ServerError, count: 5, channelId: 4);
            var (recorder, _, _) = await SyncAsync(server, FastOptions(maxRetries: 1));
            Assert.Equal(ChannelResultStatus.Failed, recorder.For(4).Status);
            Assert.Equal(NewApiErrorKind.UncertainWrite, recorder.For(4).ErrorKind);
            Assert.Equal(2, recorder.For(4).Attempts);
        }

        [Fact]
        public async Task Declined_Or_WhatIf_Changes_Are_Previewed_But_Never_Written()
        {
            using var server = SandboxServer.Start();
            var asked = new ConcurrentQueue<string>();
            var (recorder, run, _) = await SyncAsync(server, confirm: (target, action) => { asked.Enqueue($"{target}: {action}"); return Task.FromResult(false); });
            Assert.Empty(server.Updates);
            Assert.Contains(asked, a => a.StartsWith("OpenAI official (#1): Update models (+8 -1 models: add gpt-4o-2024-11-20, ", StringComparison.Ordinal) && a.EndsWith("; remove gpt-4-turbo)", StringComparison.Ordinal));
            NewApiSyncResult openAi = recorder.For(1);
            Assert.Equal(ChannelResultStatus.Skipped, openAi.Status);
            Assert.False(openAi.Changed);
            Assert.Equal(server.Site.Get(1)!.UpstreamModels, openAi.NewModels);
            Assert.Equal(0, run.Changed);
        }

        [Fact]
        public async Task Selected_Ids_Are_Read_First_And_A_Missing_One_Fails_Alone()
        {
            using var server = SandboxServer.Start();
            var (recorder, run, _) = await SyncAsync(server, ids: new[] { 4, 404, 5 });
            Assert.Equal(ChannelResultStatus.Failed, recorder.For(404).Status);
            Assert.Equal(NewApiErrorKind.NotFound, recorder.For(404).ErrorKind);
            Assert.Equal(ChannelResultStatus.Succeeded, recorder.For(4).Status);
            Assert.Equal("DeepSeek", recorder.For(4).ChannelName);
            Assert.Equal(ChannelResultStatus.Succeeded, recorder.For(5).Status);
            Assert.DoesNotContain(server.Requests, r => r.Route == SandboxRoute.ListChannels);
        }

        [Theory]
        [InlineData(SandboxGeneration.Paged)]
        [InlineData(SandboxGeneration.Legacy)]
        public async Task Run_All_Covers_Every_Channel_Past_100_On_Both_Generations(SandboxGeneration generation)
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(230, 5, seed: 3), new SandboxOptions { Generation = generation });
            var (recorder, run, _) = await SyncAsync(server, FastOptions(concurrency: 4));
            Assert.Equal(Enumerable.Range(1, 230), recorder.Results.Select(r => r.ChannelId).OrderBy(i => i));
            Assert.Equal(230, run.Succeeded);
            foreach (var channel in server.Site.Snapshot())
            {
                Assert.Equal(string.Join(",", channel.UpstreamModels), channel.Models);
            }
        }

        [Fact]
        public async Task Workers_Overlap_Up_To_The_Concurrency_And_No_Further()
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(12, 2, seed: 5), new SandboxOptions { FetchModelsDelay = TimeSpan.FromMilliseconds(100) });
            await SyncAsync(server, FastOptions(concurrency: 3));
            Assert.Equal(3, server.MaxConcurrentRequests);
        }

        [Fact]
        public async Task One_Channel_Over_Its_Time_Bound_Fails_Alone()
        {
            using var server = SandboxServer.Start();
            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.Delay, 10) { ChannelId = 4, Delay = TimeSpan.FromSeconds(5) });
            var options = FastOptions();
            options.ChannelTimeout = TimeSpan.FromMilliseconds(400);
            var (recorder, _, _) = await SyncAsync(server, options, ids: new[] { 4, 5 });
            Assert.Equal(ChannelResultStatus.Failed, recorder.For(4).Status);
            Assert.Equal(NewApiErrorKind.ChannelTimeout, recorder.For(4).ErrorKind);
            Assert.Equal(ChannelResultStatus.Succeeded, recorder.For(5).Status);
        }

        [Fact]
        public async Task Cancelling_Stops_Promptly_And_Records_The_Unfinished_Channels_As_Cancelled()
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(30, 2, seed: 6), new SandboxOptions { FetchModelsDelay = TimeSpan.FromMilliseconds(300) });
            using var recorder = new JournaledRun(server);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recorder.SyncAsync(new ModelSyncRequest { Options = FastOptions(concurrency: 2) }, cancellationToken: cts.Token));
            // The whole run would take ~4.5 s; it ends within a request of the cancel.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), clock.Elapsed.ToString());

            Assert.Equal(30, recorder.Results.Count);
            Assert.Equal(Enumerable.Range(1, 30), recorder.Results.Select(r => r.ChannelId).OrderBy(i => i));
            Assert.InRange(recorder.Results.Count(r => r.Status == ChannelResultStatus.Succeeded), 2, 6);
            Assert.All(recorder.Results.Where(r => r.Status != ChannelResultStatus.Succeeded), r => Assert.Equal(ChannelResultStatus.Cancelled, r.Status));
            Assert.NotNull(recorder.Summary);
            Assert.Equal(recorder.Results.Count(r => r.Status == ChannelResultStatus.Cancelled), recorder.Summary!.Cancelled);
        }
    }
}
