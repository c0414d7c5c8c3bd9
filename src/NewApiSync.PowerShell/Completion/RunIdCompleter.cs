using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>Completes the ids of the current site's recent runs from its journal, newest first, each described.</summary>
    public sealed class RunIdCompleter : SiteCompleter
    {
        /// <summary>How many of the newest runs are offered; older ones are found with Get-NewApiSyncHistory -Run.</summary>
        public const int RecentRuns = 30;

        protected override IEnumerable<CompletionResult> Complete(NewApiConnection connection, string word)
        {
            WildcardPattern pattern = CompletionSupport.PrefixPattern(word);
            SyncJournal journal = SyncJournal.ForSite(NewApiCmdlet.DataRootFor(connection), connection.BaseUrl, connection.UserId);
            return journal.ReadRuns(new RunQuery { Last = RecentRuns })
                .Where(run => pattern.IsMatch(run.RunId))
                .Select(run => new CompletionResult(run.RunId, run.RunId, CompletionResultType.ParameterValue, Describe(run)));
        }

        private static string Describe(NewApiSyncRun run) =>
            string.Format(
                CultureInfo.InvariantCulture,
                "{0} {1} {2:yyyy-MM-dd HH:mm}: {3} ok, {4} failed, {5} skipped, {6} cancelled{7}",
                run.Kind,
                run.Mode,
                run.StartedAt.ToLocalTime(),
                run.Succeeded,
                run.Failed,
                run.Skipped,
                run.Cancelled,
                run.Interrupted ? " (interrupted)" : string.Empty);
    }
}
