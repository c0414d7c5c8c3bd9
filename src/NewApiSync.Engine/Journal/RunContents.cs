using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;
using NewApiSync.Engine.Internal;
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

        // Intent lines not (yet) followed by their channel's outcome line, in the order they were written.
        private readonly List<(int ChannelId, ReadOnlyMemory<byte> Line, JournalLine Fields)> _openIntents = new();

        /// <summary>Channel lines a <see cref="LineSearch"/> skipped unparsed (they are not in <see cref="Tally"/>).</summary>
        public int SkippedLines { get; private set; }

        [MethodImpl(HotPath.Optimized)]
        public void Add(ReadOnlyMemory<byte> utf8, Func<JournalLine, bool> keep, bool withText, LineSearch? search = null)
        {
            // While an intent is open, every channel line is read: it may be that intent's outcome.
            if (search != null && _openIntents.Count == 0 && search.CannotMatch(utf8.Span))
            {
                SkippedLines++;
                return;
            }

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
                    if (line.ChannelId is int finished)
                    {
                        _openIntents.RemoveAll(i => i.ChannelId == finished);
                    }

                    AddChannel(utf8, line, keep);
                    break;
                case JournalLineType.Intent:
                    if (line.ChannelId is int pending)
                    {
                        _openIntents.RemoveAll(i => i.ChannelId == pending);
                        // A copy: the reader reuses its line buffer for the next line.
                        _openIntents.Add((pending, utf8.ToArray(), line));
                    }

                    break;
                default:
                    // Unknown line types come from newer versions of the format; ignore them.
                    break;
            }
        }

        /// <summary>
        /// Called after the last line: every intent whose outcome never arrived becomes its channel's record (as written:
        /// Cancelled, mayHaveWritten), unless a live writer may still be waiting for the reply.
        /// </summary>
        public void CloseOpenIntents(Func<JournalLine, bool> keep)
        {
            if (End is null && WriterAlive)
            {
                return;
            }

            foreach ((int _, ReadOnlyMemory<byte> utf8, JournalLine fields) in _openIntents)
            {
                AddChannel(utf8, fields, keep);
            }

            _openIntents.Clear();
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
