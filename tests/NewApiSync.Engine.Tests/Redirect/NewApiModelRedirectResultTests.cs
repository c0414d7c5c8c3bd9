using System.Linq;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class NewApiModelRedirectResultTests
    {
        [Fact]
        public void A_Redirect_Plan_Becomes_An_Updated_Result()
        {
            var plan = new RedirectPlanner(new[] { "gpt-4o", "gpt-5", "o3" })
                .Plan(TestChannels.With("openai/gpt-4o,o3", "{\"gpt-4o\":\"old\"}", id: 12));
            var result = plan.ToResult("run-1");

            Assert.Equal("run-1", result.RunId);
            Assert.Equal(12, result.ChannelId);
            Assert.Equal(RedirectStatus.Updated, result.Status);
            Assert.Equal("openai/gpt-4o", result.Added["gpt-4o"]);
            Assert.Equal("old", result.Replaced["gpt-4o"]);
            Assert.Equal(new[] { "gpt-5" }, result.Unmatched.Keys);
            Assert.Equal(new[] { "NoCandidate" }, result.Unmatched.Values);
            Assert.Equal(new[] { "o3" }, result.AlreadyServed);
            Assert.Equal(new[] { "gpt-4o" }, result.AddedModels);
            Assert.Equal("{\"gpt-4o\":\"old\"}", result.OldModelMapping);
            Assert.Equal("{\"gpt-4o\":\"openai/gpt-4o\"}", result.NewModelMapping);
            Assert.Equal("{\"gpt-4o\":\"openai/gpt-4o\"}", result.Mapping!.ToJson());
            Assert.Null(result.ErrorKind);
        }

        [Fact]
        public void A_Failed_Plan_Becomes_A_Failed_Result_Without_New_Text()
        {
            var plan = new RedirectPlanner(new[] { "gpt-4o" }).Plan(TestChannels.With("openai/gpt-4o", "oops"));
            var result = plan.ToResult("run-2");

            Assert.Equal(RedirectStatus.Failed, result.Status);
            Assert.Equal(NewApiErrorKind.InvalidExistingMapping, result.ErrorKind);
            Assert.Equal("oops", result.OldModelMapping);
            Assert.Null(result.NewModelMapping);
            Assert.Null(result.Mapping);
            Assert.NotNull(result.Error);
        }

        [Fact]
        public void A_Clear_Plan_Becomes_A_Cleared_Result()
        {
            var plan = ClearPlanner.Plan(TestChannels.With("openai/gpt-4o,gpt-4o", "{\"gpt-4o\":\"openai/gpt-4o\"}"), keepModels: false);
            var result = plan.ToResult("run-3");

            Assert.Equal(RedirectStatus.Cleared, result.Status);
            Assert.Equal(new[] { "gpt-4o" }, result.RemovedModels);
            Assert.Equal(new[] { "gpt-4o" }, result.MappingKeysRemoved);
            Assert.Equal("{}", result.NewModelMapping);
            Assert.True(result.Mapping!.IsEmpty);
        }

        [Fact]
        public void An_Unchanged_Plan_Writes_No_Mapping_Text()
        {
            var plan = new RedirectPlanner(new[] { "o3" }).Plan(TestChannels.With("o3", "{\"a\":\"o3\"}"));
            var result = plan.ToResult("run-4");

            Assert.Equal(RedirectStatus.Unchanged, result.Status);
            Assert.Null(result.NewModelMapping);
            Assert.Equal("{\"a\":\"o3\"}", result.Mapping!.ToJson());
            Assert.Empty(result.Added.Keys.ToArray());
        }
    }
}
