using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Sync;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>Bad input from the user is refused with a message that names the problem, before any request is sent.</summary>
    public sealed class UserInputTests : IDisposable
    {
        private readonly SandboxServer _server = SandboxServer.Start();

        public void Dispose() => _server.Dispose();

        private int Port => _server.BaseUri.Port;

        [Theory]
        [InlineData("", "empty")]
        [InlineData("   ", "empty")]
        [InlineData("127.0.0.1:{port}", "not an absolute URL")]
        [InlineData("//127.0.0.1:{port}", "not an absolute URL")]
        [InlineData("/api/channel", "not an absolute URL")]
        [InlineData("ftp://127.0.0.1:{port}", "scheme 'ftp'")]
        [InlineData("file:///etc/passwd", "scheme 'file'")]
        [InlineData("ws://127.0.0.1:{port}", "scheme 'ws'")]
        [InlineData("http://admin:secret@127.0.0.1:{port}", "user name or password")]
        [InlineData("http://127.0.0.1:{port}/?p=1", "query or fragment")]
        [InlineData("http://127.0.0.1:{port}/#top", "query or fragment")]
        [InlineData("http://127.0.0.1:99999", "not an absolute URL")]
        public void A_Malformed_Base_Url_Is_Refused_With_What_Is_Wrong(string url, string says)
        {
            url = url.Replace("{port}", Port.ToString());
            var ex = Assert.ThrowsAny<ArgumentException>(() => new NewApiConnection(url, Sandboxes.Secure(_server.AccessToken), _server.UserId));
            Assert.Contains(says, ex.Message);
            Assert.Empty(_server.Requests);
        }

        [Theory]
        [InlineData("", 1, "access token is empty")]
        [InlineData("sbx-x", 0, "positive number")]
        [InlineData("sbx-x", -3, "positive number")]
        public void An_Empty_Token_Or_A_Non_Positive_User_Id_Is_Refused(string token, int userId, string says)
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => new NewApiConnection(_server.BaseUrl, Sandboxes.Secure(token), userId));
            Assert.Contains(says, ex.Message);
        }

        public static TheoryData<string, Action<RunOptions>> OutOfRange => new()
        {
            { nameof(RunOptions.Concurrency), o => o.Concurrency = 0 },
            { nameof(RunOptions.Concurrency), o => o.Concurrency = -1 },
            { nameof(RunOptions.Concurrency), o => o.Concurrency = RunLimits.MaxConcurrency + 1 },
            { nameof(RunOptions.Concurrency), o => o.Concurrency = int.MaxValue },
            { nameof(RunOptions.MaxRetries), o => o.MaxRetries = -1 },
            { nameof(RunOptions.MaxRetries), o => o.MaxRetries = RunLimits.MaxRetriesLimit + 1 },
            { nameof(RunOptions.RequestsPerMinute), o => o.RequestsPerMinute = 0 },
            { nameof(RunOptions.RequestsPerMinute), o => o.RequestsPerMinute = -20 },
            { nameof(RunOptions.RequestsPerMinute), o => o.RequestsPerMinute = RunLimits.MaxRequestsPerMinute + 1 },
            { nameof(RunOptions.RequestsPerMinute), o => o.RequestsPerMinute = int.MaxValue },
            { nameof(RunOptions.Burst), o => o.Burst = 0 },
            { nameof(RunOptions.Burst), o => o.Burst = RunLimits.MaxBurst + 1 },
            { nameof(RunOptions.ChannelTimeout), o => o.ChannelTimeout = TimeSpan.Zero },
            { nameof(RunOptions.ChannelTimeout), o => o.ChannelTimeout = TimeSpan.FromSeconds(-1) },
            { nameof(RunOptions.ChannelTimeout), o => o.ChannelTimeout = TimeSpan.FromSeconds(RunLimits.MaxChannelTimeoutSec + 1) },
            { nameof(RunOptions.RetryBaseDelay), o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(-1) },
        };

        [Theory]
        [MemberData(nameof(OutOfRange))]
        public void Out_Of_Range_Run_Options_Stop_The_Run_Before_Any_Request(string parameter, Action<RunOptions> spoil)
        {
            var options = new RunOptions();
            spoil(options);
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RunContext.Create(Sandboxes.Connect(_server), options));
            Assert.Equal(parameter, ex.ParamName);
            Assert.StartsWith(parameter + " must be", ex.Message);
            Assert.Empty(_server.Requests);
        }

        [Theory]
        [InlineData(new[] { "gpt-*", "" }, null, "-IncludeModel")]
        [InlineData(new[] { " " }, null, "-IncludeModel")]
        [InlineData(null, new[] { "\t" }, "-ExcludeModel")]
        [InlineData(null, new[] { "o1", null }, "-ExcludeModel")]
        public void Blank_Model_Filters_Are_Refused(string[]? include, string[]? exclude, string names)
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => new ModelFilter(include, exclude));
            Assert.Contains(names, ex.Message);
            Assert.Contains("empty pattern", ex.Message);
        }

        [Theory]
        [InlineData("gpt-4o", "")]
        [InlineData("  ", "gpt-4o")]
        [InlineData("gpt-4o", null)]
        public void Blank_Standard_Model_Names_Are_Refused(string first, string? second)
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => new RedirectPlanner(new[] { first, second! }));
            Assert.Contains("cannot be empty or white space", ex.Message);
        }

        [Fact]
        public void Duplicate_Standard_Names_Count_Once_First_Spelling_Wins()
        {
            // The redirect engine's documented contract: case and space variants of one name are one standard name, so a
            // model is never mapped twice for the same name (issue 7 asks for an error here; see the report).
            var planner = new RedirectPlanner(new[] { "gpt-4o", "GPT-4o", " gpt-4o ", "claude-4.5-sonnet" });
            Assert.Equal(new[] { "gpt-4o", "claude-4.5-sonnet" }, planner.StandardModels);
        }

        [Fact]
        public async Task Unknown_Channel_Ids_Fail_As_Not_Found_And_Nothing_Is_Written()
        {
            using var root = new TempDataRoot();
            SyncJournal journal = SyncJournal.ForSite(root.Path, _server.BaseUrl, _server.UserId);
            NewApiSyncRun run = await ReliabilityRuns.SyncIntoJournalAsync(Sandboxes.Connect(_server), journal, ReliabilityRuns.Fast(), ids: new[] { 4, 99_999, 123_456 }, mode: RunMode.Selected);

            Assert.Equal((1, 2), (run.Succeeded, run.Failed));
            List<NewApiSyncResult> records = journal.ReadResults(new ResultQuery { RunId = run.RunId }).ToList();
            Assert.All(records.Where(r => r.ChannelId != 4), r =>
            {
                Assert.Equal(ChannelResultStatus.Failed, r.Status);
                Assert.Equal(NewApiErrorKind.NotFound, r.ErrorKind);
                Assert.Contains(r.ChannelId.ToString(), r.Error);
            });
            // Not found is not transient: one look per unknown channel, and no write for any of them.
            Assert.Equal(1, _server.Requests.Count(r => r.Route == SandboxRoute.GetChannel && r.ChannelId == 99_999));
            Assert.DoesNotContain(_server.Updates, u => !u.Body.Contains("\"id\":4"));
        }

        [Fact]
        public void Blank_Or_Duplicate_Model_Names_Never_Reach_A_Write()
        {
            // Users' lists arrive through ChannelModelList; blanks vanish and duplicates count once, so a PUT never
            // carries "a,,a, ".
            Assert.Equal("a,b", ChannelModelList.From(new[] { "a", " ", "", null, "a", " b " }).ToWireString());
            Assert.Empty(ChannelModelList.From(new[] { " ", "\t" }));
            using NewApiClient client = Sandboxes.Client(_server);
            var ex = Assert.Throws<ArgumentException>(() =>
                client.UpdateChannelAsync(new ChannelUpdate(1) { Models = ChannelModelList.From(new[] { " " }) }, default).GetAwaiter().GetResult());
            Assert.Contains("cannot clear", ex.Message);
            Assert.Empty(_server.Requests);
        }
    }
}
