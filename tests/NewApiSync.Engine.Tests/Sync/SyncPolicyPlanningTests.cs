using System;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Sync;
using Xunit;

namespace NewApiSync.Engine.Tests.Sync
{
    /// <summary>
    /// The planning order stated on <see cref="SyncPlanner"/>: IncludeModel/ExcludeModel, the alias rule, the server's
    /// ignore list, KeepModel, SyncMode, then never-empty. Each test pins how two or more of these combine.
    /// </summary>
    public sealed class SyncPolicyPlanningTests
    {
        private static Channel Channel(string models, string? mapping = null, UpstreamUpdateSettings? server = null) =>
            new Channel(1, "c", ChannelModelList.Parse(models), mapping) { UpstreamUpdate = server ?? UpstreamUpdateSettings.None };

        private static UpstreamUpdateSettings Ignoring(params string[] names) => UpstreamUpdateSettings.Create(true, false, names);

        private static SyncPlanner Planner(SyncMode mode = SyncMode.Replace, string[]? keep = null, string[]? include = null, string[]? exclude = null) =>
            new SyncPlanner(new ModelFilter(include, exclude), new SyncPolicy(mode, keep));

        [Fact]
        public void Replace_Without_Policies_Plans_Exactly_As_Before()
        {
            SyncPlan plain = new SyncPlanner().Plan(Channel("a,b,alias", "{\"alias\":\"b\"}"), new[] { "b", "c" });
            SyncPlan replace = Planner().Plan(Channel("a,b,alias", "{\"alias\":\"b\"}"), new[] { "b", "c" });

            Assert.Equal(new[] { "b", "c", "alias" }, replace.NewModels.ToArray());
            Assert.Equal(plain.NewModels.ToArray(), replace.NewModels.ToArray());
            Assert.Empty(replace.PendingRemovals);
            Assert.Empty(replace.ProtectedModels);
            Assert.Empty(replace.IgnoredModels);
        }

        [Fact]
        public void AddOnly_Adds_New_Models_After_The_Old_List_And_Reports_Removals_As_Pending()
        {
            SyncPlan plan = Planner(SyncMode.AddOnly).Plan(Channel("a,b"), new[] { "c", "b" });

            Assert.Equal(new[] { "a", "b", "c" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "c" }, plan.Diff.Added);
            Assert.Empty(plan.Diff.Removed);
            Assert.Equal(new[] { "a" }, plan.PendingRemovals);
        }

        [Fact]
        public void AddOnly_With_Nothing_To_Add_Writes_Nothing_But_Still_Reports_Pending_Removals()
        {
            SyncPlan plan = Planner(SyncMode.AddOnly).Plan(Channel("a,b"), new[] { "b" });

            Assert.False(plan.NeedsWrite);
            Assert.Null(plan.SkipReason);
            Assert.Equal(new[] { "a" }, plan.PendingRemovals);
        }

        [Fact]
        public void KeepModel_Protects_A_Removal_And_Keeps_It_After_The_Replace_List()
        {
            SyncPlan plan = Planner(keep: new[] { "my-*" }).Plan(Channel("my-tuned,a,old"), new[] { "a", "new" });

            Assert.Equal(new[] { "a", "new", "my-tuned" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "my-tuned" }, plan.ProtectedModels);
            Assert.Equal(new[] { "old" }, plan.Diff.Removed);
            Assert.Empty(plan.PendingRemovals);
        }

        [Fact]
        public void KeepModel_Wins_Over_ExcludeModel_For_A_Model_The_Channel_Already_Lists()
        {
            SyncPlan plan = Planner(keep: new[] { "GPT-4O" }, exclude: new[] { "gpt-*" }).Plan(Channel("gpt-4o,gpt-4.1,o3"), new[] { "gpt-4o", "gpt-4.1", "o3" });

            Assert.Equal(new[] { "o3", "gpt-4o" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "gpt-4.1" }, plan.Diff.Removed);
            Assert.Equal(new[] { "gpt-4o" }, plan.ProtectedModels);
        }

        [Fact]
        public void Under_AddOnly_Protected_Models_Are_Not_Counted_As_Pending()
        {
            SyncPlan plan = Planner(SyncMode.AddOnly, keep: new[] { "keep-*" }).Plan(Channel("keep-me,drop-me,a"), new[] { "a", "b" });

            Assert.Equal(new[] { "keep-me", "drop-me", "a", "b" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "keep-me" }, plan.ProtectedModels);
            Assert.Equal(new[] { "drop-me" }, plan.PendingRemovals);
        }

