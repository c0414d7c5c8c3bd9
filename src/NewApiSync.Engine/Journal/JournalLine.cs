using System;
using System.Runtime.CompilerServices;
using System.Text.Json;
using NewApiSync.Engine.Internal;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// The few top-level fields of a journal line that filtering and counting need, read in one forward pass without
    /// building a document, so a query over 200,000 lines only deserializes the lines it returns.
    /// </summary>
    internal struct JournalLine
    {
        public JournalLineType Type;
        public int? ChannelId;
        public ChannelResultStatus? Status;
        public bool Changed;
        public string? ChannelName;
        public string? Error;

        /// <summary>
        /// Reads and fully validates one line; the names and errors are only materialized when <paramref name="withText"/>.
        /// Throws <see cref="JsonException"/> for anything that is not exactly one JSON object.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public static JournalLine Read(ReadOnlySpan<byte> utf8, bool withText)
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The line is not a JSON object.");
            }

            var line = new JournalLine();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    line.Type = reader.TokenType != JsonTokenType.String ? JournalLineType.Unknown
                        : reader.ValueTextEquals("channel"u8) ? JournalLineType.Channel
                        : reader.ValueTextEquals("run-start"u8) ? JournalLineType.RunStart
                        : reader.ValueTextEquals("run-end"u8) ? JournalLineType.RunEnd
                        : reader.ValueTextEquals("intent"u8) ? JournalLineType.Intent
                        : JournalLineType.Unknown;
                }
                else if (reader.ValueTextEquals("channelId"u8))
                {
                    reader.Read();
                    line.ChannelId = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int id) ? id : null;
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    line.Status = ReadStatus(ref reader);
                }
                else if (reader.ValueTextEquals("changed"u8))
                {
                    reader.Read();
                    line.Changed = reader.TokenType == JsonTokenType.True;
                }
                else if (withText && reader.ValueTextEquals("channelName"u8))
                {
                    reader.Read();
                    line.ChannelName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (withText && reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    line.Error = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else
                {
                    reader.Read();
                }

                // Steps over an object or array value (a no-op after a plain value).
                reader.Skip();
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new JsonException("The line holds more than one JSON object.");
            }

            return line;
        }

        private static ChannelResultStatus? ReadStatus(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return null;
            }

            if (reader.ValueTextEquals("Succeeded"u8))
            {
                return ChannelResultStatus.Succeeded;
            }

            if (reader.ValueTextEquals("Failed"u8))
            {
                return ChannelResultStatus.Failed;
            }

            if (reader.ValueTextEquals("Skipped"u8))
            {
                return ChannelResultStatus.Skipped;
            }

            if (reader.ValueTextEquals("Cancelled"u8))
            {
                return ChannelResultStatus.Cancelled;
            }

            // Another tool may have written a different casing.
            return Enum.TryParse(reader.GetString(), ignoreCase: true, out ChannelResultStatus status) && Enum.IsDefined(typeof(ChannelResultStatus), status)
                ? status
                : null;
        }
    }
}
