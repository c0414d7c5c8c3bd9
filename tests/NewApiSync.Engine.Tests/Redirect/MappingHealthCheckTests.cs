using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Restore;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    /// <summary>Test-NewApiModelRedirect's rules (pure) and its -Fix run against the sandbox (journaled, restorable).</summary>
    public sealed class MappingHealthCheckTests
    {
        private static Channel Channel(string models, string? mapping) => new Channel(3, "c", ChannelModelList.Parse(models), mapping);

        private static string Kinds(IEnumerable<NewApiModelRedirectProblem> problems) =>
            string.Join(" ", problems.Select(p => p.Key is null ? p.Kind.ToString() : $"{p.Key}:{p.Kind}"));

        [Fact]
        public void A_Healthy_Mapping_Has_No_Problems()
        {
            var channel = Channel("openai/gpt-4o:free,gpt-4o,same", "{\"gpt-4o\":\"openai/gpt-4o:free\",\"same\":\"same\",\"blank\":\"\"}");
            Assert.Empty(MappingHealthCheck.Check(channel, new[] { "openai/gpt-4o:free" }));
        }

        [Fact]
        public void An_Unreadable_Mapping_Is_One_Problem_That_Fix_Leaves_Alone()
        {
            var channel = Channel("a", "{not json");
            NewApiModelRedirectProblem problem = Assert.Single(MappingHealthCheck.Check(channel));
            Assert.Equal((RedirectProblemKind.UnreadableMapping, false, null), (problem.Kind, problem.Fixable, problem.Key));
            Assert.Null(MappingHealthCheck.Fixed(channel, new[] { problem }));
        }

        [Fact]
        public void Unlisted_Keys_Missing_Targets_Chains_And_Cycles_Are_Each_Reported()
        {
            var channel = Channel("real,alias,hop,gone-alias", "{\"alias\":\"hop\",\"hop\":\"real\",\"ghost\":\"real\",\"gone-alias\":\"gone\",\"l1\":\"l2\",\"l2\":\"l1\"}");
            IReadOnlyList<NewApiModelRedirectProblem> problems = MappingHealthCheck.Check(channel);

            Assert.Equal("alias:Chain ghost:KeyNotListed gone-alias:TargetNotListed l1:Cycle l2:Cycle", Kinds(problems));
            Assert.Equal("{\"alias\":\"hop\",\"hop\":\"real\"}", MappingHealthCheck.Fixed(channel, problems)!.ToJson());
        }

        [Fact]
        public void Upstream_Targets_Are_Judged_Only_When_The_Upstream_List_Is_Given()
        {
            var channel = Channel("gpt-4o,openai/gpt-4o", "{\"gpt-4o\":\"openai/gpt-4o\"}");
            Assert.Empty(MappingHealthCheck.Check(channel));
            Assert.Equal("gpt-4o:TargetNotServed", Kinds(MappingHealthCheck.Check(channel, new[] { "openai/gpt-4.1" })));
        }

        [Theory]
        [InlineData("claude-4.5-sonnet", "claude-3-5-sonnet-20241022", true)]
        [InlineData("glm-4", "glm-4.5", true)]
        [InlineData("gpt-4o", "gpt-4.1", true)]
        [InlineData("claude-4.5-sonnet", "anthropic/claude-sonnet-4-5-20250929", false)]
        [InlineData("gpt-4o", "openai/gpt-4o:free", false)]
        [InlineData("my-chat", "gpt-4o", false)]
        [InlineData("gemini-2.5-flash", "gemini-2.5-flash-lite", false)]
        public void Version_Crossing_Uses_The_Planners_Version_Guard(string key, string target, bool crosses)
        {
            Assert.Equal(crosses, MappingHealthCheck.CrossesVersion(key, target));
            Assert.Equal(!crosses && key != "my-chat" && key != "gemini-2.5-flash", RedirectPlanner.PassesVersionGuard(key, target));
            var channel = Channel($"{key},{target}", $"{{\"{key}\":\"{target}\"}}");
            Assert.Equal(crosses ? $"{key}:CrossesVersion" : string.Empty, Kinds(MappingHealthCheck.Check(channel)));
        }

        [Fact]
        public async Task Fix_Removes_The_Broken_Entries_In_A_Journaled_Repair_Run_That_Restore_Undoes()
        {
            using SandboxServer server = SandboxServer.Start();
            using var root = new TempDataRoot();
            NewApiConnection connection = Sandboxes.Connect(server);
            connection.DataDirectory = root.Path;
            const string Broken = "{\"glm-4\":\"glm-4.5\",\"ghost\":\"glm-4.6\",\"house\":\"glm-4.5\"}";
            server.Site.Change(9, c =>
            {
                c.ModelMapping = Broken;
                c.Models = "glm-4.5,glm-4,house";
            });
            var options = new RunOptions { MaxRetries = 0, RequestsPerMinute = 6000, Burst = 100, RetryBaseDelay = TimeSpan.FromMilliseconds(5) };

            // A check alone writes nothing and leaves no history.
            var checkedOnly = new ConcurrentQueue<NewApiModelRedirectProblem>();
            await new MappingCheckService(connection, new SyncSettings()).RunAsync(new MappingCheckRequest { Mode = RunMode.Selected, ChannelIds = new[] { 9 }, Options = options },
                new RunCallbacks(), (_, problems) => problems.ToList().ForEach(checkedOnly.Enqueue), CancellationToken.None);
            Assert.Equal("glm-4:CrossesVersion ghost:KeyNotListed ghost:TargetNotListed", Kinds(checkedOnly));
            Assert.Empty(server.Updates);

            var fixedProblems = new ConcurrentQueue<NewApiModelRedirectProblem>();
            NewApiSyncRun run = await new MappingCheckService(connection, new SyncSettings()).RunAsync(
                new MappingCheckRequest { Mode = RunMode.Selected, ChannelIds = new[] { 9 }, Fix = true, Options = options },
                new RunCallbacks(), (_, problems) => problems.ToList().ForEach(fixedProblems.Enqueue), CancellationToken.None);

            Assert.Equal(RunKind.Repair, run.Kind);
            Assert.All(fixedProblems, p => Assert.Equal((true, run.RunId), (p.Fixed, p.RunId)));
            Assert.Equal("{\"house\":\"glm-4.5\"}", server.Site.Get(9)!.ModelMapping);
            Assert.Equal("glm-4.5,glm-4,house", server.Site.Get(9)!.Models);
            Assert.Equal(new[] { "id", "models", "model_mapping" }, System.Text.Json.JsonDocument.Parse(Assert.Single(server.Updates).Body).RootElement.EnumerateObject().Select(p => p.Name));

            var restore = new ChannelRestoreService(connection, new SyncSettings());
            await restore.RunAsync(new ChannelRestoreRequest { Records = restore.ReadRun(run.RunId)!, Options = options }, new RunCallbacks(), CancellationToken.None);
            Assert.Equal(Broken, server.Site.Get(9)!.ModelMapping);
        }
    }
}
