using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Tests.Journal;
using Xunit;

namespace NewApiSync.Engine.Tests.Settings
{
    public sealed class SyncSettingsStoreTests : IDisposable
    {
        private readonly TempDataRoot _root = new();
        private readonly SyncSettingsStore _store;

        public SyncSettingsStoreTests() => _store = new SyncSettingsStore(_root.Path);

        public void Dispose() => _root.Dispose();

        [Fact]
        public void A_Missing_File_Loads_The_Defaults()
        {
            SyncSettings settings = new SyncSettingsStore(Path.Combine(_root.Path, "not-created")).Load();
            Assert.Equal(JsonSerializer.Serialize(new SyncSettings()), JsonSerializer.Serialize(settings));
        }

        [Fact]
        public void Every_Setting_Round_Trips()
        {
            var saved = new SyncSettings
            {
                AutoSync = true, Interval = TimeSpan.FromMinutes(90), Concurrency = 4, MaxRetries = 5, RequestsPerMinute = 120, Burst = 9,
                ChannelTimeoutSec = 300, IncludeModel = new[] { "gpt-*", "claude-?" }, ExcludeModel = new[] { "*-preview" },
                StandardModels = new[] { "gpt-4o" }, RedirectAfterSync = true, PruneMissingTargets = true, HistoryRetention = 50,
            };
            _store.Save(saved);

            Assert.Equal(JsonSerializer.Serialize(saved), JsonSerializer.Serialize(_store.Load()));
            Assert.Equal(Path.Combine(_root.Path, "settings.json"), _store.FilePath);
        }

        [Fact]
        public void The_File_Is_Readable_Camel_Case_With_The_Interval_As_Text_And_No_Secret()
        {
            _store.Save(new SyncSettings { Interval = TimeSpan.FromDays(2) });
            string text = File.ReadAllText(_store.FilePath);
            using JsonDocument document = JsonDocument.Parse(text);

            Assert.Equal("2.00:00:00", document.RootElement.GetProperty("interval").GetString());
            Assert.Contains("\n", text);
            Assert.Equal(
                new[] { "autoSync", "burst", "channelTimeoutSec", "concurrency", "excludeChannel", "excludeModel", "historyRetention", "includeModel",
                        "interval", "keepModel", "maxRetries", "pruneMissingTargets", "redirectAfterSync", "requestsPerMinute", "shrinkGuardPercent",
                        "skipDisabledChannels", "standardModels", "syncMode" },
                document.RootElement.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void Missing_Properties_Take_Their_Defaults_And_Names_Ignore_Case()
        {
            File.WriteAllText(_store.FilePath, "{ \"AutoSync\": true, \"interval\": \"01:30:00\" }");
            SyncSettings settings = _store.Load();
            Assert.True(settings.AutoSync);
            Assert.Equal(TimeSpan.FromMinutes(90), settings.Interval);
            Assert.Equal(2, settings.Concurrency);
        }

        [Fact]
        public void Invalid_Json_Names_The_File_And_Is_Not_Reset()
        {
            File.WriteAllText(_store.FilePath, "{ \"autoSync\": tru");
            var ex = Assert.Throws<InvalidDataException>(() => _store.Load());
            Assert.Contains(_store.FilePath, ex.Message);
            Assert.Contains("cannot be read", ex.Message);
            Assert.Equal("{ \"autoSync\": tru", File.ReadAllText(_store.FilePath));
        }

        [Fact]
        public void Out_Of_Range_Values_In_The_File_Are_Reported_All_Together()
        {
            File.WriteAllText(_store.FilePath, "{ \"concurrency\": 99, \"interval\": \"00:01:00\" }");
            var ex = Assert.Throws<InvalidDataException>(() => _store.Load());
            Assert.Contains(_store.FilePath, ex.Message);
            Assert.Contains("Concurrency 99 is out of range", ex.Message);
            Assert.Contains("Interval 00:01:00 is out of range", ex.Message);
        }

        [Theory]
        [InlineData("{ \"accessToken\": \"sk-secret\" }", "accessToken")]
        [InlineData("{ \"key\": \"sk-secret\" }", "key")]
        [InlineData("{ \"interval\": 21600 }", "interval")]
        [InlineData("null", "null")]
        [InlineData("{ \"includeModel\": null }", "IncludeModel must be a list")]
        public void Unknown_Properties_Wrong_Types_And_Nulls_Are_Rejected_Naming_The_Problem(string json, string named)
        {
            File.WriteAllText(_store.FilePath, json);
            var ex = Assert.Throws<InvalidDataException>(() => _store.Load());
            Assert.Contains(named, ex.Message);
            Assert.Contains(_store.FilePath, ex.Message);
        }

        [Fact]
        public void Save_Validates_First_And_Leaves_The_Old_File_Alone()
        {
            _store.Save(new SyncSettings { Concurrency = 3 });
            string before = File.ReadAllText(_store.FilePath);

            var ex = Assert.Throws<ArgumentException>(() => _store.Save(new SyncSettings { Burst = 0, MaxRetries = 99 }));
            Assert.Contains("Burst 0", ex.Message);
            Assert.Contains("MaxRetries 99", ex.Message);
            Assert.Equal(before, File.ReadAllText(_store.FilePath));
            Assert.Throws<ArgumentNullException>(() => _store.Save(null!));
        }

        [Fact]
        public void Saving_Replaces_The_File_Atomically_Without_Leaving_Temp_Files()
        {
            _store.Save(new SyncSettings { Concurrency = 3 });
            _store.Save(new SyncSettings { Concurrency = 4 });
            Assert.Equal(4, _store.Load().Concurrency);
            Assert.Equal(new[] { "settings.json" }, Directory.GetFiles(_root.Path).Select(Path.GetFileName));
        }

        [Fact]
        public void An_Empty_Data_Root_Is_Rejected()
        {
            Assert.Throws<ArgumentException>(() => new SyncSettingsStore(" "));
        }
    }
}
