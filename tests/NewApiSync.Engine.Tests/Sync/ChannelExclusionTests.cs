using System;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Sync;
using Xunit;

namespace NewApiSync.Engine.Tests.Sync
{
    /// <summary>ExcludeChannel entries (ids, name wildcards, tag:NAME), SkipDisabledChannels, and the settings that hold them.</summary>
    public sealed class ChannelExclusionTests
    {
        private static Channel Channel(int id, string name, string? tag = null, ChannelStatus status = ChannelStatus.Enabled) =>
            new Channel(id, name, ChannelModelList.Parse("a"), null) { Tag = tag, Status = status };

        [Fact]
        public void Ids_Names_And_Tags_Each_Exclude_With_Their_Own_Reason()
        {
            var exclusion = new ChannelExclusion(new[] { " 11 ", "*Reseller*", "tag:c?" }, skipDisabled: false);

            Assert.Contains("'11'", exclusion.ReasonForId(11));
            Assert.Null(exclusion.ReasonForId(12));
            Assert.Contains("'*Reseller*' (its name)", exclusion.ReasonFor(Channel(3, "cheap reseller")));
            Assert.Contains("its tag 'CN'", exclusion.ReasonFor(Channel(4, "Qwen", "CN")));
            Assert.Null(exclusion.ReasonFor(Channel(5, "Qwen", "cnx")));
            Assert.Null(exclusion.ReasonFor(Channel(6, "Disabled", status: ChannelStatus.AutoDisabled)));
        }

        [Fact]
        public void SkipDisabledChannels_Excludes_Both_Kinds_Of_Disabled()
        {
            var exclusion = new ChannelExclusion(null, skipDisabled: true);

            Assert.Contains("manually disabled", exclusion.ReasonFor(Channel(1, "a", status: ChannelStatus.ManuallyDisabled)));
            Assert.Contains("automatically disabled", exclusion.ReasonFor(Channel(2, "b", status: ChannelStatus.AutoDisabled)));
            Assert.Null(exclusion.ReasonFor(Channel(3, "c")));
            Assert.True(ChannelExclusion.None.IsEmpty);
        }

        [Theory]
        [InlineData(" ")]
        [InlineData("tag:")]
        [InlineData("0")]
        [InlineData("[abc")]
        public void Entries_A_Run_Cannot_Use_Are_Refused(string entry)
        {
            Assert.Throws<ArgumentException>(() => new ChannelExclusion(new[] { entry }, false));
            var settings = new SyncSettings { ExcludeChannel = new[] { entry } };
            Assert.Contains(settings.Validate(), p => p.StartsWith("ExcludeChannel", StringComparison.Ordinal));
        }

        [Fact]
        public void The_Policy_Settings_Are_Validated_And_Cloned()
        {
            var settings = new SyncSettings { KeepModel = new[] { "[x" }, SyncMode = (SyncMode)7 };
            Assert.Contains(settings.Validate(), p => p.StartsWith("KeepModel", StringComparison.Ordinal));
            Assert.Contains(settings.Validate(), p => p.StartsWith("SyncMode", StringComparison.Ordinal));

            var saved = new SyncSettings { KeepModel = new[] { "my-*" }, ExcludeChannel = new[] { "11" } };
            SyncSettings copy = saved.Clone();
            copy.KeepModel[0] = "changed";
            copy.ExcludeChannel[0] = "12";
            Assert.Equal(("my-*", "11"), (saved.KeepModel[0], saved.ExcludeChannel[0]));
            Assert.Empty(saved.Validate());
        }
    }
}
