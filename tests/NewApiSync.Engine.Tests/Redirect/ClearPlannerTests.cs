using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class ClearPlannerTests
    {
        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("{}")]
        [InlineData(" { } ")]
        [InlineData("null")]
        public void A_Channel_Without_Mapping_Is_Skipped_Without_A_Write(string? raw)
        {
            var plan = ClearPlanner.Plan(TestChannels.With("a,b", raw), keepModels: false);
            Assert.Equal(RedirectStatus.Skipped, plan.Status);
            Assert.Null(plan.ToUpdate());
            Assert.Contains("no model mapping", plan.Reason);
        }

        [Fact]
        public void Clears_The_Mapping_And_Removes_Only_The_Aliases_From_Models()
        {
            var channel = TestChannels.With(
                "openai/gpt-4o,gpt-4o,self,inert,other,o3",
                "{\"gpt-4o\":\"openai/gpt-4o\",\"self\":\"self\",\"inert\":\"\",\"o3\":\"o3-2025-04-16\",\"unlisted\":\"x\"}");
            var plan = ClearPlanner.Plan(channel, keepModels: false);

            Assert.Equal(RedirectStatus.Cleared, plan.Status);
            Assert.True(plan.NewMapping!.IsEmpty);
            Assert.Equal(new[] { "gpt-4o", "o3" }, plan.RemovedModels);
            Assert.Equal("openai/gpt-4o,self,inert,other", plan.NewModels.ToWireString());
            Assert.Equal(new[] { "gpt-4o", "self", "inert", "o3", "unlisted" }, plan.RemovedMappingKeys);
            Assert.Equal("{}", plan.ToUpdate()!.ModelMapping!.ToJson());
        }

        [Fact]
        public void KeepModels_Only_Clears_The_Mapping()
        {
            var plan = ClearPlanner.Plan(TestChannels.With("openai/gpt-4o,gpt-4o", "{\"gpt-4o\":\"openai/gpt-4o\"}"), keepModels: true);
            Assert.Equal(RedirectStatus.Cleared, plan.Status);
            Assert.Empty(plan.RemovedModels);
            Assert.False(plan.ModelsChanged);
            Assert.Null(plan.ToUpdate()!.Models);
        }

        [Fact]
        public void Never_Leaves_A_Channel_Without_Models()
        {
            var plan = ClearPlanner.Plan(TestChannels.With("gpt-4o,o3", "{\"gpt-4o\":\"openai/gpt-4o\",\"o3\":\"x/o3\"}"), keepModels: false);
            Assert.Equal("gpt-4o,o3", plan.NewModels.ToWireString());
            Assert.Empty(plan.RemovedModels);
            Assert.Contains("no models", plan.Reason);
            Assert.Equal(RedirectStatus.Cleared, plan.Status);
        }

        [Fact]
        public void An_Invalid_Mapping_Is_Replaced_With_Empty_And_Models_Stay()
        {
            var plan = ClearPlanner.Plan(TestChannels.With("gpt-4o,openai/gpt-4o", "{\"gpt-4o\":"), keepModels: false);

            Assert.Equal(RedirectStatus.Cleared, plan.Status);
            Assert.Null(plan.ErrorKind);
            Assert.True(plan.MappingChanged);
            Assert.False(plan.ModelsChanged);
            Assert.Equal("{\"gpt-4o\":", plan.OldMappingRaw);
            Assert.Contains("cannot be known", plan.Reason);
        }

        [Fact]
        public void A_Mapping_Without_Aliases_Is_Still_Cleared()
        {
            var plan = ClearPlanner.Plan(TestChannels.With("a", "{\"a\":\"a\"}"), keepModels: false);
            Assert.Equal(RedirectStatus.Cleared, plan.Status);
            Assert.False(plan.ModelsChanged);
        }
    }
}
