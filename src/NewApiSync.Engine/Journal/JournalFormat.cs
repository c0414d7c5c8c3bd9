using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// The on-disk journal format, which other tools read, so changes must stay backward compatible.
    /// <para>
    /// Layout: <c>&lt;data root&gt;/sites/&lt;site folder&gt;/runs/&lt;RunId&gt;.jsonl</c>, one UTF-8 JSON Lines file per run.
    /// RunIds start with the UTC start time (<c>20261123T192900123Z-3f2a9c</c>), so file names sort oldest to newest.
    /// Every line is one JSON object with a <c>"type"</c> property first; property names are camelCase, enums are strings,
    /// timestamps ISO 8601 with offset, derived values (Duration, Interrupted) are not stored.
    /// </para>
    /// <list type="number">
    /// <item><c>run-start</c> (always line 1): formatVersion, runId, kind, baseUrl, userId, mode, startedAt, whatIf,
    /// plannedChannelIds (int array or null).</item>
    /// <item><c>channel</c>, one per finished channel, in the order they finished: every NewApiSyncResult property
    /// (runId, kind, baseUrl, channelId, channelName, status, changed, oldModels, newModels, addedModels, removedModels,
    /// pendingRemovals, protectedModels, ignoredModels, consecutiveFailures, failingSince, oldModelMapping, newModelMapping,
    /// mayHaveWritten, replanned, reason, httpStatus, error, errorKind, attempts, startedAt, finishedAt). Files written before
    /// pendingRemovals and the properties after it existed lack them; readers take empty lists, 0 and null.</item>
    /// <item><c>intent</c> (format 1 readers ignore it as an unknown type), written and flushed before each write is sent:
    /// the same fields as a channel line, with oldModels/oldModelMapping from the fresh read just before the write, the
    /// intended newModels/newModelMapping, status Cancelled and mayHaveWritten true. The channel's later <c>channel</c> line
    /// replaces it; an intent with no later channel line (the process was killed mid-write) reads as that channel's record,
    /// so Restore-NewApiChannel can undo a write whose outcome was never recorded.</item>
    /// <item><c>run-end</c> (last line of a completed run): the NewApiSyncRun summary (runId, kind, baseUrl, userId, mode,
    /// startedAt, finishedAt, total, succeeded, failed, skipped, cancelled, changed, nextScheduledTime, whatIf).</item>
    /// </list>
    /// <para>
    /// A file without a run-end line is a run still being written, or one whose process died (Interrupted). The writer keeps
    /// the file open with FileShare.Read for the whole run, which holds an OS lock (a share lock on Windows, a shared flock on
    /// Unix); whoever can open the file with FileShare.None knows no writer holds it any more. On file systems where .NET takes no
    /// flock (NFS, SMB mounts on Unix, or DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1) an unfinished run of a live writer reads as
    /// Interrupted; pruning still never reaches it, because it only deletes the oldest runs beyond the retention count.
    /// Unknown properties and line types must be ignored by readers, so later versions can add them.
    /// </para>
    /// </summary>
    internal static class JournalFormat
    {
        public const int Version = 1;
        public const string FileExtension = ".jsonl";
        public const string RunStartType = "run-start";
        public const string ChannelType = "channel";
        public const string RunEndType = "run-end";
        public const string IntentType = "intent";

        public static readonly JsonSerializerOptions Options = CreateOptions();

        // Channel and model names stay readable (CJK, emoji) instead of \uXXXX; the files are never embedded in HTML.
        private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        // Header fields live in run-start; counts and outcome only in run-end.
        private static readonly HashSet<string> RunStartFields = new(StringComparer.Ordinal)
        {
            "runId", "kind", "baseUrl", "userId", "mode", "startedAt", "whatIf", "plannedChannelIds",
        };

        private static readonly HashSet<string> RunEndExcludedFields = new(StringComparer.Ordinal) { "plannedChannelIds", "interrupted" };

        private static JsonSerializerOptions CreateOptions()
        {
            var options = new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                IgnoreReadOnlyProperties = true,
                WriteIndented = false,
            };
            options.Converters.Add(new JsonStringEnumConverter());
            return options;
        }

        public static byte[] RunStartLine(NewApiSyncRun header) =>
            Line(RunStartType, header, name => RunStartFields.Contains(name), formatVersion: true);

        public static byte[] ChannelLine(NewApiSyncResult result) => Line(ChannelType, result, _ => true, formatVersion: false);

        public static byte[] IntentLine(NewApiSyncResult pending) => Line(IntentType, pending, _ => true, formatVersion: false);

        public static byte[] RunEndLine(NewApiSyncRun summary) =>
            Line(RunEndType, summary, name => !RunEndExcludedFields.Contains(name), formatVersion: false);

        /// <summary>The value of the line's "type" property, or null when it has none.</summary>
        public static string? TypeOf(JsonElement line) =>
            line.ValueKind == JsonValueKind.Object && line.TryGetProperty("type", out JsonElement type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;

        public static NewApiSyncRun ReadRun(JsonElement line) =>
            line.Deserialize<NewApiSyncRun>(Options) ?? throw new JsonException("The line holds null instead of a run.");

        public static NewApiSyncRun ReadRun(ReadOnlyMemory<byte> line) =>
            JsonSerializer.Deserialize<NewApiSyncRun>(line.Span, Options) ?? throw new JsonException("The line holds null instead of a run.");

        public static NewApiSyncResult ReadResult(ReadOnlyMemory<byte> line) =>
            JsonSerializer.Deserialize<NewApiSyncResult>(line.Span, Options) ?? throw new JsonException("The line holds null instead of a channel result.");

        // The record's own properties come from the serializer (so new properties on the result types reach the journal
        // without touching this code); "type" is written first so a reader can dispatch before reading the rest.
        private static byte[] Line<T>(string type, T value, Func<string, bool> include, bool formatVersion)
        {
            using JsonDocument document = JsonSerializer.SerializeToDocument(value, Options);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("type", type);
                if (formatVersion)
                {
                    writer.WriteNumber("formatVersion", Version);
                }

                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    if (include(property.Name))
                    {
                        property.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            buffer.WriteByte((byte)'\n');
            return buffer.ToArray();
        }
    }
}
