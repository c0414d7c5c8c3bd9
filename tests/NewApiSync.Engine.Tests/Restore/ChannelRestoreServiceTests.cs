using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
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

namespace NewApiSync.Engine.Tests.Restore
{
    /// <summary>Restore runs against the sandbox: what they write, what they refuse, and what they journal.</summary>
    public sealed class ChannelRestoreServiceTests : IDisposable
    {
        private const string SampleModelsOf1 = "gpt-4o,gpt-4o-mini,gpt-4-turbo";

        private readonly SandboxServer _server = SandboxServer.Start();
        private readonly TempDataRoot _root = new TempDataRoot();
        private readonly NewApiConnection _connection;

        public ChannelRestoreServiceTests()
        {
            _connection = Sandboxes.Connect(_server);
            _connection.DataDirectory = _root.Path;
        }

        public void Dispose()
        {
            _server.Dispose();
            _root.Dispose();
        }

        private static RunOptions Fast() => new RunOptions { MaxRetries = 1, RequestsPerMinute = 6000, Burst = 100, RetryBaseDelay = TimeSpan.FromMilliseconds(5) };

        // Force: these syncs stand in for any earlier change; the shrink guard has its own tests.
        private async Task<NewApiSyncRun> SyncAsync(params int[] ids) =>
            await new ModelSyncService(_connection, new SyncSettings()).RunAsync(
                new ModelSyncRequest { Mode = RunMode.Selected, ChannelIds = ids, Options = Fast(), Force = true }, new RunCallbacks(), CancellationToken.None);

        private async Task<(NewApiSyncRun Run, List<NewApiSyncResult> Results, List<string> Asked)> RestoreAsync(
            IReadOnlyList<NewApiSyncResult> records, bool force = false, bool whatIf = false)
        {
            var streamed = new ConcurrentQueue<NewApiSyncResult>();
            var asked = new ConcurrentQueue<string>();
            var callbacks = new RunCallbacks
            {
                Result = streamed.Enqueue,
                Confirm = (target, action) =>
                {
                    asked.Enqueue(target + ": " + action);
                    return Task.FromResult(!whatIf);
                },
            };
            var service = new ChannelRestoreService(_connection, new SyncSettings());
            NewApiSyncRun run = await service.RunAsync(new ChannelRestoreRequest { Records = records, Force = force, WhatIf = whatIf, Options = Fast() }, callbacks, CancellationToken.None);
            return (run, streamed.OrderBy(r => r.ChannelId).ToList(), asked.ToList());
        }

        private IReadOnlyList<NewApiSyncResult> Records(string runId) => new ChannelRestoreService(_connection, new SyncSettings()).ReadRun(runId)!;

        [Fact]
        public async Task Restoring_A_Sync_Puts_The_Old_Models_Back_Skips_The_Failed_Channel_And_Journals_A_Restore_Run()
        {
            NewApiSyncRun sync = await SyncAsync(1, 11);
            string synced = _server.Site.Get(1)!.Models;
            Assert.NotEqual(SampleModelsOf1, synced);
            _server.ClearRequests();

            var (run, results, asked) = await RestoreAsync(Records(sync.RunId));

            Assert.Equal(SampleModelsOf1, _server.Site.Get(1)!.Models);
            Assert.Equal(RunKind.Restore, run.Kind);
            Assert.Equal(RunMode.Selected, run.Mode);
            NewApiSyncResult restored = results[0];
            Assert.Equal((ChannelResultStatus.Succeeded, true, RunKind.Restore), (restored.Status, restored.Changed, restored.Kind));
            Assert.Equal(synced, string.Join(",", restored.OldModels));
            Assert.Equal(SampleModelsOf1, string.Join(",", restored.NewModels));
            Assert.Null(restored.NewModelMapping); // the sync did not touch the mapping, so neither does its restore
            Assert.Contains(asked, a => a.StartsWith("OpenAI official (#1): Restore models (+1 -8 models)", StringComparison.Ordinal));

            NewApiSyncResult failed = results[1];
            Assert.Equal(ChannelResultStatus.Skipped, failed.Status);
            Assert.Contains("wrote nothing to this channel (Failed)", failed.Reason);
            Assert.StartsWith("{\"id\":1,", Assert.Single(_server.Updates).Body);

            NewApiSyncRun journaled = new ChannelRestoreService(_connection, new SyncSettings()).Journal.ReadRuns().First();
            Assert.Equal((run.RunId, RunKind.Restore, 1, 1), (journaled.RunId, journaled.Kind, journaled.Changed, journaled.Skipped));
        }

