using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class MissingTargetPrunerTests
    {
        [Theory]
        [InlineData("{\"a\":\"b\",\"b\":\"c\"}", "c", new string[0])]
        [InlineData("{\"a\":\"b\",\"b\":\"c\"}", "b", new[] { "a", "b" })]
        [InlineData("{\"a\":\"b\",\"b\":\"a\"}", "a,b", new[] { "a", "b" })]
        [InlineData("{\"x\":\"a\",\"a\":\"b\",\"b\":\"a\",\"ok\":\"m\"}", "a,b,m", new[] { "x", "a", "b" })]
        [InlineData("{\"a\":\"a\"}", "a", new string[0])]
        [InlineData("{\"a\":\"a\"}", "m", new[] { "a" })]
        [InlineData("{\"a\":\"b\",\"b\":\"b\"}", "b", new string[0])]
        [InlineData("{\"inert\":\"\"}", "inert", new string[0])]
        [InlineData("{\"gpt-4o\":\"openai/gpt-4o\"}", "gpt-4o", new[] { "gpt-4o" })]
        [InlineData("{\"gpt-4o\":\"openai/gpt-4o\",\"keep\":\"m\"}", "m,openai/gpt-4o", new string[0])]
        public void Removes_Entries_Whose_Final_Target_Is_Not_Listed(string mapping, string models, string[] expectedRemoved)
        {
            var channel = TestChannels.With(models, mapping);
            var plan = MissingTargetPruner.Plan(channel);

            Assert.Equal(expectedRemoved, plan.RemovedMappingKeys);
            Assert.Equal(channel.ModelMapping!.Count - expectedRemoved.Length, plan.NewMapping!.Count);
            Assert.False(plan.ModelsChanged);
            Assert.Equal(expectedRemoved.Length == 0 ? RedirectStatus.Unchanged : RedirectStatus.Updated, plan.Status);
        }

        [Fact]
        public void Kept_Entries_Keep_Their_Order()
        {
            var plan = MissingTargetPruner.Plan(TestChannels.With("m,n", "{\"z\":\"n\",\"dead\":\"x\",\"a\":\"m\"}"));
            Assert.Equal("{\"z\":\"n\",\"a\":\"m\"}", plan.ToUpdate()!.ModelMapping!.ToJson());
        }

        [Fact]
        public void An_Invalid_Mapping_Fails()
        {
            var plan = MissingTargetPruner.Plan(TestChannels.With("m", "[1]"));
            Assert.Equal(NewApiErrorKind.InvalidExistingMapping, plan.ErrorKind);
            Assert.Null(plan.ToUpdate());
        }

        [Theory]
        [InlineData("a", "c")]
        [InlineData("b", "c")]
        [InlineData("c", "c")]
        [InlineData("unmapped", "unmapped")]
        [InlineData("loop1", null)]
        [InlineData("into-loop", null)]
        [InlineData("self", "self")]
        [InlineData("to-self", "self")]
        [InlineData("inert", "inert")]
        public void ResolveTarget_Follows_Chains_As_New_Api_Does(string model, string? expected)
        {
            var mapping = ModelMapping.Parse(
                "{\"a\":\"b\",\"b\":\"c\",\"loop1\":\"loop2\",\"loop2\":\"loop1\",\"into-loop\":\"loop1\"," +
                "\"self\":\"self\",\"to-self\":\"self\",\"inert\":\"\"}").Mapping!;
            Assert.Equal(expected, MissingTargetPruner.ResolveTarget(mapping, model));
        }
    }
}
