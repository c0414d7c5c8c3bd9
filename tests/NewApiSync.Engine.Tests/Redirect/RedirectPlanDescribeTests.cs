using System.Linq;
using NewApiSync.Engine.Redirect;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class RedirectPlanDescribeTests
    {
        [Fact]
        public void Names_Added_And_Replaced_Entries_And_New_Models()
        {
            var plan = new RedirectPlanner(new[] { "gpt-4o", "o3" })
                .Plan(TestChannels.With("openai/gpt-4o,o3-2025-04-16", "{\"gpt-4o\":\"old\"}"));
            Assert.Equal(
                "replace gpt-4o \u2192 openai/gpt-4o (was old); add o3 \u2192 o3-2025-04-16; add to models (2): gpt-4o, o3",
                plan.Describe());
        }

        [Fact]
        public void A_Large_Clear_Names_Ten_Keys_And_Counts_The_Rest()
        {
            string mapping = "{" + string.Join(",", Enumerable.Range(1, 12).Select(i => $"\"k{i}\":\"m\"")) + "}";
            string text = ClearPlanner.Plan(TestChannels.With("m", mapping), keepModels: false).Describe();
            Assert.StartsWith("remove mapping entries (12): k1, k2,", text);
            Assert.EndsWith("k10, \u2026 (+2 more)", text);
        }

        [Fact]
        public void Says_Why_When_Nothing_Would_Be_Written()
        {
            Assert.Equal("no change", new RedirectPlanner(new[] { "o3" }).Plan(TestChannels.With("o3")).Describe());
            Assert.Contains("no model mapping", ClearPlanner.Plan(TestChannels.With("o3"), keepModels: false).Describe());
            Assert.Contains("cannot be changed safely", new RedirectPlanner(new[] { "o3" }).Plan(TestChannels.With("o3", "x")).Describe());
        }

        [Fact]
        public void Mentions_Replacing_An_Invalid_Mapping()
        {
            string text = new RedirectPlanner(new[] { "o3" }).Plan(TestChannels.With("o3", "x"), force: true).Describe();
            Assert.Equal("replace the invalid model_mapping", text);
        }
    }
}
