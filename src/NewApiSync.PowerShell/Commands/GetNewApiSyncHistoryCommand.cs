using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.PowerShell.Completion;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Reads a site's journal: the channel records of runs (by default the last sync run), or with -Run the runs'
    /// summaries. The current connection's site, or -BaseUrl to read a journal without connecting.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NewApiSyncHistory", DefaultParameterSetName = RecordsSet)]
    [OutputType(typeof(NewApiSyncResult), ParameterSetName = new[] { RecordsSet, SiteRecordsSet })]
    [OutputType(typeof(NewApiSyncRun), ParameterSetName = new[] { RunsSet, SiteRunsSet })]
    public sealed class GetNewApiSyncHistoryCommand : NewApiConnectedCmdlet
    {
        public const string RecordsSet = "Records";
        public const string RunsSet = "Runs";
        public const string SiteRecordsSet = "SiteRecords";
        public const string SiteRunsSet = "SiteRuns";

        /// <summary>Run summaries (NewApiSyncRun) instead of channel records.</summary>
        [Parameter(Mandatory = true, ParameterSetName = RunsSet)]
        [Parameter(Mandatory = true, ParameterSetName = SiteRunsSet)]
        public SwitchParameter Run { get; set; }

        /// <summary>Read this site's journal without connecting to it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SiteRecordsSet)]
        [Parameter(Mandatory = true, ParameterSetName = SiteRunsSet)]
        [ValidateNotNullOrEmpty]
        public string BaseUrl { get; set; } = null!;

        /// <summary>The user id the journal was written for (with -BaseUrl).</summary>
        [Parameter(ParameterSetName = SiteRecordsSet)]
        [Parameter(ParameterSetName = SiteRunsSet)]
        [ValidateRange(1, int.MaxValue)]
        public int UserId { get; set; } = 1;

        [Parameter(ParameterSetName = RecordsSet)]
        [Parameter(ParameterSetName = SiteRecordsSet)]
        [ValidateSet("All", nameof(ChannelResultStatus.Succeeded), nameof(ChannelResultStatus.Failed), nameof(ChannelResultStatus.Skipped), nameof(ChannelResultStatus.Cancelled))]
        public string Status { get; set; } = "All";

        /// <summary>Text found, case-insensitively, in the channel name, the channel id or the error message.</summary>
        [Parameter(ParameterSetName = RecordsSet)]
        [Parameter(ParameterSetName = SiteRecordsSet)]
        [ValidateNotNullOrEmpty]
        public string? Search { get; set; }

        [Parameter(ParameterSetName = RecordsSet)]
        [Parameter(ParameterSetName = SiteRecordsSet)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(ChannelIdCompleter))]
        [Alias("ChannelId")]
        public int[]? Id { get; set; }

        /// <summary>
        /// The channels failing now: each channel whose latest sync failed, once, with how many sync runs in a row it has
        /// failed (ConsecutiveFailures) and since when (FailingSince); longest streak first.
        /// </summary>
        [Parameter(ParameterSetName = RecordsSet)]
        [Parameter(ParameterSetName = SiteRecordsSet)]
        public SwitchParameter Failing { get; set; }

        /// <summary>
        /// The channels whose latest sync (SyncMode AddOnly) left removals pending: each channel's latest sync record,
        /// once, with its PendingRemovals.
        /// </summary>
        [Parameter(ParameterSetName = RecordsSet)]
        [Parameter(ParameterSetName = SiteRecordsSet)]
        public SwitchParameter PendingRemovals { get; set; }

        /// <summary>Only this run (ids look like 20261123T192900123Z-3f2a9c).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string? RunId { get; set; }

        [Parameter]
        public RunKind? Kind { get => (RunKind?)_kind; set => _kind = (int?)value; }

        // Kept as its number: PowerShell lays out this class before the module can answer for the engine, and a field
        // of an engine enum would load the engine there (Internal/ModuleInitializer.cs, "no engine value types").
        private int? _kind;

        /// <summary>Only the newest n runs.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int? Last { get; set; }

        /// <summary>Only runs started at or after this time.</summary>
        [Parameter]
        public DateTime? Since { get; set; }

        private bool ReadsWithoutConnecting => ParameterSetName is SiteRecordsSet or SiteRunsSet;

        protected override void BeginProcessing()
        {
            // -BaseUrl reads a journal on this machine: no connection is needed, and none must be demanded.
            if (!ReadsWithoutConnecting || Connection is not null)
            {
                base.BeginProcessing();
            }
        }

        protected override void ProcessRecord()
        {
            SyncJournal journal = OpenJournal();
            bool any = false;
            try
            {
                switch (ParameterSetName)
                {
                    case RunsSet:
                    case SiteRunsSet:
                        var runQuery = new RunQuery();
                        FillRunQuery(runQuery);
                        foreach (NewApiSyncRun run in journal.ReadRuns(runQuery))
                        {
                            any = true;
                            WriteObject(run);
                        }

                        break;
                    default:
                        if (Failing || PendingRemovals)
                        {
                            foreach (NewApiSyncResult result in ChannelStandings(journal))
                            {
                                any = true;
                                WriteObject(result);
                            }

                            break;
                        }

                        var query = new ResultQuery
                        {
                            // ValidateSet ignores case, as PowerShell users expect of every enum-like value; so must the parse.
                            Status = string.Equals(Status, "All", StringComparison.OrdinalIgnoreCase) ? null : (ChannelResultStatus)Enum.Parse(typeof(ChannelResultStatus), Status, ignoreCase: true),
                            Search = Search,
                            ChannelIds = Id,
                        };
                        FillRunQuery(query);
                        foreach (NewApiSyncResult result in journal.ReadResults(query))
                        {
                            any = true;
                            WriteObject(result);
                        }

                        break;
                }
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidHistoryQuery", ErrorCategory.InvalidArgument, ex.Message, RunId, "Check -RunId (Get-NewApiSyncHistory -Run lists them) and the other filters.", ex));
            }

            if (!any && RunId is not null && !ReadsRun(journal, RunId))
            {
                WriteError(ErrorRecords.Create("CannotFindRun", ErrorCategory.ObjectNotFound,
                    $"The journal of {journal.SiteName} has no run '{RunId}'.", RunId, "Get-NewApiSyncHistory -Run lists the runs kept for this site."));
            }
            else if (!any)
            {
                WriteVerbose($"The journal of {journal.SiteName} ({journal.RunsDirectory}) has nothing that matches.");
            }
        }

        /// <summary>-Failing and -PendingRemovals: one record per channel, from every sync run the journal keeps.</summary>
        private IEnumerable<NewApiSyncResult> ChannelStandings(SyncJournal journal)
        {
            string[] conflicting = new[] { nameof(RunId), nameof(Kind), nameof(Last), nameof(Since), nameof(Status) }
                .Where(MyInvocation.BoundParameters.ContainsKey).ToArray();
            if (conflicting.Length > 0 || (Failing && PendingRemovals))
            {
                string given = Failing && PendingRemovals ? "-Failing and -PendingRemovals" : $"-{(Failing ? nameof(Failing) : nameof(PendingRemovals))} with -{string.Join(", -", conflicting)}";
                throw Terminate(ErrorRecords.Create("InvalidHistoryQuery", ErrorCategory.InvalidArgument,
                    $"{given} cannot be combined: -Failing and -PendingRemovals look at each channel's latest sync across every run the journal keeps.", null,
                    "Use -Failing or -PendingRemovals alone (with -Id or -Search to narrow them), or the run filters without them."));
            }

            ChannelHealth health = ChannelHealth.Read(journal);
            IEnumerable<NewApiSyncResult> standings = Failing ? health.Failing() : health.WithPendingRemovals();
            var ids = Id is { Length: > 0 } ? new HashSet<int>(Id) : null;
            return standings.Where(r =>
                (ids is null || ids.Contains(r.ChannelId)) &&
                (Search is null ||
                 r.ChannelId.ToString(CultureInfo.InvariantCulture).IndexOf(Search, StringComparison.OrdinalIgnoreCase) >= 0 ||
                 r.ChannelName.IndexOf(Search, StringComparison.OrdinalIgnoreCase) >= 0 ||
                 (r.Error?.IndexOf(Search, StringComparison.OrdinalIgnoreCase) ?? -1) >= 0));
        }

        private SyncJournal OpenJournal()
        {
            NewApiSync.Engine.Api.NewApiConnection? connection = ReadsWithoutConnecting ? Connection : ResolvedConnection;
            string site = ReadsWithoutConnecting ? BaseUrl : connection!.BaseUrl;
            int userId = ReadsWithoutConnecting ? UserId : connection!.UserId;
            try
            {
                return SyncJournal.ForSite(DataRootFor(connection), site, userId, WriteWarning);
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidBaseUrl", ErrorCategory.InvalidArgument, $"'{site}' is not a site address: {ex.Message}", site, "Give the site's address, e.g. https://newapi.example.com.", ex));
            }
        }

        // Not generic over the query type, for the reason PointAtSelection is not (NewApiChannelRunCmdlet.cs).
        private void FillRunQuery(RunQuery query)
        {
            query.RunId = RunId;
            query.Kind = Kind;
            query.Last = Last;
            query.Since = Since is DateTime since ? ToOffset(since) : null;
        }

        // [datetime]::MinValue (or MaxValue) in a time zone east (west) of UTC has no DateTimeOffset: it means "from the
        // beginning" ("nothing yet"), not an error.
        private static DateTimeOffset ToOffset(DateTime since)
        {
            try
            {
                return new DateTimeOffset(since);
            }
            catch (ArgumentOutOfRangeException)
            {
                return since.Ticks < DateTime.MaxValue.Ticks / 2 ? DateTimeOffset.MinValue : DateTimeOffset.MaxValue;
            }
        }

        private static bool ReadsRun(SyncJournal journal, string runId)
        {
            using IEnumerator<NewApiSyncRun> runs = journal.ReadRuns(new RunQuery { RunId = runId }).GetEnumerator();
            return runs.MoveNext();
        }
    }
}
