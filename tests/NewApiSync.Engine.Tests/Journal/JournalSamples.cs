using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Tests.Journal
{
    /// <summary>Runs and channel results as the sync runner would write them.</summary>
    internal static class JournalSamples
    {
        public const string BaseUrl = "https://newapi.example.com";
        public const int UserId = 1;
        public static readonly DateTimeOffset Epoch = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

        public static SyncJournal OpenJournal(string root, List<string>? warnings = null) =>
            SyncJournal.ForSite(root, BaseUrl, UserId, warnings is null ? null : warnings.Add);

        public static NewApiSyncRun Header(DateTimeOffset startedAt, RunKind kind = RunKind.Sync, RunMode mode = RunMode.All,
            IEnumerable<int>? planned = null, bool whatIf = false) => new()
        {
            RunId = RunIds.New(startedAt),
            Kind = kind,
            BaseUrl = BaseUrl,
            UserId = UserId,
            Mode = mode,
            StartedAt = startedAt,
            WhatIf = whatIf,
            PlannedChannelIds = planned?.ToArray(),
        };

        public static NewApiSyncResult Result(NewApiSyncRun run, int channelId, ChannelResultStatus status, string? error = null) => new()
        {
            RunId = run.RunId,
            Kind = run.Kind,
            BaseUrl = BaseUrl,
            ChannelId = channelId,
            ChannelName = "channel-" + channelId,
            Status = status,
            Changed = status == ChannelResultStatus.Succeeded,
            OldModels = new[] { "gpt-4o" },
            NewModels = new[] { "gpt-4o", "gpt-4.1" },
            AddedModels = new[] { "gpt-4.1" },
            OldModelMapping = "{\"gpt-4\":\"gpt-4o\"}",
            NewModelMapping = "{}",
            Error = error ?? (status == ChannelResultStatus.Failed ? "upstream returned 401 for channel " + channelId : null),
            HttpStatus = status == ChannelResultStatus.Failed ? 401 : 200,
            Attempts = 1,
            StartedAt = run.StartedAt.AddSeconds(channelId),
            FinishedAt = run.StartedAt.AddSeconds(channelId + 1),
        };

        public static NewApiSyncRun Summary(NewApiSyncRun header, IReadOnlyCollection<NewApiSyncResult> results)
        {
            var tally = new RunTally();
            foreach (NewApiSyncResult result in results)
            {
                tally.Add(result.ChannelId, result.Status, result.Changed);
            }

            NewApiSyncRun summary = tally.Summarize(header, header.StartedAt.AddMinutes(5), interrupted: false);
            summary.NextScheduledTime = header.StartedAt.AddHours(6);
            return summary;
        }

        /// <summary>Writes a whole run; statuses cycle through <paramref name="statuses"/> by channel.</summary>
        public static NewApiSyncRun WriteRun(SyncJournal journal, DateTimeOffset startedAt, int channels, RunKind kind = RunKind.Sync,
            RunMode mode = RunMode.All, bool complete = true, params ChannelResultStatus[] statuses)
        {
            if (statuses.Length == 0)
            {
                statuses = new[] { ChannelResultStatus.Succeeded };
            }

            NewApiSyncRun header = Header(startedAt, kind, mode, Enumerable.Range(1, channels));
            using JournalRunWriter writer = journal.BeginRun(header);
            for (int id = 1; id <= channels; id++)
            {
                writer.Append(Result(header, id, statuses[(id - 1) % statuses.Length]));
            }

            if (complete)
            {
                writer.Complete(writer.Summary(startedAt.AddMinutes(5), startedAt.AddHours(6)));
            }

            return header;
        }
    }
}
