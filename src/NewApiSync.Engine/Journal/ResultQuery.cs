using System;
using System.Collections.Generic;
using System.Globalization;
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

        /// <summary>Whether the channel name and error must be read from each line (only for Search).</summary>
        internal bool NeedsText => !string.IsNullOrEmpty(Search);

        /// <summary>Tests a channel line without deserializing it, so a filtered query over a large journal stays cheap.</summary>
        internal Func<JournalLine, bool> LineFilter()
        {
            ChannelResultStatus? status = Status;
            string? search = string.IsNullOrEmpty(Search) ? null : Search;
            HashSet<int>? ids = ChannelIds is { Count: > 0 } ? new HashSet<int>(ChannelIds) : null;
            return line =>
                (ids is null || (line.ChannelId is int id && ids.Contains(id))) &&
                (status is null || line.Status == status) &&
                (search is null ||
                 (line.ChannelId is int channelId && channelId.ToString(CultureInfo.InvariantCulture).IndexOf(search, StringComparison.OrdinalIgnoreCase) >= 0) ||
                 Contains(line.ChannelName, search) ||
                 Contains(line.Error, search));
        }

        private static bool Contains(string? text, string search) =>
            text != null && text.IndexOf(search, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