        [Fact]
        public async Task A_Restore_Can_Itself_Be_Restored_And_Restoring_Twice_Writes_Nothing_More()
        {
            NewApiSyncRun sync = await SyncAsync(1);
            string synced = _server.Site.Get(1)!.Models;
            var (restore, _, _) = await RestoreAsync(Records(sync.RunId));

            _server.ClearRequests();
            var (_, again, _) = await RestoreAsync(Records(sync.RunId));
            Assert.Equal((ChannelResultStatus.Succeeded, false), (again[0].Status, again[0].Changed));
            Assert.Contains("Already holds", again[0].Reason);
            Assert.Empty(_server.Updates);

            var (_, undo, _) = await RestoreAsync(Records(restore.RunId));
            Assert.True(undo[0].Changed);
            Assert.Equal(synced, _server.Site.Get(1)!.Models);
        }

        [Fact]
        public async Task Records_Of_Two_Runs_Restore_A_Channel_To_Before_The_First_In_One_Write()
        {
            NewApiSyncRun first = await SyncAsync(1);
            _server.Site.SetUpstream(1, "gpt-5", "gpt-5-mini");
            NewApiSyncRun second = await SyncAsync(1);
            Assert.Equal("gpt-5,gpt-5-mini", _server.Site.Get(1)!.Models);
            _server.ClearRequests();

            // Newest first, as Get-NewApiSyncHistory -Last 2 returns them.
            var (_, results, _) = await RestoreAsync(Records(second.RunId).Concat(Records(first.RunId)).ToArray());

            Assert.Equal(SampleModelsOf1, _server.Site.Get(1)!.Models);
            Assert.Single(_server.Updates);
            Assert.Contains(first.RunId, results.Single().Reason);
            Assert.Contains(second.RunId, results.Single().Reason);
        }

        [Fact]
        public async Task A_Channel_Changed_Since_The_Run_Fails_With_ChannelChanged_Unless_Forced()
        {
            NewApiSyncRun sync = await SyncAsync(1);
            _server.Site.Change(1, c => c.Models = "gpt-5");
            _server.ClearRequests();

            var (run, refused, _) = await RestoreAsync(Records(sync.RunId));
            Assert.Equal((ChannelResultStatus.Failed, NewApiErrorKind.ChannelChanged), (refused[0].Status, refused[0].ErrorKind));
            Assert.Contains("changed since run " + sync.RunId, refused[0].Error);
            Assert.Empty(_server.Updates);
            Assert.Equal("gpt-5", _server.Site.Get(1)!.Models);
            Assert.Equal(1, run.Failed);

            var (_, forced, _) = await RestoreAsync(Records(sync.RunId), force: true);
            Assert.Equal(ChannelResultStatus.Succeeded, forced[0].Status);
            Assert.Equal(SampleModelsOf1, _server.Site.Get(1)!.Models);
        }

