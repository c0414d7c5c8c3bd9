using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using Xunit;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Journal
{
    public sealed class JournalQueryTests : IDisposable
    {
        private static readonly ChannelResultStatus[] AllStatuses =
        {
            ChannelResultStatus.Succeeded, ChannelResultStatus.Failed, ChannelResultStatus.Skipped, ChannelResultStatus.Cancelled,
        };

        private readonly TempDataRoot _root = new();
        private readonly SyncJournal _journal;
        private readonly NewApiSyncRun _olderSync;
        private readonly NewApiSyncRun _redirect;
        private readonly NewApiSyncRun _newerSync;
        private readonly NewApiSyncRun _newestClear;

        public JournalQueryTests()
        {
            _journal = OpenJournal(_root.Path);
            _olderSync = WriteRun(_journal, Epoch, 8, statuses: AllStatuses);
            _redirect = WriteRun(_journal, Epoch.AddHours(1), 4, RunKind.Redirect);
            _newerSync = WriteRun(_journal, Epoch.AddHours(2), 12, statuses: AllStatuses);
            _newestClear = WriteRun(_journal, Epoch.AddHours(3), 2, RunKind.Clear);
        }

        public void Dispose() => _root.Dispose();

        [Fact]
        public void The_Default_Result_Query_Reads_The_Last_Sync_Run()
        {
            List<NewApiSyncResult> results = _journal.ReadResults().ToList();
            Assert.Equal(12, results.Count);
            Assert.All(results, r => Assert.Equal(_newerSync.RunId, r.RunId));
            Assert.Equal(Enumerable.Range(1, 12), results.Select(r => r.ChannelId));
        }

        [Fact]
        public void A_Kind_Alone_Reads_The_Last_Run_Of_That_Kind()
        {
            Assert.All(_journal.ReadResults(new ResultQuery { Kind = RunKind.Redirect }), r => Assert.Equal(_redirect.RunId, r.RunId));
            Assert.Equal(4, _journal.ReadResults(new ResultQuery { Kind = RunKind.Redirect }).Count());
        }

        [Theory]
        [InlineData(ChannelResultStatus.Succeeded, new[] { 1, 5, 9 })]
        [InlineData(ChannelResultStatus.Failed, new[] { 2, 6, 10 })]
        [InlineData(ChannelResultStatus.Skipped, new[] { 3, 7, 11 })]
        [InlineData(ChannelResultStatus.Cancelled, new[] { 4, 8, 12 })]
        public void Status_Filters_The_Records(ChannelResultStatus status, int[] expected)
        {
            List<NewApiSyncResult> results = _journal.ReadResults(new ResultQuery { Status = status }).ToList();
            Assert.Equal(expected, results.Select(r => r.ChannelId));
            Assert.All(results, r => Assert.Equal(status, r.Status));
        }

        [Theory]
        [InlineData("CHANNEL-1", new[] { 1, 10, 11, 12 })] // name, case-insensitive
        [InlineData("11", new[] { 11 })] // channel id as text
        [InlineData("401 FOR CHANNEL 6", new[] { 6 })] // error message, case-insensitive
        public void Search_Matches_Name_Id_And_Error(string search, int[] expected)
        {
            Assert.Equal(expected, _journal.ReadResults(new ResultQuery { Search = search }).Select(r => r.ChannelId));
        }

        [Fact]
        public void Search_Finds_An_Error_Text_That_Is_Not_In_The_Name_Or_Id()
        {
            NewApiSyncRun header = Header(Epoch.AddHours(4));
            using (JournalRunWriter writer = _journal.BeginRun(header))
            {
                writer.Append(Result(header, 50, ChannelResultStatus.Failed, error: "Upstream quota exhausted"));
                writer.Append(Result(header, 51, ChannelResultStatus.Failed));
            }

            Assert.Equal(new[] { 50 }, _journal.ReadResults(new ResultQuery { Search = "QUOTA" }).Select(r => r.ChannelId));
        }

        [Fact]
        public void ChannelIds_Status_And_Search_Combine()
        {
            var query = new ResultQuery { ChannelIds = new[] { 2, 3, 10, 99 }, Status = ChannelResultStatus.Failed, Last = 10 };
            Assert.Equal(new[] { (_newerSync.RunId, 2), (_newerSync.RunId, 10), (_olderSync.RunId, 2) },
                _journal.ReadResults(query).Select(r => (r.RunId, r.ChannelId)));
            query.Search = "channel-10";
            Assert.Equal(new[] { 10 }, _journal.ReadResults(query).Select(r => r.ChannelId));
        }

        [Fact]
        public void RunId_Reads_That_Run_Of_Any_Kind()
        {
            Assert.Equal(8, _journal.ReadResults(new ResultQuery { RunId = _olderSync.RunId }).Count());
            Assert.Equal(_redirect.RunId, Assert.Single(_journal.ReadRuns(new RunQuery { RunId = _redirect.RunId })).RunId);
            Assert.Empty(_journal.ReadRuns(new RunQuery { RunId = RunIds.New(Epoch.AddDays(9)) }));
        }

        [Fact]
        public void Last_Counts_Runs_Newest_First_After_The_Kind_Filter()
        {
            Assert.Equal(new[] { _newestClear.RunId, _newerSync.RunId }, _journal.ReadRuns(new RunQuery { Last = 2 }).Select(r => r.RunId));
            Assert.Equal(new[] { _newerSync.RunId, _olderSync.RunId },
                _journal.ReadRuns(new RunQuery { Last = 2, Kind = RunKind.Sync }).Select(r => r.RunId));
            Assert.Equal(2 + 12, _journal.ReadResults(new ResultQuery { Last = 2 }).Count());
        }

        [Fact]
        public void Since_Keeps_Runs_Started_At_Or_After_It()
        {
            Assert.Equal(new[] { _newestClear.RunId, _newerSync.RunId, _redirect.RunId },
                _journal.ReadRuns(new RunQuery { Since = _redirect.StartedAt }).Select(r => r.RunId));
            Assert.Equal(new[] { _newerSync.RunId },
                _journal.ReadRuns(new RunQuery { Since = Epoch.AddMinutes(30), Kind = RunKind.Sync }).Select(r => r.RunId));
            Assert.Equal(4 + 12 + 2, _journal.ReadResults(new ResultQuery { Since = Epoch.AddMinutes(1) }).Count());
        }

        [Fact]
        public void ReadRuns_Returns_Summaries_Newest_First_From_The_Run_End_Lines()
        {
            List<NewApiSyncRun> runs = _journal.ReadRuns().ToList();
            Assert.Equal(new[] { _newestClear.RunId, _newerSync.RunId, _redirect.RunId, _olderSync.RunId }, runs.Select(r => r.RunId));
            NewApiSyncRun sync = runs[1];
            Assert.Equal((RunKind.Sync, 12, 3, 3, 3, 3, 3), (sync.Kind, sync.Total, sync.Succeeded, sync.Failed, sync.Skipped, sync.Cancelled, sync.Changed));
            Assert.Equal(_newerSync.StartedAt.AddMinutes(5), sync.FinishedAt);
            Assert.Equal(_newerSync.StartedAt.AddHours(6), sync.NextScheduledTime);
            Assert.Equal(TimeSpan.FromMinutes(5), sync.Duration);
            Assert.Equal(Enumerable.Range(1, 12), sync.PlannedChannelIds!);
            Assert.Equal((BaseUrl, UserId, RunMode.All, false), (sync.BaseUrl, sync.UserId, sync.Mode, sync.Interrupted));
        }

        [Fact]
        public void Bad_Filters_Are_Rejected_With_A_Specific_Message()
        {
            Assert.Contains("Last must be at least 1", Assert.Throws<ArgumentException>(() => _journal.ReadRuns(new RunQuery { Last = 0 })).Message);
            Assert.Contains("not a run id", Assert.Throws<ArgumentException>(() => _journal.ReadResults(new ResultQuery { RunId = "../x" })).Message);
        }

        [Fact]
        public void LastRun_Skips_WhatIf_Runs_And_With_FullRunsOnly_Selected_And_Interrupted_Ones()
        {
            NewApiSyncRun selected = WriteRun(_journal, Epoch.AddHours(5), 1, mode: RunMode.Selected);
            NewApiSyncRun interrupted = WriteRun(_journal, Epoch.AddHours(6), 1, mode: RunMode.IfDue, complete: false);
            NewApiSyncRun whatIf = Header(Epoch.AddHours(7), whatIf: true);
            using (JournalRunWriter writer = _journal.BeginRun(whatIf))
            {
                writer.Complete(Summary(whatIf, Array.Empty<NewApiSyncResult>()));
            }

            Assert.Equal(interrupted.RunId, _journal.LastRun(RunKind.Sync)!.RunId);
            NewApiSyncRun full = _journal.LastRun(RunKind.Sync, fullRunsOnly: true)!;
            Assert.Equal(_newerSync.RunId, full.RunId);
            Assert.Equal(_newerSync.StartedAt.AddMinutes(5), full.FinishedAt);
            Assert.Equal(_redirect.RunId, _journal.LastRun(RunKind.Redirect)!.RunId);
            Assert.Null(_journal.LastRun(RunKind.Restore));
            Assert.NotEqual(selected.RunId, full.RunId);
        }

        [Fact]
        public void LastRun_Ignores_A_Run_Still_Being_Written()
        {
            NewApiSyncRun header = Header(Epoch.AddHours(5));
            using JournalRunWriter live = _journal.BeginRun(header);
            Assert.Equal(_newerSync.RunId, _journal.LastRun(RunKind.Sync)!.RunId);
        }

        [Fact]
        public void UnfinishedChannelIds_Are_Planned_Minus_Succeeded_And_Skipped_Plus_Unplanned_Failures()
        {
            NewApiSyncRun header = Header(Epoch.AddHours(5), planned: new[] { 1, 2, 3, 4, 5 });
            using (JournalRunWriter writer = _journal.BeginRun(header))
            {
                writer.Append(Result(header, 1, ChannelResultStatus.Succeeded));
                writer.Append(Result(header, 2, ChannelResultStatus.Failed));
                writer.Append(Result(header, 3, ChannelResultStatus.Skipped));
                writer.Append(Result(header, 4, ChannelResultStatus.Cancelled));
                writer.Append(Result(header, 9, ChannelResultStatus.Failed));
            }

            Assert.Equal(new[] { 2, 4, 5, 9 }, _journal.UnfinishedChannelIds(header.RunId));
            Assert.Equal(new[] { 2, 4, 6, 8, 10, 12 }, _journal.UnfinishedChannelIds(_newerSync.RunId));
            Assert.Contains("no readable run", Assert.Throws<ArgumentException>(() => _journal.UnfinishedChannelIds(RunIds.New(Epoch.AddDays(9)))).Message);
        }

        [Fact]
        public void Sites_Differing_Only_In_User_Id_Have_Separate_Journals()
        {
            SyncJournal otherUser = SyncJournal.ForSite(_root.Path, BaseUrl + "/", UserId + 1);
            SyncJournal sameSite = SyncJournal.ForSite(_root.Path, "HTTPS://NEWAPI.EXAMPLE.COM/", UserId);
            Assert.Empty(otherUser.ReadRuns());
            Assert.Equal(4, sameSite.ReadRuns().Count());
        }
    }
}
