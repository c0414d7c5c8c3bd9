using System;
using System.Collections.Generic;
using System.IO;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Sync;

namespace NewApiSync.Engine.Tests
{
    /// <summary>
    /// Questions only tests ask of production types, answered from what those types already expose (issue 15: no
    /// test-only members on production types).
    /// </summary>
    internal static class TestOnlyMembers
    {
        extension(SyncPlan plan)
        {
            /// <summary>True when the set of models differs and nothing forbids the write.</summary>
            public bool NeedsWrite => plan.SkipReason is null && !plan.Diff.IsEmpty;
        }

        /// <summary>The reason a standard name got no entry, or null when it got one or was not planned.</summary>
        public static RedirectSkipReason? UnmatchedReason(this RedirectPlan plan, string standardName)
        {
            foreach (KeyValuePair<string, RedirectSkipReason> skip in plan.Unmatched)
            {
                if (string.Equals(skip.Key, standardName, StringComparison.Ordinal))
                {
                    return skip.Value;
                }
            }

            return null;
        }

        /// <summary>How many channel records the writer's file holds so far, read back as a reader of the journal reads it.</summary>
        public static int ChannelRecords(this JournalRunWriter writer) => Read(writer).Results.Count;

        /// <summary>
        /// The summary of what was appended so far (latest record per channel; Total includes planned channels never
        /// reached), for <see cref="JournalRunWriter.Complete"/> in tests that keep no counts of their own.
        /// </summary>
        public static NewApiSyncRun Summary(this JournalRunWriter writer, DateTimeOffset finishedAt, DateTimeOffset? nextScheduledTime = null)
        {
            RunContents contents = Read(writer);
            NewApiSyncRun summary = contents.Tally.Summarize(contents.Header!, finishedAt, interrupted: false);
            summary.NextScheduledTime = nextScheduledTime;
            return summary;
        }

        private static RunContents Read(JournalRunWriter writer) =>
            RunFile.For(Path.GetDirectoryName(writer.FilePath)!, writer.RunId).Read(_ => true, withText: false, _ => { })
            ?? throw new InvalidOperationException($"The run file {writer.FilePath} could not be read.");
    }
}
