using System;
using System.Collections.Generic;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>What one pass over a run file found: its header and end records, channel counts, and the kept results.</summary>
    internal sealed class RunContents
    {
        public NewApiSyncRun? Header { get; private set; }

        public NewApiSyncRun? End { get; private set; }

        public List<NewApiSyncResult> Results { get; } = new();

        /// <summary>Each channel's latest status in the run, in the order channels first appeared.</summary>
        public Dictionary<int, ChannelResultStatus> StatusByChannel { get; } = new();

        public int ChannelRecords { get; private set; }

        public int Changed { get; private set; }

        public bool WriterAlive { get; set; }

        public void Add(ReadOnlyMemory<byte> utf8, Func<JournalLine, bool> keep, bool withText)
        {
            JournalLine line = JournalLine.Read(utf8.Span, withText);
            switch (line.Type)
            {
                case JournalLineType.RunStart:
                    Header ??= JournalFormat.ReadRun(utf8);
                    break;
                case JournalLineType.RunEnd:
                    End = JournalFormat.ReadRun(utf8);
                    break;
                case JournalLineType.Channel:
                    AddChannel(utf8, line, keep);
                    break;
                default:
                    // Unknown line types come from newer versions of the format; ignore them.
                    break;
            }
        }

        /// <summary>The run-end record, or a summary counted from the channel lines when the run never ended.</summary>
        public NewApiSyncRun Summary(NewApiSyncRun header)
        {
            if (End != null)
            {
                return RunFile.WithHeader(End, header);
            }

            var counts = new int[4];
            foreach (ChannelResultStatus status in StatusByChannel.Values)
            {
                counts[(int)status]++;
            }

            return new NewApiSyncRun
            {
                RunId = header.RunId,
                Kind = header.Kind,
                BaseUrl = header.BaseUrl,
                UserId = header.UserId,
                Mode = header.Mode,
                StartedAt = header.StartedAt,
                WhatIf = header.WhatIf,
                PlannedChannelIds = header.PlannedChannelIds,
                // Planned but never reached channels still belong to the run's total.
                Total = Math.Max(StatusByChannel.Count, header.PlannedChannelIds?.Length ?? 0),
                Succeeded = counts[(int)ChannelResultStatus.Succeeded],
                Failed = counts[(int)ChannelResultStatus.Failed],
                Skipped = counts[(int)ChannelResultStatus.Skipped],
                Cancelled = counts[(int)ChannelResultStatus.Cancelled],
                Changed = Changed,
                FinishedAt = null,
                Interrupted = !WriterAlive,
            };
        }

        private void AddChannel(ReadOnlyMemory<byte> utf8, JournalLine line, Func<JournalLine, bool> keep)
        {
            if (keep(line))
            {
                Results.Add(JournalFormat.ReadResult(utf8));
            }

            ChannelRecords++;
            if (line.ChannelId is int channelId && line.Status is ChannelResultStatus status)
            {
                StatusByChannel[channelId] = status;
            }

            if (line.Changed)
            {
                Changed++;
            }
        }
    }
}
