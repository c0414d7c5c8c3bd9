using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// What a channel's record says when its write was not made: under -WhatIf it is the preview of a change, so it
    /// reads as one (Succeeded, Changed, WhatIf, and a reason naming the models) and
    /// <c>-WhatIf | Where-Object Changed</c> lists exactly the channels that would change; at a prompt answered No it
    /// is Skipped and unchanged.
    /// </summary>
    public static class RunPreview
    {
        /// <summary>The reason of a channel whose change was declined at the prompt.</summary>
        public const string DeclinedReason = "Declined at the prompt; nothing written.";

        /// <summary>True for a record whose change was declined at the prompt (no write was made).</summary>
        public static bool IsDeclined(NewApiSyncResult result) =>
            result.Status == ChannelResultStatus.Skipped && !result.WhatIf && string.Equals(result.Reason, DeclinedReason, System.StringComparison.Ordinal);

        /// <summary>How many names a preview line lists before it says how many more there are.</summary>
        public const int NamesShown = 10;

        /// <summary>Marks the record for a write that ShouldProcess refused; <paramref name="change"/> says what the write would do.</summary>
        public static NewApiSyncResult NotWritten(NewApiSyncResult result, string change)
        {
            if (result.WhatIf)
            {
                result.Status = ChannelResultStatus.Succeeded;
                result.Changed = true;
                result.Reason = "WhatIf: would " + change + ".";
            }
            else
            {
                result.Status = ChannelResultStatus.Skipped;
                result.Changed = false;
                result.Reason = DeclinedReason;
            }

            return result;
        }

        /// <summary>"add gpt-5, gpt-5-mini; remove gpt-4-turbo", or null when nothing is added or removed.</summary>
        public static string? ModelChanges(IReadOnlyCollection<string> added, IReadOnlyCollection<string> removed)
        {
            var parts = new List<string>();
            if (added.Count > 0)
            {
                parts.Add("add " + Names(added));
            }

            if (removed.Count > 0)
            {
                parts.Add("remove " + Names(removed));
            }

            return parts.Count == 0 ? null : string.Join("; ", parts);
        }

        private static string Names(IReadOnlyCollection<string> names) =>
            string.Join(", ", names.Take(NamesShown)) + (names.Count > NamesShown ? $" and {names.Count - NamesShown} more" : string.Empty);
    }
}
