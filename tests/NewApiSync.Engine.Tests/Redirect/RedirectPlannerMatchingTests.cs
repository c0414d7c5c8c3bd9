using System;
using System.Text.RegularExpressions;
using NewApiSync.Engine.Redirect;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class RedirectPlannerMatchingTests
    {
        [Theory]
        [InlineData("gpt-4.1", "gpt-4.1-2025-04-14,openai/gpt-4.1", "openai/gpt-4.1")]
        [InlineData("claude-4.5-haiku", "claude-haiku-4-5-20251001", "claude-haiku-4-5-20251001")]
        [InlineData("qwen-plus", "qwen-plus-2025-01-25,qwen-plus-2025-07-28", "qwen-plus-2025-07-28")]
        [InlineData("qwen-plus", "qwen-plus-2025-07-28,qwen-plus-2025-01-25", "qwen-plus-2025-07-28")]
        [InlineData("glm-4.5", "glm-4.5-air,zhipu/glm-4.5", "zhipu/glm-4.5")]
        [InlineData("gpt-4o", "openai/gpt-4o:free", "openai/gpt-4o:free")]
        [InlineData("deepseek-chat", "BigModel/deepseek/deepseek-chat", "BigModel/deepseek/deepseek-chat")]
        [InlineData("x", "api/v1/models/x", "api/v1/models/x")]
        [InlineData("gpt-4o", "GPT-4o", "GPT-4o")]
        [InlineData("gpt-4o", "gpt-4o-mini,azure/gpt-4o", "azure/gpt-4o")]
        [InlineData("gpt-4o", "a/gpt-4o,b/gpt-4o", "a/gpt-4o")]
        [InlineData("gpt-4o", "gpt-4o-2024-05-13,gpt-4o-2024-11-20,gpt-4o-2024-08-06", "gpt-4o-2024-11-20")]
        [InlineData("claude-4.5-sonnet", "claude-3-5-sonnet-20241022,claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929")]
        [InlineData("claude-4.5-sonnet", "claude-sonnet-4-5-20250929,anthropic/claude-sonnet-4.5", "anthropic/claude-sonnet-4.5")]
        [InlineData("claude-4.5-sonnet", "Claude_Sonnet_4.5", "Claude_Sonnet_4.5")]
        [InlineData("gpt-4.1", "4.1-gpt,openai/gpt-4.1", "openai/gpt-4.1")]
        [InlineData("gpt-4.1", "4.1-gpt-2025-04-14,gpt-4.1-2025-04-14", "gpt-4.1-2025-04-14")]
        [InlineData("gpt-4.1", "gpt-4.1-2025-04-14,4.1-gpt-2025-04-15", "4.1-gpt-2025-04-15")]
        [InlineData("mistral-large", "mistral-large-2407,mistral-large-2411", "mistral-large-2411")]
        [InlineData("deepseek-v3", "deepseek-v3-0324", "deepseek-v3-0324")]
        [InlineData("gemini-2.5-flash", "gemini-2.5-flash-lite,google/gemini-2.5-flash", "google/gemini-2.5-flash")]
        [InlineData("  gpt-4o  ", "openai/gpt-4o", "openai/gpt-4o")]
        [InlineData("modèle-1", "x/MODÈLE-1", "x/MODÈLE-1")]
        [InlineData("\u212A-model", "vendor/k-model", "vendor/k-model")]
        public void Maps_The_Standard_Name_To_The_Best_Model_Of_Its_Version(string standard, string models, string expected)
        {
            standard = Regex.Unescape(standard);
            var plan = PlanOne(standard, models);
            var entry = Assert.Single(plan.Added);
            Assert.Equal(standard.Trim(), entry.Key);
            Assert.Equal(expected, entry.Value);
            Assert.Empty(plan.Unmatched);
        }

        [Theory]
        [InlineData("claude-4.1-opus", "claude-opus-4-20250514", RedirectSkipReason.NoCandidate)]
        [InlineData("gpt-4o", "gpt-4o-mini,openai/gpt-4o-mini", RedirectSkipReason.NoCandidate)]
        [InlineData("gemini-2.5-flash", "gemini-2.5-flash-lite,gemini-2.5-flash-preview-09-2025", RedirectSkipReason.NoCandidate)]
        [InlineData("o3", "o3-mini,o3-pro,o3-mini-2025-01-31", RedirectSkipReason.NoCandidate)]
        [InlineData("gpt-4o-mini", "gpt-4.1-mini", RedirectSkipReason.NoCandidate)]
        [InlineData("claude-4.5-sonnet", "claude-3.5-sonnet,claude-sonnet-4-6", RedirectSkipReason.NoCandidate)]
        [InlineData("gemini-2.5-pro", "gemini-3-pro,gemini-2.5-pro-preview-06-05", RedirectSkipReason.NoCandidate)]
        [InlineData("gpt-4o", "openai/,:free", RedirectSkipReason.NoCandidate)]
        [InlineData("o4-mini", "o4-mini", RedirectSkipReason.AlreadyPresent)]
        [InlineData("o4-mini", "openai/o4-mini,o4-mini", RedirectSkipReason.AlreadyPresent)]
        [InlineData("gpt-4o-2024-08-06", "gpt-4o,openai/gpt-4o-2024-08-06", RedirectSkipReason.DatedStandardName)]
        [InlineData("gpt-4o-2024-08-06", "gpt-4o-2024-08-06", RedirectSkipReason.AlreadyPresent)]
        public void Leaves_A_Standard_Name_Unmapped_With_The_Reason(string standard, string models, RedirectSkipReason expected)
        {
            var plan = PlanOne(standard, models);
            Assert.Empty(plan.Added);
            Assert.Equal(expected, plan.UnmatchedReason(standard));
            Assert.False(plan.Changed);
        }

        [Fact]
        public void A_Model_Serves_Only_The_First_Standard_Name_Of_Its_Version()
        {
            var plan = new RedirectPlanner(new[] { "claude-4.5-sonnet", "claude-sonnet-4.5" })
                .Plan(TestChannels.With("claude-sonnet-4-5-20250929"));
            Assert.Equal("claude-sonnet-4-5-20250929", plan.Added["claude-4.5-sonnet"]);
            Assert.Equal(RedirectSkipReason.CandidateTaken, plan.UnmatchedReason("claude-sonnet-4.5"));
        }

        [Fact]
        public void A_Later_Standard_Name_Takes_The_Next_Best_Free_Model()
        {
            var plan = new RedirectPlanner(new[] { "gpt-4o", "gpt_4o" })
                .Plan(TestChannels.With("gpt-4o-2024-05-13,openai/gpt-4o"));
            Assert.Equal("openai/gpt-4o", plan.Added["gpt-4o"]);
            Assert.Equal("gpt-4o-2024-05-13", plan.Added["gpt_4o"]);
        }

        [Fact]
        public void A_Listed_Standard_Name_Keeps_Its_Model_From_Later_Spellings()
        {
            var plan = new RedirectPlanner(new[] { "claude-sonnet-4-5", "claude-4.5-sonnet" })
                .Plan(TestChannels.With("claude-sonnet-4-5"));
            Assert.Equal(RedirectSkipReason.AlreadyPresent, plan.UnmatchedReason("claude-sonnet-4-5"));
            Assert.Equal(RedirectSkipReason.CandidateTaken, plan.UnmatchedReason("claude-4.5-sonnet"));
            Assert.Empty(plan.Added);
        }

        [Fact]
        public void Entries_And_Reasons_Follow_The_Standard_List_Order()
        {
            var plan = new RedirectPlanner(new[] { "o3", "gpt-4o", "claude-4.5-haiku", "gpt-5", "gpt-4o-mini" })
                .Plan(TestChannels.With("openai/gpt-4o-mini,o3,anthropic/claude-haiku-4.5,openai/gpt-4o"));
            Assert.Equal(new[] { "gpt-4o", "claude-4.5-haiku", "gpt-4o-mini" }, plan.Added.Keys);
            Assert.Equal(new[] { "o3", "gpt-5" }, Array.ConvertAll(new[] { 0, 1 }, i => plan.Unmatched[i].Key));
            Assert.Equal(new[] { "gpt-4o", "claude-4.5-haiku", "gpt-4o-mini" }, plan.AddedModels);
        }

        [Fact]
        public void Standard_Names_Are_Trimmed_And_Case_Variants_Count_Once()
        {
            var planner = new RedirectPlanner(new[] { " gpt-4o", "GPT-4o", "gpt-4o ", "o3" });
            Assert.Equal(new[] { "gpt-4o", "o3" }, planner.StandardModels);
        }

        [Fact]
        public void A_Mapping_Alias_Is_Never_A_Candidate()
        {
            // gpt-4o is an alias (mapped elsewhere) listed first; gpt_4o must go to the real model behind it.
            var plan = new RedirectPlanner(new[] { "gpt_4o" })
                .Plan(TestChannels.With("gpt-4o,openai/gpt-4o", "{\"gpt-4o\":\"openai/gpt-4o\"}"));
            Assert.Equal("openai/gpt-4o", plan.Added["gpt_4o"]);
        }

        [Fact]
        public void A_Self_Mapped_Model_Is_Still_A_Candidate()
        {
            var plan = new RedirectPlanner(new[] { "gpt_4o" })
                .Plan(TestChannels.With("gpt-4o", "{\"gpt-4o\":\"gpt-4o\"}"));
            Assert.Equal("gpt-4o", plan.Added["gpt_4o"]);
        }

        [Theory]
        [InlineData(new object[] { new string?[] { "gpt-4o", "" } })]
        [InlineData(new object[] { new string?[] { "   " } })]
        [InlineData(new object[] { new string?[] { "gpt-4o", null } })]
        [InlineData(new object[] { new string?[] { "openai/" } })]
        [InlineData(new object[] { new string?[] { "x:free", ":free" } })]
        public void Rejects_Blank_Or_Nameless_Standard_Names(string?[] names)
        {
            var ex = Assert.Throws<ArgumentException>(() => new RedirectPlanner(names!));
            Assert.Contains("item", ex.Message);
        }

        [Fact]
        public void Rejects_Null_Arguments()
        {
            Assert.Throws<ArgumentNullException>(() => new RedirectPlanner(null!));
            Assert.Throws<ArgumentNullException>(() => new RedirectPlanner(new[] { "gpt-4o" }).Plan(null!));
        }

        private static RedirectPlan PlanOne(string standard, string models) =>
            new RedirectPlanner(new[] { standard }).Plan(TestChannels.With(models));
    }
}
