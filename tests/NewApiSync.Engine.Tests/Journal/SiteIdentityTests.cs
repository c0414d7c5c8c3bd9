using System;
using System.IO;
using System.Linq;
using System.Net;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Storage;
using Xunit;

namespace NewApiSync.Engine.Tests.Journal
{
    /// <summary>One site, one identity: the spellings of one server share a history and a lock; older history stays readable.</summary>
    public sealed class SiteIdentityTests : IDisposable
    {
        private readonly TempDataRoot _root = new();
        private readonly Func<string, IPAddress[]> _realResolve = SiteAddress.Resolve;

        public SiteIdentityTests()
        {
            // Names only this test uses, so other tests (which resolve nothing of these) are unaffected.
            SiteAddress.Resolve = name => name switch
            {
                "newapi-lan.identity-test" => new[] { IPAddress.Parse("10.0.0.5") },
                "my-box.identity-test" => new[] { IPAddress.Parse("127.0.1.1") },
                "cdn.identity-test" => new[] { IPAddress.Parse("203.0.113.7"), IPAddress.Parse("203.0.113.8") },
                "public.identity-test" => new[] { IPAddress.Parse("203.0.113.9") },
                _ => _realResolve(name),
            };
        }

        public void Dispose()
        {
            SiteAddress.Resolve = _realResolve;
            _root.Dispose();
        }

        private static string WriteRun(SyncJournal journal, string baseUrl, DateTimeOffset? startedAt = null)
        {
            NewApiSyncRun header = JournalSamples.Header(startedAt ?? JournalSamples.Epoch);
            header.BaseUrl = baseUrl;
            using JournalRunWriter writer = journal.BeginRun(header);
            NewApiSyncResult result = JournalSamples.Result(header, 1, ChannelResultStatus.Succeeded);
            result.BaseUrl = baseUrl;
            writer.Append(result);
            writer.Complete(writer.Summary(header.StartedAt.AddMinutes(1)));
            return header.RunId;
        }

        [Theory]
        [InlineData("http://127.0.0.1:3000", "http://localhost:3000")]
        [InlineData("http://LocalHost:3000/", "http://localhost:3000")]
        [InlineData("http://[::1]:3000", "http://localhost:3000")]
        [InlineData("http://[::ffff:127.0.0.1]:3000", "http://localhost:3000")]
        [InlineData("http://my-box.identity-test:3000", "http://localhost:3000")]
        [InlineData("http://newapi-lan.identity-test:3000", "http://10.0.0.5:3000")]
        [InlineData("https://NewApi.Example.com:443/", "https://newapi.example.com")]
        [InlineData("https://cdn.identity-test", "https://cdn.identity-test")]
        [InlineData("https://public.identity-test/gw/", "https://public.identity-test/gw")]
        public void Spellings_Of_One_Site_Have_One_Identity(string spelling, string identity)
        {
            Assert.Equal(identity, SiteAddress.Identity(spelling));
            Assert.Equal(DataDirectory.SiteKey(identity, 1), DataDirectory.SiteKey(spelling, 1));
            Assert.Equal(DataDirectory.SiteLockDirectory(_root.Path, identity), DataDirectory.SiteLockDirectory(_root.Path, spelling));
        }

        [Theory]
        [InlineData("http://127.0.0.1:3000", "http://127.0.0.1:3001")]
        [InlineData("http://localhost:3000", "https://localhost:3000")]
        [InlineData("http://10.0.0.5:3000", "http://10.0.0.6:3000")]
        [InlineData("https://public.identity-test", "https://203.0.113.9")]
        [InlineData("https://x.example/a", "https://x.example/b")]
        public void Different_Sites_Stay_Apart(string first, string second)
        {
            Assert.NotEqual(SiteAddress.Identity(first), SiteAddress.Identity(second));
            Assert.NotEqual(DataDirectory.SiteLockDirectory(_root.Path, first), DataDirectory.SiteLockDirectory(_root.Path, second));
        }

        [Fact]
        public void Two_Spellings_Share_One_History()
        {
            SyncJournal byIp = SyncJournal.ForSite(_root.Path, "http://127.0.0.1:3000", 1);
            SyncJournal byName = SyncJournal.ForSite(_root.Path, "http://localhost:3000/", 1);
            Assert.Equal(byIp.RunsDirectory, byName.RunsDirectory);
            string runId = WriteRun(byIp, "http://127.0.0.1:3000");
            Assert.Equal(runId, byName.ReadRuns().Single().RunId);
        }

        [Fact]
        public void History_Written_Under_The_Old_Key_Stays_Readable_And_Restorable()
        {
            // Before the site identity, http://127.0.0.1:3000 kept its runs in a folder named after that spelling.
            const string baseUrl = "http://127.0.0.1:3000";
            string legacy = DataDirectory.LegacySiteDirectory(_root.Path, baseUrl, 1)!;
            Assert.NotNull(legacy);
            Assert.Contains("127.0.0.1_3000_1-", legacy);
            SyncJournal current = SyncJournal.ForSite(_root.Path, baseUrl, 1);
            string runId = WriteRun(current, baseUrl);
            Directory.CreateDirectory(legacy);
            Directory.Move(current.RunsDirectory, Path.Combine(legacy, "runs"));

            SyncJournal reopened = SyncJournal.ForSite(_root.Path, baseUrl, 1);
            Assert.Equal(runId, reopened.ReadRuns().Single().RunId);
            Assert.NotEmpty(reopened.ReadResults(new ResultQuery { RunId = runId }));
            Assert.NotNull(reopened.UnfinishedChannelIds(runId));

            // New runs go to the site's folder and are listed with the old ones.
            string next = WriteRun(reopened, baseUrl, JournalSamples.Epoch.AddHours(1));
            Assert.Equal(new[] { next, runId }, reopened.ReadRuns().Select(r => r.RunId));
        }
    }
}