        [Fact]
        public void The_Servers_Ignore_List_Blocks_Additions_By_Name_And_Regex_But_Removes_Nothing()
        {
            UpstreamUpdateSettings server = Ignoring("codestral-latest", "regex:^mistral-medium-\\d+$", "mistral-large-latest");
            SyncPlan plan = Planner().Plan(Channel("mistral-large-latest", server: server),
                new[] { "mistral-large-latest", "mistral-medium-2508", "mistral-medium-latest", "codestral-latest" });

            Assert.Equal(new[] { "mistral-large-latest", "mistral-medium-latest" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "mistral-medium-2508", "codestral-latest" }, plan.IgnoredModels);
        }

        [Fact]
        public void The_Ignore_List_Applies_After_The_Filters_And_Under_AddOnly_Too()
        {
            SyncPlan plan = Planner(SyncMode.AddOnly, include: new[] { "gpt-*" }).Plan(Channel("gpt-4o,o3", server: Ignoring("regex:mini")),
                new[] { "gpt-4o", "gpt-4o-mini", "gpt-5", "o4-mini" });

            Assert.Equal(new[] { "gpt-4o", "o3", "gpt-5" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "gpt-4o-mini" }, plan.IgnoredModels); // o4-mini was filtered out first, so never offered
            Assert.Equal(new[] { "o3" }, plan.PendingRemovals);
        }

        [Fact]
        public void Aliases_Still_Follow_Their_Target_Under_Every_Policy()
        {
            var channel = Channel("gpt-4o,openai/gpt-4o", "{\"gpt-4o\":\"openai/gpt-4o\"}", Ignoring("gpt-4o"));
            SyncPlan plan = Planner(keep: new[] { "nothing-*" }).Plan(channel, new[] { "openai/gpt-4o", "openai/o3" });

            Assert.Equal(new[] { "openai/gpt-4o", "openai/o3", "gpt-4o" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "gpt-4o" }, plan.KeptAliases);
            Assert.Empty(plan.IgnoredModels); // an alias already listed is never an addition
        }

        [Fact]
        public void A_List_The_Ignore_List_Would_Empty_Is_Never_Written()
        {
            SyncPlan plan = Planner().Plan(Channel("old", server: Ignoring("regex:.*")), new[] { "new-1", "new-2" });

            Assert.False(plan.NeedsWrite);
            Assert.NotNull(plan.SkipReason);
            Assert.Equal(new[] { "old" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "new-1", "new-2" }, plan.IgnoredModels);
        }

        [Fact]
        public void An_Empty_Upstream_Is_Skipped_Before_Any_Policy()
        {
            SyncPlan plan = Planner(SyncMode.AddOnly, keep: new[] { "*" }).Plan(Channel("a"), Array.Empty<string>());

            Assert.NotNull(plan.SkipReason);
            Assert.Empty(plan.PendingRemovals);
        }

        [Fact]
        public void A_Server_Without_Settings_Plans_As_Before()
        {
            var upstream = new[] { "b", "c" };
            SyncPlan none = Planner().Plan(Channel("a,b"), upstream);
            SyncPlan empty = Planner().Plan(Channel("a,b", server: UpstreamUpdateSettings.FromSettingsField("\"\"")), upstream);
            SyncPlan checkOnly = Planner().Plan(Channel("a,b", server: UpstreamUpdateSettings.FromSettingsField("\"{\\\"upstream_model_update_check_enabled\\\":true}\"")), upstream);

            Assert.Equal(new[] { "b", "c" }, none.NewModels.ToArray());
            Assert.Equal(none.NewModels.ToArray(), empty.NewModels.ToArray());
            Assert.Equal(none.NewModels.ToArray(), checkOnly.NewModels.ToArray());
        }

        [Fact]
        public void KeepModel_Refuses_A_Blank_Or_Malformed_Pattern()
        {
            Assert.Throws<ArgumentException>(() => new SyncPolicy(SyncMode.Replace, new[] { " " }));
            Assert.Throws<ArgumentException>(() => new SyncPolicy(SyncMode.Replace, new[] { "[abc" }));
        }
    }
}
