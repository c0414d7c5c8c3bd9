using System;
using System.Collections.Generic;
using System.Text.Json;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>What one pass over a run file found: its header and end records, channel counts, and the kept results.</summary>
    internal sealed class RunContents
    {
        public NewApiSyncRun? Header { get; private set; }

        public NewApiSyncRun? End { get; private set; }

        public List<NewApiSyncResult> Results { get; } = new();

        /// <summary>Each channel's latest outcome in the run.</summary>
        public RunTally Tally { get; } = new();

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

            return Tally.Summarize(header, finishedAt: null, interrupted: !WriterAlive);
        }

        private void AddChannel(ReadOnlyMemory<byte> utf8, JournalLine line, Func<JournalLine, bool> keep)
        {
            // Without a channel id and a status the line would read as channel 0, Succeeded: it is damage, not a record.
            if (line.ChannelId is null)
            {
                throw new JsonException("the channel line has no channelId");
            }

            if (line.Status is null)
            {
                throw new JsonException("the channel line has no known status");
            }

            if (keep(line))
            {
                Results.Add(JournalFormat.ReadResult(utf8));
            }

            if (line.ChannelId is int channelId && line.Status is ChannelResultStatus status)
            {
                Tally.Add(channelId, status, line.Changed);
            }
        }
    }
}
