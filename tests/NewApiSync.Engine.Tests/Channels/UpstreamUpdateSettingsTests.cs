using NewApiSync.Engine.Channels;
using Xunit;

namespace NewApiSync.Engine.Tests.Channels
{
    /// <summary>Reading New API's own upstream update settings out of a channel's settings field (raw JSON as listed).</summary>
    public sealed class UpstreamUpdateSettingsTests
    {
        [Fact]
        public void Reads_The_String_Encoded_Object_New_Api_Sends()
        {
            var settings = UpstreamUpdateSettings.FromSettingsField(
                "\"{\\\"upstream_model_update_check_enabled\\\":true,\\\"upstream_model_update_auto_sync_enabled\\\":false,\\\"upstream_model_update_ignored_models\\\":[\\\"a\\\",\\\"regex:^b-\\\\\\\\d+$\\\"],\\\"other\\\":1}\"");

            Assert.True(settings.IsPresent);
            Assert.True(settings.CheckEnabled);
            Assert.False(settings.AutoSyncEnabled);
            Assert.Equal(new[] { "a", "regex:^b-\\d+$" }, settings.IgnoredModels);
            Assert.True(settings.Ignores("a"));
            Assert.True(settings.Ignores("b-12"));
            Assert.False(settings.Ignores("b-x"));
            Assert.False(settings.Ignores("A"));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("\"\"")]
        [InlineData("null")]
        [InlineData("\"{}\"")]
        [InlineData("\"{\\\"proxy\\\":\\\"x\\\"}\"")]
        public void Settings_Without_The_Keys_Are_Absent(string? raw)
        {
            var settings = UpstreamUpdateSettings.FromSettingsField(raw);
            Assert.False(settings.IsPresent);
            Assert.Null(settings.CheckEnabled);
            Assert.Null(settings.Error);
        }

        [Theory]
        [InlineData("\"{not json\"")]
        [InlineData("\"[1,2]\"")]
        [InlineData("42")]
        public void Unreadable_Settings_Count_As_Absent_With_An_Error(string raw)
        {
            var settings = UpstreamUpdateSettings.FromSettingsField(raw);
            Assert.False(settings.IsPresent);
            Assert.NotNull(settings.Error);
            Assert.False(settings.Ignores("anything"));
        }

        [Fact]
        public void A_Forks_Object_And_A_Comma_List_Are_Read_Too_And_A_Bad_Regex_Matches_Nothing()
        {
            var settings = UpstreamUpdateSettings.FromSettingsField("{\"upstream_model_update_ignored_models\":\"x, y,regex:(\"}");

            Assert.Equal(new[] { "x", "y", "regex:(" }, settings.IgnoredModels);
            Assert.Equal(new[] { "regex:(" }, settings.UnusablePatterns);
            Assert.True(settings.Ignores("y"));
            Assert.False(settings.Ignores("("));
        }
    }
}
