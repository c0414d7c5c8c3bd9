using System;
using System.Linq;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Restore;
using NewApiSync.Engine.Results;
using Xunit;

namespace NewApiSync.Engine.Tests.Restore
{
    /// <summary>How journal records become what a restore writes back and what it checks first.</summary>
    public sealed class RestorePlanTests
    {
        private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

        private static NewApiSyncResult Record(string runId, int minutes, string[] oldModels, string[] newModels,
            string? oldMapping = null, string? newMapping = null, bool changed = true, ChannelResultStatus status = ChannelResultStatus.Succeeded) => new()
        {
            RunId = runId,
            ChannelId = 7,
            ChannelName = "SiliconFlow",
            Status = status,
            Changed = changed,
            OldModels = oldModels,
            NewModels = newModels,
            OldModelMapping = oldMapping,
            NewModelMapping = newMapping,
            StartedAt = T0.AddMinutes(minutes),
        };

        private static Channel Current(string models, string? mapping = null) => new(7, "SiliconFlow", ChannelModelList.Parse(models), mapping);

        [Fact]
        public void A_Sync_Record_Restores_Only_The_Models_And_Guards_On_Its_New_List_As_A_Set()
        {
            var plan = RestorePlan.FromRecords(new[] { Record("r1", 0, new[] { "a", "b" }, new[] { "a", "c" }) }).Single();

            Assert.True(plan.RestoresModels);
            Assert.False(plan.RestoresMapping);
            Assert.Equal("a,b", plan.OldModels!.ToWireString());
            Assert.Null(plan.ChangedSince(Current("c,a")));
            Assert.Contains("models differ", plan.ChangedSince(Current("a,c,d")));
            Assert.Equal("Restore models (+1 -1 models)", plan.Describe(Current("a,c")));
        }

        [Fact]
        public void Several_Records_For_One_Channel_Go_Back_To_The_Oldest_Old_State_And_Guard_On_The_Newest_New_State()
        {
            // Given newest first, as Get-NewApiSyncHistory returns them.
            var plan = RestorePlan.FromRecords(new[]
            {
                Record("r2", 10, new[] { "a", "c" }, new[] { "c", "d" }, "{\"x\":\"y\"}", "{}"),
                Record("r1", 0, new[] { "a", "b" }, new[] { "a", "c" }),
                Record("r1", 0, new[] { "a", "b" }, new[] { "a", "c" }),
            }).Single();

            Assert.Equal("a,b", plan.OldModels!.ToWireString());
            Assert.Equal("c,d", plan.ExpectedModels!.ToWireString());
            Assert.Equal("{\"x\":\"y\"}", plan.OldModelMappingText);
            Assert.Equal("{}", plan.ExpectedModelMappingText);
            Assert.Equal(new[] { "r1", "r2" }, plan.RunIds);
            Assert.Null(plan.ChangedSince(Current("d,c", "")));
        }

        [Theory]
        [InlineData(ChannelResultStatus.Failed, false, "Failed")]
        [InlineData(ChannelResultStatus.Cancelled, false, "Cancelled")]
        [InlineData(ChannelResultStatus.Skipped, false, "Skipped")]
        [InlineData(ChannelResultStatus.Succeeded, false, "did not change")]
        public void Records_That_Wrote_Nothing_Are_Skipped_With_A_Reason(ChannelResultStatus status, bool changed, string reason)
        {
            var plan = RestorePlan.FromRecords(new[] { Record("r1", 0, new[] { "a" }, new[] { "a", "b" }, changed: changed, status: status) }).Single();
            Assert.Contains(reason, plan.SkipReason);
            Assert.False(plan.RestoresModels);
        }

        [Fact]
        public void An_Empty_Old_Model_List_Cannot_Be_Written_So_Only_The_Mapping_Is_Restored_With_A_Note()
        {
            var onlyModels = RestorePlan.FromRecords(new[] { Record("r1", 0, new string[0], new[] { "a" }) }).Single();
            Assert.Contains("cannot empty a model list", onlyModels.SkipReason);

            var withMapping = RestorePlan.FromRecords(new[] { Record("r1", 0, new string[0], new[] { "a" }, null, "{\"a\":\"b\"}") }).Single();
            Assert.Null(withMapping.SkipReason);
            Assert.False(withMapping.RestoresModels);
            Assert.Equal("{}", withMapping.OldModelMappingText); // New API skips "": none is written as {}
            Assert.Contains("cannot empty a model list", withMapping.Note);
        }

        [Fact]
        public void An_Invalid_Old_Mapping_Is_Written_Back_As_Its_Exact_Text()
        {
            var plan = RestorePlan.FromRecords(new[] { Record("r1", 0, new[] { "a" }, new[] { "a" }, "{gpt-4: oops", "{}") }).Single();
            Assert.False(plan.RestoresModels);
            Assert.Equal("{gpt-4: oops", plan.OldModelMappingText);
            Assert.Equal("Restore model_mapping (its invalid text, exactly as it was)", plan.Describe(Current("a", "{}")));
            Assert.Contains("model_mapping differs", plan.ChangedSince(Current("a", "{\"k\":\"v\"}")));
        }

        [Theory]
        [InlineData(null, "{}", true)]
        [InlineData("", "{}", true)]
        [InlineData("{\"a\":\"b\",\"c\":\"d\"}", "{ \"c\": \"d\", \"a\": \"b\" }", true)]
        [InlineData("{\"a\":\"b\"}", "{\"a\":\"B\"}", false)]
        [InlineData("not json", "not json", true)]
        [InlineData("not json", "{}", false)]
        public void Mappings_Compare_By_Entries_And_Invalid_Text_By_Its_Characters(string? a, string? b, bool same)
        {
            Assert.Equal(same, RestorePlan.SameMapping(a, b));
        }
    }
}
