using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Settings;
using Xunit;

namespace NewApiSync.Engine.Tests.Settings
{
    public sealed class SyncSettingsTests
    {
        [Fact]
        public void Defaults_Match_The_Documented_Values_And_Are_Valid()
        {
            var settings = new SyncSettings();
            Assert.Equal((false, TimeSpan.FromHours(6), 2, 3, 20, 5, 0, 200),
                (settings.AutoSync, settings.Interval, settings.Concurrency, settings.MaxRetries, settings.RequestsPerMinute, settings.Burst,
                 settings.ChannelTimeoutSec, settings.HistoryRetention));
            Assert.Equal((false, false), (settings.RedirectAfterSync, settings.PruneMissingTargets));
            Assert.Empty(settings.IncludeModel);
            Assert.Empty(settings.ExcludeModel);
            Assert.Empty(settings.StandardModels);
            Assert.Empty(settings.Validate());
            Assert.Empty(settings.Recommendations());
        }

        public static IEnumerable<object[]> OutOfRange() => new[]
        {
            new object[] { (Action<SyncSettings>)(s => s.Interval = TimeSpan.FromMinutes(4)), "Interval 00:04:00", "00:05:00" },
            new object[] { (Action<SyncSettings>)(s => s.Interval = TimeSpan.FromDays(31)), "Interval 31.00:00:00", "30.00:00:00" },
            new object[] { (Action<SyncSettings>)(s => s.Concurrency = 0), "Concurrency 0", "from 1 to 32" },
            new object[] { (Action<SyncSettings>)(s => s.Concurrency = 33), "Concurrency 33", "from 1 to 32" },
            new object[] { (Action<SyncSettings>)(s => s.MaxRetries = -1), "MaxRetries -1", "from 0 to 10" },
            new object[] { (Action<SyncSettings>)(s => s.MaxRetries = 11), "MaxRetries 11", "from 0 to 10" },
            new object[] { (Action<SyncSettings>)(s => s.RequestsPerMinute = 0), "RequestsPerMinute 0", "from 1 to 10000" },
            new object[] { (Action<SyncSettings>)(s => s.RequestsPerMinute = 10001), "RequestsPerMinute 10001", "from 1 to 10000" },
            new object[] { (Action<SyncSettings>)(s => s.Burst = 0), "Burst 0", "from 1 to 1000" },
            new object[] { (Action<SyncSettings>)(s => s.Burst = 1001), "Burst 1001", "from 1 to 1000" },
            new object[] { (Action<SyncSettings>)(s => s.ChannelTimeoutSec = -1), "ChannelTimeoutSec -1", "from 0 to 3600" },
            new object[] { (Action<SyncSettings>)(s => s.ChannelTimeoutSec = 3601), "ChannelTimeoutSec 3601", "from 0 to 3600" },
            new object[] { (Action<SyncSettings>)(s => s.HistoryRetention = 0), "HistoryRetention 0", "from 1 to 10000" },
            new object[] { (Action<SyncSettings>)(s => s.HistoryRetention = 10001), "HistoryRetention 10001", "from 1 to 10000" },
            new object[] { (Action<SyncSettings>)(s => s.IncludeModel = new[] { "gpt-*", " " }), "IncludeModel[1] is empty", "wildcard" },
            new object[] { (Action<SyncSettings>)(s => s.ExcludeModel = null!), "ExcludeModel must be a list", "null" },
            new object[] { (Action<SyncSettings>)(s => s.StandardModels = new[] { "" }), "StandardModels[0] is empty", "model name" },
        };

        [Theory]
        [MemberData(nameof(OutOfRange))]
        public void Each_Bad_Value_Gets_A_Message_Naming_Property_Value_And_Range(Action<SyncSettings> change, string names, string range)
        {
            var settings = new SyncSettings();
            change(settings);
            string problem = Assert.Single(settings.Validate());
            Assert.Contains(names, problem);
            Assert.Contains(range, problem);
            Assert.Contains(names, Assert.Throws<ArgumentException>(settings.ThrowIfInvalid).Message);
        }

        [Fact]
        public void The_Boundaries_Are_Valid()
        {
            var low = new SyncSettings { Interval = TimeSpan.FromMinutes(5), Concurrency = 1, MaxRetries = 0, RequestsPerMinute = 1, Burst = 1, HistoryRetention = 1 };
            var high = new SyncSettings
            {
                Interval = TimeSpan.FromDays(30), Concurrency = 32, MaxRetries = 10, RequestsPerMinute = 10000, Burst = 1000,
                ChannelTimeoutSec = 3600, HistoryRetention = 10000,
            };
            Assert.Empty(low.Validate());
            Assert.Empty(high.Validate());
        }

        [Fact]
        public void Every_Problem_Is_Reported_At_Once()
        {
            var settings = new SyncSettings { Concurrency = 0, Burst = 0, Interval = TimeSpan.Zero };
            IReadOnlyList<string> problems = settings.Validate();
            Assert.Equal(3, problems.Count);
            Assert.Contains(problems, p => p.StartsWith("Interval"));
            Assert.Contains(problems, p => p.StartsWith("Concurrency"));
            Assert.Contains(problems, p => p.StartsWith("Burst"));
        }

        [Theory]
        [InlineData(10, "shorter than the recommended 1 hour")]
        [InlineData(60 * 48, "longer than the recommended 24 hours")]
        public void Intervals_Outside_1_To_24_Hours_Are_Valid_But_Advised_Against(int minutes, string advice)
        {
            var settings = new SyncSettings { Interval = TimeSpan.FromMinutes(minutes) };
            Assert.Empty(settings.Validate());
            Assert.Contains(advice, Assert.Single(settings.Recommendations()));
        }

        [Fact]
        public void Clone_Copies_The_Lists_Too()
        {
            var settings = new SyncSettings { IncludeModel = new[] { "gpt-*" }, Concurrency = 7 };
            SyncSettings copy = settings.Clone();
            copy.IncludeModel[0] = "claude-*";
            Assert.Equal("gpt-*", settings.IncludeModel.Single());
            Assert.Equal(7, copy.Concurrency);
        }
    }
}
