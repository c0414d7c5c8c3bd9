using System;
using System.Collections.Generic;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>Counts a run's channel outcomes (the latest record per channel wins) and turns them into its summary.</summary>
    internal sealed class RunTally
    {
        private readonly Dictionary<int, (ChannelResultStatus Status, bool Changed)> _byChannel = new();

        /// <summary>Each channel's latest status, in the order channels first appeared.</summary>
        public IEnumerable<KeyValuePair<int, ChannelResultStatus>> Statuses
        {
            get
            {
                foreach (KeyValuePair<int, (ChannelResultStatus Status, bool Changed)> channel in _byChannel)
                {
                    yield return new KeyValuePair<int, ChannelResultStatus>(channel.Key, channel.Value.Status);
                }
            }
        }

        public void Add(int channelId, ChannelResultStatus status, bool changed) => _byChannel[channelId] = (status, changed);

        public bool TryGetStatus(int channelId, out ChannelResultStatus status)
        {
            bool found = _byChannel.TryGetValue(channelId, out (ChannelResultStatus Status, bool Changed) channel);
            status = channel.Status;
            return found;
        }

        /// <summary>The header's fields plus the counts; planned but never reached channels still count in Total.</summary>
        public NewApiSyncRun Summarize(NewApiSyncRun header, DateTimeOffset? finishedAt, bool interrupted)
        {
            var run = new NewApiSyncRun
            {
                RunId = header.RunId,
                Kind = header.Kind,
                BaseUrl = header.BaseUrl,
                UserId = header.UserId,
                Mode = header.Mode,
                StartedAt = header.StartedAt,
                WhatIf = header.WhatIf,
                PlannedChannelIds = header.PlannedChannelIds,
                Total = Math.Max(_byChannel.Count, header.PlannedChannelIds?.Length ?? 0),
                FinishedAt = finishedAt,
                Interrupted = interrupted,
            };
            foreach ((ChannelResultStatus status, bool changed) in _byChannel.Values)
            {
                switch (status)
                {
                    case ChannelResultStatus.Succeeded: run.Succeeded++; break;
                    case ChannelResultStatus.Failed: run.Failed++; break;
                    case ChannelResultStatus.Skipped: run.Skipped++; break;
                    case ChannelResultStatus.Cancelled: run.Cancelled++; break;
                }

                if (changed)
                {
                    run.Changed++;
                }
            }

            return run;
        }
    }
}
