using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Restore;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;
using static NewApiSync.Engine.Tests.Reliability.ReliabilityRuns;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>
    /// Issue 11's findings replayed against the sandbox through the production services: after each, nothing changed that
    /// was not asked for, and every change that was made is undone by a restore.
    /// </summary>
    public sealed class DataSafetyTests : IDisposable
    {
        private const string AnthropicAliasMapping = "{\"my-alias\":\"claude-3-5-sonnet-20241022\"}";

        private const string OtherAdminMapping = "{\"gpt-4o\":\"openai/gpt-4o:free\",\"my-alias\":\"openai/gpt-4o:free\"}";

        private readonly SandboxServer _server = SandboxServer.Start();
        private readonly TempDataRoot _root = new TempDataRoot();
        private readonly NewApiConnection _connection;
        private readonly IReadOnlyList<SandboxChannel> _sample;

        public DataSafetyTests()
        {
            _connection = Sandboxes.Connect(_server, requestTimeout: TimeSpan.FromSeconds(5));
            _connection.DataDirectory = _root.Path;
            _sample = _server.Site.Snapshot();
        }

        public void Dispose()
        {
            _server.Dispose();
            _root.Dispose();
        }

        private ModelSyncService SyncService() => new ModelSyncService(_connection, new SyncSettings());

        private static ModelSyncRequest Sync(params int[] ids) => new ModelSyncRequest
        {
            Mode = ids.Length == 0 ? RunMode.All : RunMode.Selected,
            ChannelIds = ids.Length == 0 ? null : ids,
            Options = Fast(concurrency: 1, maxRetries: 1),
        };

        private async Task<NewApiSyncRun> RestoreAsync(string runId, bool force = false)
        {
            var service = new ChannelRestoreService(_connection, new SyncSettings());
            return await service.RunAsync(new ChannelRestoreRequest { Records = service.ReadRun(runId)!, Force = force, Options = Fast(maxRetries: 1) }, new RunCallbacks(), CancellationToken.None);
        }

        /// <summary>
        /// Answers every prompt yes; while the first one is open, another admin edits channel <paramref name="id"/> and a
        /// minute passes on <paramref name="clock"/>. Each prompt's action text is kept in <paramref name="asked"/>.
        /// </summary>
        private RunCallbacks EditedDuringFirstPrompt(int id, string models, string mapping, FakeTimeProvider clock, ConcurrentQueue<string> asked) => new RunCallbacks
        {
            Confirm = (target, action) =>
            {
                if (asked.IsEmpty)
                {
                    _server.Site.Change(id, c =>
                    {
                        c.Models = models;
                        c.ModelMapping = mapping;
                    });
                    clock.Advance(TimeSpan.FromMinutes(1));
                }

                asked.Enqueue(action);
                return Task.FromResult(true);
            },
        };

        private NewApiSyncResult Journaled(string runId, int channelId) =>
            SyncService().Journal.ReadResults(new ResultQuery { RunId = runId, ChannelIds = new[] { channelId } }).Single();

        private void AssertSiteIsTheSample()
        {
            Assert.Equal(_sample.Select(c => (c.Id, c.Models, c.ModelMapping)), _server.Site.Snapshot().Select(c => (c.Id, c.Models, c.ModelMapping)));
        }

        [Fact]
        public async Task A_Channel_Edited_While_Its_Upstream_Is_Fetched_Is_Planned_Again_On_A_Fresh_Read()
        {
            // Another admin adds a redirect alias to channel 6 while the run waits for its upstream list.
            _server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.ChangeChannel)
            {
                ChannelId = 6,
                SetModels = "openai/gpt-4o:free,gpt-4o,my-alias",
                SetModelMapping = OtherAdminMapping,
            });
            var results = new ConcurrentQueue<NewApiSyncResult>();
            NewApiSyncRun run = await SyncService().RunAsync(Sync(), new RunCallbacks { Result = results.Enqueue }, CancellationToken.None);

            NewApiSyncResult six = results.Single(r => r.ChannelId == 6);
            Assert.True(six.Changed);
            Assert.True(six.Replanned);
            Assert.Contains("changed after it was first read", six.Reason);
            Assert.Contains("my-alias", ServerModels(_server, 6));
            Assert.Equal(OtherAdminMapping, _server.Site.Get(6)!.ModelMapping);
            NewApiSyncResult journaled = Journaled(run.RunId, 6);
            Assert.Equal(new[] { "openai/gpt-4o:free", "gpt-4o", "my-alias" }, journaled.OldModels);

            // Only channels that change are read again: one GET each, and none for a channel already in line.
            int changed = results.Count(r => r.Changed);
            Assert.Equal(changed, _server.Requests.Count(r => r.Route == SandboxRoute.GetChannel));

            // Undo goes back to what the other admin left, not to the stale listing.
            await RestoreAsync(run.RunId);
            Assert.Equal("openai/gpt-4o:free,gpt-4o,my-alias", _server.Site.Get(6)!.Models);
        }

        [Fact]
        public async Task A_Redirect_From_A_Stale_Piped_Copy_Keeps_The_Entry_Another_Admin_Added()
        {
            using var client = Sandboxes.Client(_server);
            IReadOnlyList<Channel> stale = await client.ListChannelsAsync(null, null, CancellationToken.None);
            _server.Site.Change(2, c =>
            {
                c.Models = "claude-3-5-sonnet-20241022,claude-sonnet-4-20250514,my-alias";
                c.ModelMapping = AnthropicAliasMapping;
            });

            var request = new ModelRedirectRequest { Kind = RunKind.Redirect, Mode = RunMode.Selected, Channels = stale.Where(c => c.Id == 2).ToArray(), StandardModels = new[] { "claude-4-sonnet" }, Options = Fast(maxRetries: 1) };
            NewApiSyncRun run = await new ModelRedirectService(_connection, new SyncSettings()).RunAsync(request, new RunCallbacks(), _ => { }, CancellationToken.None);

            Assert.Single(_server.Updates);
            string mapping = _server.Site.Get(2)!.ModelMapping!;
            Assert.Contains("\"claude-4-sonnet\":\"claude-sonnet-4-20250514\"", mapping);
            Assert.Contains("\"my-alias\":\"claude-3-5-sonnet-20241022\"", mapping);
            Assert.Contains("my-alias", ServerModels(_server, 2));
            NewApiSyncResult record = Journaled(run.RunId, 2);
            Assert.True(record.Replanned);
            Assert.Equal(AnthropicAliasMapping, record.OldModelMapping);
        }

        [Fact]
        public async Task A_Clear_From_A_Stale_Copy_Then_A_Restore_Brings_Back_An_Entry_Added_In_Between()
        {
            using var client = Sandboxes.Client(_server);
            IReadOnlyList<Channel> stale = await client.ListChannelsAsync(null, null, CancellationToken.None);
            _server.Site.Change(6, c =>
            {
                c.Models = "openai/gpt-4o:free,gpt-4o,my-alias";
                c.ModelMapping = OtherAdminMapping;
            });

            NewApiSyncRun? clear = null;
            var request = new ModelRedirectRequest { Kind = RunKind.Clear, Mode = RunMode.Selected, Channels = stale.Where(c => c.Id == 6).ToArray(), IncludeDisabled = true, Options = Fast(maxRetries: 1) };
            clear = await new ModelRedirectService(_connection, new SyncSettings()).RunAsync(request, new RunCallbacks(), _ => { }, CancellationToken.None);
            Assert.Equal(OtherAdminMapping, Journaled(clear.RunId, 6).OldModelMapping);

            NewApiSyncRun restored = await RestoreAsync(clear.RunId);
            Assert.Equal(1, restored.Changed);
            Assert.Equal(OtherAdminMapping, _server.Site.Get(6)!.ModelMapping);
            Assert.Equal("openai/gpt-4o:free,gpt-4o,my-alias", _server.Site.Get(6)!.Models);
        }

        [Fact]
        public async Task A_Channel_Edited_While_The_Prompt_Is_Open_Is_Read_Again_After_The_Answer()
        {
            // Redirect channel 2 by id: its read is fresh, but the admin takes a minute to answer the prompt, and another
            // admin adds an entry meanwhile. The write is planned on a read made after the answer (and would be asked about
            // again only if the change it leads to differed from the one agreed to; adding claude-4-sonnet does not).
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var asked = new ConcurrentQueue<string>();
            RunCallbacks callbacks = EditedDuringFirstPrompt(2, "claude-3-5-sonnet-20241022,claude-sonnet-4-20250514,my-alias", AnthropicAliasMapping, clock, asked);
            RunOptions options = Fast(maxRetries: 1);
            options.TimeProvider = clock;
            var request = new ModelRedirectRequest { Kind = RunKind.Redirect, Mode = RunMode.Selected, ChannelIds = new[] { 2 }, StandardModels = new[] { "claude-4-sonnet" }, Options = options };
            await new ModelRedirectService(_connection, new SyncSettings()).RunAsync(request, callbacks, _ => { }, CancellationToken.None);

            Assert.Single(_server.Updates);
            Assert.Contains("\"my-alias\":\"claude-3-5-sonnet-20241022\"", _server.Site.Get(2)!.ModelMapping);
            Assert.Contains("\"claude-4-sonnet\":\"claude-sonnet-4-20250514\"", _server.Site.Get(2)!.ModelMapping);
            Assert.Equal(2, _server.Requests.Count(r => r.Route == SandboxRoute.GetChannel));
            Assert.Single(asked);
        }

        [Fact]
        public async Task A_Change_That_Grew_While_The_Prompt_Was_Open_Is_Asked_About_Again()
        {
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var asked = new ConcurrentQueue<string>();
            RunCallbacks callbacks = EditedDuringFirstPrompt(6, "openai/gpt-4o:free,gpt-4o,my-alias", OtherAdminMapping, clock, asked);
            RunOptions options = Fast(maxRetries: 1);
            options.TimeProvider = clock;
            var request = new ModelRedirectRequest { Kind = RunKind.Clear, Mode = RunMode.Selected, ChannelIds = new[] { 6 }, IncludeDisabled = true, Options = options };
            NewApiSyncRun run = await new ModelRedirectService(_connection, new SyncSettings()).RunAsync(request, callbacks, _ => { }, CancellationToken.None);

            Assert.Equal(2, asked.Count);
            Assert.Contains("1 mapping entry", asked.First());
            Assert.Contains("2 mapping entries", asked.Last());
            Assert.Equal(OtherAdminMapping, Journaled(run.RunId, 6).OldModelMapping);
            await RestoreAsync(run.RunId);
            Assert.Equal(OtherAdminMapping, _server.Site.Get(6)!.ModelMapping);
        }

        [Fact]
        public async Task Ctrl_C_During_An_Applied_Write_Keeps_The_Intended_Values_And_Restore_Undoes_It()
        {
            _server.Faults.Add(new SandboxFault(SandboxRoute.UpdateChannel, SandboxFaultKind.ApplyThenReplyLate) { ChannelId = 1, Delay = TimeSpan.FromSeconds(30) });
            using var stop = new CancellationTokenSource();
            string? runId = null;
            Task<NewApiSyncRun> running = SyncService().RunAsync(Sync(1), new RunCallbacks { Started = r => runId = r.RunId }, stop.Token);
            Assert.True(SpinWait.SpinUntil(() => _server.Site.Get(1)!.UpdateCount == 1, TimeSpan.FromSeconds(20)));
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

            NewApiSyncResult record = Journaled(runId!, 1);
            Assert.Equal(ChannelResultStatus.Cancelled, record.Status);
            Assert.True(record.MayHaveWritten);
            Assert.Contains("may have happened", record.Reason);
            Assert.Equal(ServerModels(_server, 1), record.NewModels);
            Assert.NotEqual(record.OldModels, record.NewModels);

            _server.Faults.Clear();
            await RestoreAsync(runId!);
            AssertSiteIsTheSample();
        }

        [Fact]
        public void The_Intent_Record_Of_A_Write_Keeps_What_The_Sync_Policies_Kept()
        {
            // A process killed mid-write leaves only the intent record: what AddOnly left pending, what KeepModel
            // protected and what the server's ignore list held back must still be in it for History to show.
            var planned = new NewApiSyncResult
            {
                RunId = "r1",
                ChannelId = 1,
                AddedModels = new[] { "gpt-5" },
                PendingRemovals = new[] { "gpt-4-turbo" },
                ProtectedModels = new[] { "gpt-4o-mini" },
                IgnoredModels = new[] { "o1-preview" },
            };

            NewApiSyncResult intent = ChannelWritePipeline.IntentOf(planned);

            Assert.True(intent.MayHaveWritten);
            Assert.Equal(new[] { "gpt-4-turbo" }, intent.PendingRemovals);
            Assert.Equal(new[] { "gpt-4o-mini" }, intent.ProtectedModels);
            Assert.Equal(new[] { "o1-preview" }, intent.IgnoredModels);
        }

        [Fact]
        public async Task A_Write_Applied_But_Answered_Success_False_Is_Kept_As_May_Have_Written_And_Restored()
        {
            _server.Faults.Add(new SandboxFault(SandboxRoute.UpdateChannel, SandboxFaultKind.SuccessFalseAfterWrite, count: 5) { ChannelId = 1 });
            NewApiSyncRun run = await SyncService().RunAsync(Sync(1), new RunCallbacks(), CancellationToken.None);

            NewApiSyncResult record = Journaled(run.RunId, 1);
            Assert.Equal(ChannelResultStatus.Failed, record.Status);
            Assert.True(record.MayHaveWritten);
            Assert.Equal(ServerModels(_server, 1), record.NewModels);

            _server.Faults.Clear();
            NewApiSyncRun restored = await RestoreAsync(run.RunId);
            Assert.Equal(1, restored.Changed);
            AssertSiteIsTheSample();
        }

        [Fact]
        public async Task An_Unconfirmed_Write_That_Never_Arrived_Needs_No_Restore_And_One_Changed_Since_Is_Refused()
        {
            _server.Faults.Add(new SandboxFault(SandboxRoute.UpdateChannel, SandboxFaultKind.SuccessFalse, count: 5) { ChannelId = 1 });
            NewApiSyncRun run = await SyncService().RunAsync(Sync(1), new RunCallbacks(), CancellationToken.None);
            Assert.True(Journaled(run.RunId, 1).MayHaveWritten);
            _server.ClearRequests();

            NewApiSyncRun nothing = await RestoreAsync(run.RunId);
            Assert.Equal((1, 0), (nothing.Succeeded, nothing.Changed));
            Assert.Empty(_server.Updates);

            _server.Site.Change(1, c => c.Models = "someone-else");
            NewApiSyncRun refused = await RestoreAsync(run.RunId);
            Assert.Equal(1, refused.Failed);
            Assert.Equal("someone-else", _server.Site.Get(1)!.Models);
        }

        [Fact]
        public async Task A_Journal_That_Fills_Up_Mid_Run_Stops_The_Run_Before_A_Write_Without_An_Undo_Record()
        {
            ModelSyncService service = SyncService();
            // Room for the run's header and a few channels' records, then "disk full" mid-line.
            service.Journal.ByteBudget = 5000;
            var output = new ConcurrentQueue<NewApiSyncResult>();
            NewApiException stopped = await Assert.ThrowsAsync<NewApiException>(() => service.RunAsync(Sync(), new RunCallbacks { Result = output.Enqueue }, CancellationToken.None));
            Assert.Equal(NewApiErrorKind.JournalUnwritable, stopped.Kind);
            Assert.Contains(service.Journal.RunsDirectory, stopped.Message);

            // Finished channels are output; the run wrote some channels but not all.
            Assert.Contains(output, r => r.Changed);
            int written = _server.Site.Snapshot().Count(c => c.UpdateCount > 0);
            Assert.InRange(written, 1, 10);
            Assert.Equal(output.Count(r => r.Changed), written);

            // Every channel written has its undo record on disk: restoring the run brings back the whole sample.
            service.Journal.ByteBudget = null;
            string runId = output.First().RunId;
            await RestoreAsync(runId);
            AssertSiteIsTheSample();
        }

        [Fact]
        public async Task A_Journal_That_Cannot_Be_Started_Stops_The_Run_Before_Anything_Is_Written()
        {
            ModelSyncService service = SyncService();
            Directory.CreateDirectory(service.Journal.SiteDirectory);
            File.WriteAllText(service.Journal.RunsDirectory, "a file where the runs folder belongs");
            NewApiException stopped = await Assert.ThrowsAsync<NewApiException>(() => service.RunAsync(Sync(), new RunCallbacks(), CancellationToken.None));
            Assert.Equal(NewApiErrorKind.JournalUnwritable, stopped.Kind);
            Assert.Empty(_server.Updates);
        }

        [Fact]
        public async Task The_Shrink_Guard_Holds_A_Channel_Whose_Upstream_Lists_Few_Of_Its_Models()
        {
            string[] many = Enumerable.Range(1, 51).Select(i => $"model-{i:D2}").ToArray();
            _server.Site.Change(1, c => c.Models = string.Join(",", many));
            _server.Site.SetUpstream(1, "model-01");
            var results = new ConcurrentQueue<NewApiSyncResult>();
            await SyncService().RunAsync(Sync(1), new RunCallbacks { Result = results.Enqueue }, CancellationToken.None);

            NewApiSyncResult held = results.Single();
            Assert.Equal(ChannelResultStatus.Skipped, held.Status);
            Assert.False(held.Changed);
            Assert.Contains("upstream lists 1 of 51 models", held.Reason);
            Assert.Contains("-Force", held.Reason);
            Assert.Equal(many, ServerModels(_server, 1));

            ModelSyncRequest forced = Sync(1);
            forced.Force = true;
            await SyncService().RunAsync(forced, new RunCallbacks(), CancellationToken.None);
            Assert.Equal(new[] { "model-01" }, ServerModels(_server, 1));
        }

        [Theory]
        [InlineData(50, 5, 4, false)]   // 4 of 5 removed: fewer than 5, never held
        [InlineData(50, 10, 5, false)]  // exactly half: not more than half
        [InlineData(50, 10, 6, true)]
        [InlineData(80, 10, 6, false)]  // a raised threshold applies it
        [InlineData(100, 10, 10, false)] // 100 turns the guard off
        [InlineData(0, 100, 5, true)]
        public void The_Shrink_Guard_Threshold_Is_More_Than_The_Percent_And_At_Least_Five_Models(int percent, int current, int removed, bool held)
        {
            Assert.Equal(held, new ShrinkGuard(percent).Check(current, removed) is not null);
        }

        [Fact]
        public async Task The_Shrink_Guard_Percent_Comes_From_The_Setting_Unless_Given()
        {
            _server.Site.Change(1, c => c.Models = "a,b,c,d,e,f,g,h,i,j");
            _server.Site.SetUpstream(1, "a", "b", "c", "d");
            await new ModelSyncService(_connection, new SyncSettings { ShrinkGuardPercent = 70 }).RunAsync(Sync(1), new RunCallbacks(), CancellationToken.None);
            Assert.Equal(new[] { "a", "b", "c", "d" }, ServerModels(_server, 1));

            _server.Site.Change(1, c => c.Models = "a,b,c,d,e,f,g,h,i,j");
            ModelSyncRequest strict = Sync(1);
            strict.ShrinkGuardPercent = 50;
            await new ModelSyncService(_connection, new SyncSettings { ShrinkGuardPercent = 70 }).RunAsync(strict, new RunCallbacks(), CancellationToken.None);
            Assert.Equal(10, ServerModels(_server, 1).Length);
        }
    }
}
