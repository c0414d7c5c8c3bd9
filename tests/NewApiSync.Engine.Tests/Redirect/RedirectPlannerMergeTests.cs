using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class RedirectPlannerMergeTests
    {
        private static readonly RedirectPlanner Planner = new RedirectPlanner(new[] { "gpt-4o", "o3", "claude-4.5-sonnet" });

        [Fact]
        public void New_Entries_Overwrite_Their_Keys_In_Place_And_Keep_Every_Other_Key()
        {
            var channel = TestChannels.With("openai/gpt-4o,custom-target", "{\"mine\":\"custom-target\",\"gpt-4o\":\"old/gpt-4o\"}");
            var plan = Planner.Plan(channel);

            Assert.Equal("{\"mine\":\"custom-target\",\"gpt-4o\":\"openai/gpt-4o\"}", plan.NewMapping!.ToJson());
            Assert.Equal("old/gpt-4o", plan.Replaced["gpt-4o"]);
            Assert.Equal("openai/gpt-4o", plan.Added["gpt-4o"]);
            Assert.Equal(new[] { "gpt-4o" }, plan.AddedModels);
            Assert.Equal("openai/gpt-4o,custom-target,gpt-4o", plan.NewModels.ToWireString());
            Assert.Equal(RedirectStatus.Updated, plan.Status);
        }

        [Fact]
        public void Fresh_Entries_Are_Appended_And_Are_Not_Replacements()
        {
            var plan = Planner.Plan(TestChannels.With("o3-2025-04-16,anthropic/claude-sonnet-4.5", "{\"a\":\"b\"}"));
            Assert.Equal("{\"a\":\"b\",\"o3\":\"o3-2025-04-16\",\"claude-4.5-sonnet\":\"anthropic/claude-sonnet-4.5\"}", plan.NewMapping!.ToJson());
            Assert.True(plan.Replaced.IsEmpty);
            Assert.Equal(RedirectSkipReason.NoCandidate, plan.UnmatchedReason("gpt-4o"));
        }

        [Fact]
        public void An_Entry_That_Already_Holds_The_Choice_Only_Puts_The_Name_Back_Into_Models()
        {
            // After a sync replaced models with the upstream list, the alias is gone but the mapping is intact.
            var plan = Planner.Plan(TestChannels.With("openai/gpt-4o", "{\"gpt-4o\":\"openai/gpt-4o\"}"));

            Assert.Equal(RedirectSkipReason.AlreadyMapped, plan.UnmatchedReason("gpt-4o"));
            Assert.True(plan.Added.IsEmpty);
            Assert.False(plan.MappingChanged);
            Assert.True(plan.ModelsChanged);
            var update = plan.ToUpdate()!;
            Assert.Null(update.ModelMapping);
            Assert.Equal("openai/gpt-4o,gpt-4o", update.Models!.ToWireString());
        }

        [Fact]
        public void Planning_Again_After_Applying_Changes_Nothing()
        {
            var first = Planner.Plan(TestChannels.With("openai/gpt-4o,o3-mini,claude-sonnet-4-5-20250929"));
            Assert.True(first.Changed);

            var applied = new Channel(first.ChannelId, first.ChannelName, first.NewModels, first.NewMapping!.ToJson());
            var second = Planner.Plan(applied);

            Assert.False(second.Changed);
            Assert.Equal(RedirectStatus.Unchanged, second.Status);
            Assert.Null(second.ToUpdate());
            Assert.Equal(RedirectSkipReason.AlreadyPresent, second.UnmatchedReason("gpt-4o"));
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("[\"gpt-4o\"]")]
        [InlineData("{\"gpt-4o\":1}")]
        public void An_Invalid_Existing_Mapping_Fails_The_Plan_And_Changes_Nothing(string raw)
        {
            var plan = Planner.Plan(TestChannels.With("openai/gpt-4o", raw));

            Assert.Equal(RedirectStatus.Failed, plan.Status);
            Assert.Equal(NewApiErrorKind.InvalidExistingMapping, plan.ErrorKind);
            Assert.Contains("model_mapping", plan.Error);
            Assert.False(plan.Changed);
            Assert.Null(plan.ToUpdate());
            Assert.Equal(raw, plan.OldMappingRaw);
            Assert.True(plan.Added.IsEmpty);
        }

        [Fact]
        public void Force_Replaces_An_Invalid_Mapping_And_Keeps_The_Old_Text_For_The_Journal()
        {
            var plan = Planner.Plan(TestChannels.With("openai/gpt-4o", "{broken"), force: true);

            Assert.Equal(RedirectStatus.Updated, plan.Status);
            Assert.Null(plan.ErrorKind);
            Assert.Equal("{broken", plan.OldMappingRaw);
            Assert.Equal("{\"gpt-4o\":\"openai/gpt-4o\"}", plan.NewMapping!.ToJson());
            Assert.Contains("invalid", plan.Reason);
        }

        [Fact]
        public void Force_Replaces_An_Invalid_Mapping_Even_When_Nothing_Matches()
        {
            var plan = Planner.Plan(TestChannels.With("other-model", "\"text\""), force: true);
            Assert.True(plan.MappingChanged);
            Assert.Equal("{}", plan.ToUpdate()!.ModelMapping!.ToJson());
        }

        [Fact]
        public void Force_Changes_Nothing_On_A_Valid_Mapping()
        {
            var channel = TestChannels.With("openai/gpt-4o,x", "{\"keep\":\"x\"}");
            Assert.Equal(Planner.Plan(channel).NewMapping!.ToJson(), Planner.Plan(channel, force: true).NewMapping!.ToJson());
        }

        [Fact]
        public void Pruning_First_Drops_Dead_Entries_Then_Maps_Again()
        {
            // The upstream dropped openai/gpt-4o and now serves azure/gpt-4o; "dead" points at nothing listed.
            var channel = TestChannels.With("azure/gpt-4o,x", "{\"gpt-4o\":\"openai/gpt-4o\",\"keep\":\"x\",\"dead\":\"gone\"}");
            var plan = Planner.Plan(channel, pruneMissingTargets: true);

            Assert.Equal("{\"keep\":\"x\",\"gpt-4o\":\"azure/gpt-4o\"}", plan.NewMapping!.ToJson());
            Assert.Equal(new[] { "dead" }, plan.RemovedMappingKeys);
            Assert.Equal("openai/gpt-4o", plan.Replaced["gpt-4o"]);
            Assert.Equal("azure/gpt-4o", plan.Added["gpt-4o"]);
        }

        [Fact]
        public void Without_Pruning_Dead_Entries_Stay()
        {
            var plan = Planner.Plan(TestChannels.With("x", "{\"dead\":\"gone\"}"));
            Assert.True(plan.NewMapping!.ContainsKey("dead"));
            Assert.Empty(plan.RemovedMappingKeys);
        }
    }
}
