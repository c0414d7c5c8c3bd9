using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// Each channel's standing across a site's sync runs, read from the journal newest run first: its latest outcome, how
    /// many sync runs in a row it has failed and since when, and the removals its latest sync left pending (SyncMode
    /// AddOnly). Cancelled records (runs stopped before or while the channel ran) say nothing about the channel and are
    /// passed over; a Succeeded or Skipped record ends a failure streak. Only the runs the journal still keeps
    /// (HistoryRetention) count, so a streak can be longer than the journal shows.
    /// </summary>
    public sealed class ChannelHealth
    {
        private readonly Dictionary<int, Standing> _byChannel;

        private ChannelHealth(Dictionary<int, Standing> byChannel) => _byChannel = byChannel;

        /// <summary>
        /// Reads the sync runs of <paramref name="journal"/>, newest first. With <paramref name="channelIds"/> only those
        /// channels are read, and the walk stops as soon as each of them is settled (its streak has ended), which is
        /// usually within the newest run; without, every kept sync run is read. Damaged lines and files are skipped (and
        /// warned about).
        /// </summary>
        public static ChannelHealth Read(SyncJournal journal, IReadOnlyCollection<int>? channelIds = null)
        {
            if (journal is null)
            {
                throw new ArgumentNullException(nameof(journal));
            }

            var byChannel = new Dictionary<int, Standing>();
            var settled = new HashSet<int>();
            HashSet<int>? wanted = channelIds is null ? null : new HashSet<int>(channelIds);
            foreach (RunFile file in RunFile.NewestFirst(journal.RunsDirectory))
            {
                if (wanted is not null && wanted.All(settled.Contains))
                {
                    break;
                }

                NewApiSyncRun? header = file.ReadHeader(journal.Warn);
                if (header is null || header.Kind != RunKind.Sync || header.WhatIf)
                {
                    continue;
                }

                RunContents? contents = file.Read(line => line.ChannelId is int id && !settled.Contains(id) && (wanted is null || wanted.Contains(id)), withText: false, journal.Warn);
                if (contents is null)
                {
                    continue;
                }

                // The last record of a channel in a run is its outcome in that run.
                var latestInRun = new Dictionary<int, NewApiSyncResult>();
                foreach (NewApiSyncResult result in contents.Results)
                {
                    latestInRun[result.ChannelId] = result;
                }

                foreach (NewApiSyncResult result in latestInRun.Values)
                {
                    if (result.Status == ChannelResultStatus.Cancelled)
                    {
                        continue;
                    }

                    // A channel is unsettled only while every outcome seen so far, newest first, is a failure.
                    if (!byChannel.TryGetValue(result.ChannelId, out Standing? standing))
                    {
                        byChannel[result.ChannelId] = new Standing(result);
                    }
                    else if (result.Status == ChannelResultStatus.Failed)
                    {
                        standing.FailuresInARow++;
                        standing.FailingSince = result.StartedAt;
                        continue;
                    }

                    if (result.Status != ChannelResultStatus.Failed)
                    {
                        settled.Add(result.ChannelId);
                    }
                }
            }

            return new ChannelHealth(byChannel);
        }

        /// <summary>How many sync runs in a row the channel has failed up to now (0 when its latest outcome is not a failure).</summary>
        public int FailuresInARow(int channelId) => _byChannel.TryGetValue(channelId, out Standing? s) ? s.FailuresInARow : 0;

        /// <summary>When the first sync run of the channel's current failure streak started; null when it is not failing.</summary>
        public DateTimeOffset? FailingSince(int channelId) => _byChannel.TryGetValue(channelId, out Standing? s) ? s.FailingSince : null;

        /// <summary>True when the channel's latest sync outcome is a failure.</summary>
        public bool IsFailing(int channelId) => FailuresInARow(channelId) > 0;

        /// <summary>
        /// The latest record of every channel failing now, with ConsecutiveFailures and FailingSince filled in from the
        /// streak, longest streak first.
        /// </summary>
        public IReadOnlyList<NewApiSyncResult> Failing() =>
            _byChannel.Values.Where(s => s.FailuresInARow > 0)
                .Select(s =>
                {
                    s.Latest.ConsecutiveFailures = s.FailuresInARow;
                    s.Latest.FailingSince = s.FailingSince;
                    return s.Latest;
                })
                .OrderByDescending(r => r.ConsecutiveFailures).ThenBy(r => r.ChannelId)
                .ToArray();

        /// <summary>
        /// The latest sync record of every channel whose latest successful sync left removals pending (SyncMode AddOnly),
        /// by channel id. A channel whose latest sync failed is judged by that failure, so it is not listed.
        /// </summary>
        public IReadOnlyList<NewApiSyncResult> WithPendingRemovals() =>
            _byChannel.Values.Select(s => s.Latest)
                .Where(r => r.Status == ChannelResultStatus.Succeeded && r.PendingRemovals is { Length: > 0 })
                .OrderBy(r => r.ChannelId)
                .ToArray();

        private sealed class Standing
        {
            public Standing(NewApiSyncResult latest)
            {
                Latest = latest;
                if (latest.Status == ChannelResultStatus.Failed)
                {
                    FailuresInARow = 1;
                    FailingSince = latest.StartedAt;
                }
            }

            public NewApiSyncResult Latest { get; }

            public int FailuresInARow { get; set; }

            public DateTimeOffset? FailingSince { get; set; }
        }
    }
}
