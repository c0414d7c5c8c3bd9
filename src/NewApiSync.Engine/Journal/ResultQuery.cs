using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// Which channel records to read. The run filters are those of <see cref="RunQuery"/>; when none of RunId, Last and Since
    /// is set the query reads only the newest run of <see cref="RunQuery.Kind"/> (Sync when that is null too), which is what
    /// Get-NewApiSyncHistory shows by default.
    /// </summary>
    public sealed class ResultQuery : RunQuery
    {
        /// <summary>Only records with this status; null means All.</summary>
        public ChannelResultStatus? Status { get; set; }

        /// <summary>Case-insensitive substring of the channel name, the channel id as text, or the error message.</summary>
        public string? Search { get; set; }

        /// <summary>Only these channels; null or empty means every channel.</summary>
        public IReadOnlyCollection<int>? ChannelIds { get; set; }

        /// <summary>The runs whose records are read, with the default (the newest Sync run) filled in.</summary>
        internal RunQuery RunScope()
        {
            bool scoped = RunId != null || Last != null || Since != null;
            return new RunQuery
            {
                RunId = RunId,
                Kind = scoped ? Kind : Kind ?? RunKind.Sync,
                Last = scoped ? Last : 1,
                Since = Since,
            };
        }

        /// <summary>Tests a channel line without deserializing it, so a filtered query over a large journal stays cheap.</summary>
        internal Func<JsonElement, bool> LineFilter()
        {
            ChannelResultStatus? status = Status;
            string? search = string.IsNullOrEmpty(Search) ? null : Search;
            HashSet<int>? ids = ChannelIds is { Count: > 0 } ? new HashSet<int>(ChannelIds) : null;
            return line =>
            {
                int channelId = line.TryGetProperty("channelId", out JsonElement id) && id.TryGetInt32(out int value) ? value : int.MinValue;
                if (ids != null && !ids.Contains(channelId))
                {
                    return false;
                }

                if (status != null &&
                    !(line.TryGetProperty("status", out JsonElement s) && s.ValueKind == JsonValueKind.String &&
                      string.Equals(s.GetString(), status.Value.ToString(), StringComparison.OrdinalIgnoreCase)))
                {
                    return false;
                }

                return search is null ||
                       channelId.ToString(CultureInfo.InvariantCulture).IndexOf(search, StringComparison.OrdinalIgnoreCase) >= 0 ||
                       Contains(line, "channelName", search) ||
                       Contains(line, "error", search);
            };
        }

        private static bool Contains(JsonElement line, string property, string search) =>
            line.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String &&
            value.GetString()!.IndexOf(search, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