        [Theory]
        [InlineData("{ \"glm-4\": \"glm-4.5\" }", "{}", "{ \"glm-4\": \"glm-4.5\" }")]
        [InlineData("{glm-4 => glm-4.5", "{}", "{glm-4 => glm-4.5")]
        [InlineData(null, "{\"glm-4\":\"glm-4.5\"}", "{}")]
        [InlineData("", "{\"glm-4\":\"glm-4.5\"}", "{}")]
        public async Task A_Mapping_Change_Is_Restored_To_Its_Exact_Old_Text_And_Leaves_The_Models_Alone(string? oldText, string newText, string expected)
        {
            // A journaled Clear/Redirect run as that runner writes it, and the channel as it left it.
            _server.Site.Change(9, c => c.ModelMapping = newText);
            SyncJournal journal = new ChannelRestoreService(_connection, new SyncSettings()).Journal;
            var header = new NewApiSyncRun { RunId = RunIds.New(DateTimeOffset.UtcNow), Kind = RunKind.Clear, BaseUrl = _server.BaseUrl, UserId = 1, StartedAt = DateTimeOffset.UtcNow };
            using (JournalRunWriter writer = journal.BeginRun(header))
            {
                string[] models = _server.Site.Get(9)!.Models.Split(',');
                writer.Append(new NewApiSyncResult
                {
                    RunId = header.RunId, Kind = RunKind.Clear, BaseUrl = _server.BaseUrl, ChannelId = 9, ChannelName = "Zhipu GLM",
                    Status = ChannelResultStatus.Succeeded, Changed = true, OldModels = models, NewModels = models,
                    OldModelMapping = oldText, NewModelMapping = newText, StartedAt = header.StartedAt,
                });
                writer.Complete(writer.Summary(DateTimeOffset.UtcNow));
            }

            var (_, results, _) = await RestoreAsync(Records(header.RunId));

            Assert.Equal(expected, _server.Site.Get(9)!.ModelMapping);
            Assert.Equal("glm-4.5,glm-4", _server.Site.Get(9)!.Models);
            Assert.DoesNotContain("\"models\"", _server.Updates.Single().Body);
            Assert.Equal((newText, expected), (results[0].OldModelMapping, results[0].NewModelMapping));
        }

        [Fact]
        public async Task WhatIf_Reads_And_Describes_But_Writes_And_Journals_Nothing()
        {
            NewApiSyncRun sync = await SyncAsync(1);
            int runs = new ChannelRestoreService(_connection, new SyncSettings()).Journal.ReadRuns().Count();
            _server.ClearRequests();

            var (_, results, asked) = await RestoreAsync(Records(sync.RunId), whatIf: true);

            Assert.Empty(_server.Updates);
            Assert.Equal(runs, new ChannelRestoreService(_connection, new SyncSettings()).Journal.ReadRuns().Count());
            // A preview row reads as the change it would make: Changed, marked WhatIf, naming the models.
            Assert.Equal(ChannelResultStatus.Succeeded, results[0].Status);
            Assert.True(results[0].Changed);
            Assert.True(results[0].WhatIf);
            Assert.StartsWith("WhatIf: would restore models", results[0].Reason, StringComparison.Ordinal);
            Assert.Contains("Restore models", Assert.Single(asked));
        }

        [Fact]
        public async Task Records_Of_Another_Site_Are_Refused_Before_Any_Request()
        {
            NewApiSyncRun sync = await SyncAsync(1);
            var foreign = Records(sync.RunId).Select(r => { r.BaseUrl = "https://other.example.com"; return r; }).ToArray();
            _server.ClearRequests();

            var ex = await Assert.ThrowsAsync<ArgumentException>(() => RestoreAsync(foreign));
            Assert.Contains("https://other.example.com", ex.Message);
            Assert.Empty(_server.Requests);
        }

        [Fact]
        public void An_Unknown_Run_Reads_As_Null_And_A_Malformed_Run_Id_Is_Refused()
        {
            var service = new ChannelRestoreService(_connection, new SyncSettings());
            Assert.Null(service.ReadRun("20260101T000000000Z-abcdef"));
            Assert.Throws<ArgumentException>(() => service.ReadRun("../etc"));
        }

        [Fact]
        public async Task No_Secret_Reaches_The_Journal_Files()
        {
            NewApiSyncRun sync = await SyncAsync(1, 6);
            await RestoreAsync(Records(sync.RunId));
            string all = string.Join("\n", Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
            Assert.Contains("Restore", all);
            Assert.DoesNotContain(_server.AccessToken, all);
            Assert.DoesNotContain("sk-upstream-secret", all);
        }
    }
}
