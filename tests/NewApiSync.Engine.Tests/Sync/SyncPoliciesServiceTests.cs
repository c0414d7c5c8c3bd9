using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Sync
{
    /// <summary>
    /// Sync runs with policies against the sample sandbox over loopback HTTP, journaled in a temp data root: AddOnly,
    /// the server's ignore list, channel exclusions, failure streaks and healthy-first scheduling.
    /// </summary>
    public sealed class SyncPoliciesServiceTests : IDisposable
    {
        private readonly SandboxServer _server = SandboxServer.Start();
        private readonly TempDataRoot _root = new TempDataRoot();
        private readonly NewApiConnection _connection;

        public SyncPoliciesServiceTests()
        {
            _connection = Sandboxes.Connect(_server);
            _connection.DataDirectory = _root.Path;
        }

        public void Dispose()
        {
            _server.Dispose();
            _root.Dispose();
        }

        private async Task<List<NewApiSyncResult>> SyncAsync(ModelSyncRequest request)
        {
            request.Options = new RunOptions { Concurrency = 1, MaxRetries = 0, RequestsPerMinute = 6000, Burst = 100, RetryBaseDelay = TimeSpan.FromMilliseconds(5) };
            var streamed = new ConcurrentQueue<NewApiSyncResult>();
            await new ModelSyncService(_connection, new SyncSettings()).RunAsync(request, new RunCallbacks { Result = streamed.Enqueue }, CancellationToken.None);
            return streamed.ToList();
        }

        private SyncJournal Journal => SyncJournal.ForSite(_root.Path, _connection.BaseUrl, _connection.UserId);

        [Fact]
        public async Task AddOnly_Writes_Only_Additions_And_Journals_The_Pending_Removals()
        {
            List<NewApiSyncResult> results = await SyncAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 1 }, Policy = new SyncPolicy(SyncMode.AddOnly, null) });

            NewApiSyncResult openAi = results.Single();
            Assert.Equal(new[] { "gpt-4-turbo" }, openAi.PendingRemovals);
            Assert.Empty(openAi.RemovedModels);
            Assert.StartsWith("gpt-4o,gpt-4o-mini,gpt-4-turbo,", _server.Site.Get(1)!.Models);
            Assert.Equal(new[] { "gpt-4-turbo" }, Journal.ReadResults().Single().PendingRemovals);
            Assert.Equal(new[] { 1 }, ChannelHealth.Read(Journal).WithPendingRemovals().Select(r => r.ChannelId));

            // Applying them with Replace clears the channel from the pending list.
            await SyncAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 1 } });
            Assert.DoesNotContain("gpt-4-turbo", _server.Site.Get(1)!.Models.Split(','));
            Assert.Empty(ChannelHealth.Read(Journal).WithPendingRemovals());
        }

        [Fact]
        public async Task The_Servers_Ignore_List_Keeps_Models_Out_And_Settings_Are_Never_Written()
        {
            string settingsBefore = _server.Site.Get(10)!.Settings!;
            NewApiSyncResult mistral = (await SyncAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 10 } })).Single();

            Assert.Equal("mistral-large-latest,mistral-small-latest", _server.Site.Get(10)!.Models);
            Assert.Equal(new[] { "mistral-medium-2508", "codestral-latest" }, mistral.IgnoredModels);
            Assert.Equal(settingsBefore, _server.Site.Get(10)!.Settings);
            Assert.All(_server.Updates, u => Assert.DoesNotContain("settings", u.Body, StringComparison.Ordinal));
        }

        [Fact]
        public async Task Excluded_Channels_Are_Skipped_With_The_Reason_And_Never_Fetched()
        {
            List<NewApiSyncResult> results = await SyncAsync(new ModelSyncRequest
            {
                Exclusion = new ChannelExclusion(new[] { "11", "tag:CN", "*OpenRouter*" }, skipDisabled: true),
            });

            var skipped = results.Where(r => r.Status == ChannelResultStatus.Skipped).ToDictionary(r => r.ChannelId, r => r.Reason!);
            Assert.Equal(new[] { 5, 6, 7, 8, 9, 11, 12 }, skipped.Keys.OrderBy(i => i));
            Assert.Contains("'11'", skipped[11]);
            Assert.Contains("tag 'cn'", skipped[5]);
            Assert.Contains("*OpenRouter*", skipped[6]);
            Assert.Contains("disabled", skipped[8]);
            Assert.DoesNotContain(results, r => r.Status == ChannelResultStatus.Failed);
            Assert.Contains(_server.Requests, r => r.Path.EndsWith("/fetch_models/1", StringComparison.Ordinal));
            Assert.DoesNotContain(_server.Requests, r => skipped.Keys.Any(id => r.Path.EndsWith("/fetch_models/" + id, StringComparison.Ordinal)));
        }

        [Fact]
        public async Task Failure_Streaks_Count_Runs_In_A_Row_And_Failing_Channels_Go_Last()
        {
            await SyncAsync(new ModelSyncRequest());
            await SyncAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 11, 4 } });
            List<NewApiSyncResult> third = await SyncAsync(new ModelSyncRequest());

            // Channel 11 failed in the runs before, so with one worker it is the last channel processed.
            Assert.Equal(11, third.Last().ChannelId);
            NewApiSyncResult failing = third.Last();
            Assert.Equal(3, failing.ConsecutiveFailures);
            ChannelHealth health = ChannelHealth.Read(Journal);
            NewApiSyncResult first = Journal.ReadResults(new ResultQuery { Last = 3, ChannelIds = new[] { 11 } }).Last();
            Assert.Equal(first.StartedAt, failing.FailingSince);
            Assert.Equal(new[] { 11 }, health.Failing().Select(r => r.ChannelId));
            Assert.Equal((3, first.StartedAt), (health.Failing()[0].ConsecutiveFailures, health.Failing()[0].FailingSince));
            Assert.Equal(0, third.Single(r => r.ChannelId == 1).ConsecutiveFailures);

            // A success ends the streak.
            _server.Site.SetUpstreamError(11, null);
            NewApiSyncResult fixedNow = (await SyncAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 11 } })).Single();
            Assert.Equal((ChannelResultStatus.Succeeded, 0, (DateTimeOffset?)null), (fixedNow.Status, fixedNow.ConsecutiveFailures, fixedNow.FailingSince));
            Assert.Empty(ChannelHealth.Read(Journal).Failing());
        }

        [Fact]
        public async Task A_Runs_Health_Read_Stops_Once_Its_Channels_Are_Settled()
        {
            await SyncAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 4 } });
            await SyncAsync(new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = new[] { 4 } });
            string oldest = System.IO.Directory.GetFiles(Journal.RunsDirectory).OrderBy(f => f, StringComparer.Ordinal).First();
            System.IO.File.AppendAllText(oldest, "{damaged\n");
            var warnings = new List<string>();
            SyncJournal journal = SyncJournal.ForSite(_root.Path, _connection.BaseUrl, _connection.UserId, warnings.Add);

            Assert.False(ChannelHealth.Read(journal, new[] { 4 }).IsFailing(4));
            Assert.Empty(warnings); // channel 4 was settled by the newest run, so the damaged older file was never opened
            _ = ChannelHealth.Read(journal);
            Assert.Single(warnings);
        }

        [Fact]
        public void HealthyFirst_Keeps_Each_Groups_Order()
        {
            var targets = new[] { 3, 11, 1, 7 }.Select(i => new ChannelTarget(i)).ToArray();
            Assert.Same(targets, ModelSyncService.HealthyFirst(targets, ChannelHealth.Read(Journal)));
        }
    }
}
