using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    /// <summary>Redirect and clear runs, and the sync's mapping follow-up, against the sandbox.</summary>
    public sealed class ModelRedirectRunnerTests
    {
        private static RunOptions Fast() => new RunOptions { RequestsPerMinute = 6000, Burst = 100, MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(5) };

        // Through the production entry point (ModelRedirectService); the "recorder" is the run's journal.
        private static async Task<(JournaledRun Recorder, ConcurrentQueue<NewApiModelRedirectResult> Outputs)> RunAsync(SandboxServer server, ModelRedirectRequest request, params string[] standard)
        {
            var recorder = new JournaledRun(server);
            var outputs = new ConcurrentQueue<NewApiModelRedirectResult>();
            request.StandardModels ??= standard.Length == 0 ? null : standard;
            if (request.ChannelIds is not null || request.Channels is not null)
            {
                request.Mode = RunMode.Selected;
            }

            await recorder.RedirectAsync(request, outputs.Enqueue);
            return (recorder, outputs);
        }

        [Fact]
        public async Task A_Redirect_Whose_Reply_Is_Lost_Is_Read_Back_And_Applied_Once()
        {
            using var server = SandboxServer.Start();
            server.Faults.FailNext(SandboxRoute.UpdateChannel, SandboxFaultKind.ResetAfterWrite, 1, 2);
            var (recorder, outputs) = await RunAsync(server, new ModelRedirectRequest { ChannelIds = new[] { 2 }, Options = Fast() }, "claude-4-sonnet");
            Assert.Equal(ChannelResultStatus.Succeeded, recorder.For(2).Status);
            Assert.True(recorder.For(2).Changed);
            Assert.Equal(RedirectStatus.Updated, Assert.Single(outputs).Status);
            Assert.Equal(1, server.Site.Get(2)!.UpdateCount);
            Assert.Equal("{\"claude-4-sonnet\":\"claude-sonnet-4-20250514\"}", server.Site.Get(2)!.ModelMapping);
            Assert.Equal(string.Empty, recorder.For(2).OldModelMapping);
            Assert.Equal(server.Site.Get(2)!.ModelMapping, recorder.For(2).NewModelMapping);
        }

        [Fact]
        public async Task Clearing_An_Unreadable_Mapping_Writes_An_Empty_Object_And_Journals_The_Old_Text()
        {
            using var server = SandboxServer.Start();
            server.Site.Change(4, c => c.ModelMapping = "[\"not\",\"an object\"]");
            var (recorder, outputs) = await RunAsync(server, new ModelRedirectRequest { Kind = RunKind.Clear, ChannelIds = new[] { 4 }, Options = Fast() });
            Assert.Equal("{}", server.Site.Get(4)!.ModelMapping);
            Assert.Equal("deepseek-chat", server.Site.Get(4)!.Models);
            Assert.Equal("[\"not\",\"an object\"]", recorder.For(4).OldModelMapping);
            Assert.Equal(RedirectStatus.Cleared, Assert.Single(outputs).Status);
        }

        [Fact]
        public async Task A_Failed_Write_Fails_Its_Channel_With_An_Output_And_A_Record()
        {
            using var server = SandboxServer.Start();
            server.Faults.FailNext(SandboxRoute.UpdateChannel, SandboxFaultKind.ServerError, 10, 6);
            var (recorder, outputs) = await RunAsync(server, new ModelRedirectRequest { Kind = RunKind.Clear, ChannelIds = new[] { 6, 9 }, Options = Fast() });
            NewApiModelRedirectResult six = outputs.Single(o => o.ChannelId == 6);
            Assert.Equal(RedirectStatus.Failed, six.Status);
            Assert.Equal(NewApiErrorKind.Server, six.ErrorKind);
            Assert.Equal(3, six.Attempts);
            Assert.Null(six.NewModelMapping);
            Assert.Equal(ChannelResultStatus.Failed, recorder.For(6).Status);
            Assert.Equal(RedirectStatus.Cleared, outputs.Single(o => o.ChannelId == 9).Status);
            Assert.Equal("{\"gpt-4o\":\"openai/gpt-4o:free\"}", server.Site.Get(6)!.ModelMapping);
        }

        [Fact]
        public async Task An_Authentication_Failure_Stops_A_Redirect_Run_Too()
        {
            using var server = SandboxServer.Start();
            server.Faults.FailNext(SandboxRoute.Any, SandboxFaultKind.Unauthorized, 1);
            var request = new ModelRedirectRequest { Channels = null, ChannelIds = new[] { 1, 2, 3 }, Options = Fast() };
            request.Options.Concurrency = 1;
            await Assert.ThrowsAsync<NewApiException>(() => RunAsync(server, request, "gpt-4o"));
            Assert.Empty(server.Updates);
        }

        [Fact]
        public async Task Sync_With_Prune_Drops_Entries_Whose_Target_Left_Upstream_In_The_Same_Write()
        {
            using var server = SandboxServer.Start();
            server.Site.SetUpstream(9, "glm-4.6");
            using var recorder = new JournaledRun(server);
            await recorder.SyncAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 9 }, PruneMissingTargets = true, Options = Fast() });

            Assert.Single(server.Updates);
            Assert.Equal("glm-4.6", server.Site.Get(9)!.Models);
            Assert.Equal("{}", server.Site.Get(9)!.ModelMapping);
            Assert.Equal("{\"glm-4\":\"glm-4.5\"}", recorder.For(9).OldModelMapping);
            Assert.Equal("{}", recorder.For(9).NewModelMapping);
        }

        [Fact]
        public async Task Sync_Leaves_A_Mapping_It_Cannot_Read_Alone_And_Still_Syncs()
        {
            using var server = SandboxServer.Start();
            server.Site.Change(4, c => c.ModelMapping = "{oops");
            using var recorder = new JournaledRun(server);
            var sync = new ModelSyncService(recorder.Connection, new SyncSettings { StandardModels = new[] { "deepseek-chat" } });
            await sync.RunAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 4 }, RedirectAfterSync = true, Options = Fast() }, new RunCallbacks { Started = r => recorder.Adopt(r.RunId) }, CancellationToken.None);

            Assert.Equal(ChannelResultStatus.Succeeded, recorder.For(4).Status);
            Assert.Equal("deepseek-chat,deepseek-reasoner", server.Site.Get(4)!.Models);
            Assert.Equal("{oops", server.Site.Get(4)!.ModelMapping);
            Assert.Contains("left alone", recorder.For(4).Reason);
        }
    }
}
