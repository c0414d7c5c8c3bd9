using System;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Sync;
using Xunit;

namespace NewApiSync.Engine.Tests.Sync
{
    public sealed class SyncPlannerTests
    {
        private static Channel Channel(string models, string? mapping = null) => new Channel(1, "c", ChannelModelList.Parse(models), mapping);

        [Fact]
        public void Only_A_Different_Set_Needs_A_Write()
        {
            var planner = new SyncPlanner();
            Assert.False(planner.Plan(Channel("a,b"), new[] { "b", "a" }).NeedsWrite);
            SyncPlan plan = planner.Plan(Channel("a,b"), new[] { "b", "c" });
            Assert.True(plan.NeedsWrite);
            Assert.Equal(new[] { "b", "c" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "c" }, plan.Diff.Added);
            Assert.Equal(new[] { "a" }, plan.Diff.Removed);
        }

        [Fact]
        public void Upstream_Duplicates_And_Blanks_Are_Dropped()
        {
            SyncPlan plan = new SyncPlanner().Plan(Channel("a"), new[] { "b", " b ", "", "a" });
            Assert.Equal(new[] { "b", "a" }, plan.NewModels.ToArray());
        }

        [Fact]
        public void Chained_Aliases_Follow_To_Their_Final_Target_And_Cycles_Are_Dropped()
        {
            var channel = Channel("x,alias,mid,loop1,loop2", "{\"alias\":\"mid\",\"mid\":\"x\",\"loop1\":\"loop2\",\"loop2\":\"loop1\"}");
            SyncPlan plan = new SyncPlanner().Plan(channel, new[] { "x", "y" });
            Assert.Equal(new[] { "x", "y", "alias", "mid" }, plan.NewModels.ToArray());
            Assert.Equal(new[] { "alias", "mid" }, plan.KeptAliases);
        }

        [Fact]
        public void An_Invalid_Mapping_Keeps_No_Aliases_But_Still_Syncs()
        {
            SyncPlan plan = new SyncPlanner().Plan(Channel("a,b", "{not json"), new[] { "a" });
            Assert.Equal(new[] { "a" }, plan.NewModels.ToArray());
        }

        [Theory]
        [InlineData(new[] { "gpt-*" }, new string[0], "gpt-4o,gpt-4o-mini")]
        [InlineData(new string[0], new[] { "*mini*" }, "gpt-4o,o3,claude")]
        [InlineData(new[] { "GPT-4O" }, new string[0], "gpt-4o")]
        [InlineData(new[] { "[go]*" }, new[] { "o?" }, "gpt-4o,gpt-4o-mini")]
        [InlineData(new[] { "gpt-4o`*" }, new string[0], "")]
        public void Filters_Are_Case_Insensitive_Wildcards(string[] include, string[] exclude, string expected)
        {
            var filter = new ModelFilter(include, exclude);
            Assert.Equal(expected, string.Join(",", filter.Apply(new[] { "gpt-4o", "gpt-4o-mini", "o3", "claude" })));
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        [InlineData("[abc")]
        public void Bad_Patterns_Are_Refused(string pattern)
        {
            Assert.Throws<ArgumentException>(() => new ModelFilter(new[] { pattern }, null));
        }
    }
}
