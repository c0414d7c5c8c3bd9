using System;
using System.Collections.Generic;
using System.IO;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Storage;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// The journal of one site (base URL + user id): every run's channel records, written as they happen and kept for
    /// <see cref="HistoryRetention"/> runs. Format and locking: see <see cref="JournalFormat"/>. Reading never throws for
    /// damaged files: damaged lines and files are skipped and reported through the warning callback.
    /// </summary>
    public sealed class SyncJournal
    {

        private readonly Action<string> _warn;
        private int _historyRetention = Runs.RunLimits.DefaultHistoryRetention;

        private SyncJournal(string siteDirectory, string siteKey, string siteName, string? legacySiteDirectory, Action<string>? warn)
        {
            SiteName = siteName;
            SiteDirectory = siteDirectory;
            RunsDirectory = Path.Combine(siteDirectory, "runs");
            LegacyRunsDirectory = legacySiteDirectory is null ? null : Path.Combine(legacySiteDirectory, "runs");
            SiteKey = siteKey;
            _warn = warn ?? (_ => { });
        }

        /// <summary>
        /// The journal of a site under <paramref name="dataRoot"/>. Nothing is created until a run begins.
        /// <paramref name="warn"/> receives one message per skipped damaged line or file and per failed pruning.
        /// </summary>
        public static SyncJournal ForSite(string dataRoot, string baseUrl, int userId, Action<string>? warn = null) =>
            new(DataDirectory.SiteDirectory(dataRoot, baseUrl, userId), DataDirectory.SiteKey(baseUrl, userId), DataDirectory.SiteName(baseUrl, userId), DataDirectory.LegacySiteDirectory(dataRoot, baseUrl, userId), warn);

        /// <summary>&lt;data root&gt;/sites/&lt;site folder&gt;</summary>
        public string SiteDirectory { get; }

        /// <summary>Where the run files live: &lt;site folder&gt;/runs</summary>
        public string RunsDirectory { get; }

        /// <summary>
        /// The runs folder that versions before the site identity used for this spelling of the site, when it differs:
        /// its runs are read (never written or pruned), so older history stays visible and restorable.
        /// </summary>
        public string? LegacyRunsDirectory { get; }

        /// <summary>The site key (site identity '#' user id) the journal belongs to.</summary>
        public string SiteKey { get; }

        /// <summary>The site as messages name it: "https://x.example (user 1)", never the internal key.</summary>
        public string SiteName { get; }

        /// <summary>
        /// Tests only: how many more bytes the journal's writers may write before every write fails like a full disk (the
        /// line that does not fit is written in part, as on a real full disk). Null: no limit.
        /// </summary>
        internal long? ByteBudget { get; set; }

        /// <summary>How many runs <see cref="JournalRunWriter.Complete"/> keeps when it prunes (1 – 10000; default 200).</summary>
        public int HistoryRetention
        {
            get => _historyRetention;
            set => _historyRetention = value >= Runs.RunLimits.MinHistoryRetention ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "HistoryRetention must be at least 1.");
        }

        /// <summary>
        /// Starts a run's file and writes its run-start line (flushed to disk). The header must carry a RunId made by
        /// RunIds.New(StartedAt), this site's BaseUrl and UserId, and its StartedAt; PlannedChannelIds is optional.
        /// </summary>
        public JournalRunWriter BeginRun(NewApiSyncRun header)
        {
            if (header is null)
            {
                throw new ArgumentNullException(nameof(header));
            }

            RunQuery.ValidateRunId(header.RunId, nameof(header) + ".RunId");
            if (header.StartedAt == default)
            {
                throw new ArgumentException("The run header has no StartedAt.", nameof(header));
            }

            string headerSite = string.IsNullOrEmpty(header.BaseUrl) ? "(none)" : DataDirectory.SiteKey(header.BaseUrl, header.UserId);
            if (!string.Equals(headerSite, SiteKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"The run header is for site '{headerSite}' but this journal belongs to '{SiteKey}'.", nameof(header));
            }

            Directory.CreateDirectory(RunsDirectory);
            return JournalRunWriter.Create(this, RunFile.For(RunsDirectory, header.RunId).Path, header);
        }

        /// <summary>Run summaries, newest first, read lazily (a caller that stops early reads no further files).</summary>
        public IEnumerable<NewApiSyncRun> ReadRuns(RunQuery? query = null)
        {
            query ??= new RunQuery();
            query.Validate();
            return ReadRunsValidated(query);
        }

        /// <summary>Channel records, newest run first and in journal order within a run; see <see cref="ResultQuery"/>.</summary>
        public IEnumerable<NewApiSyncResult> ReadResults(ResultQuery? query = null)
        {
            query ??= new ResultQuery();
            query.Validate();
            return ReadResultsValidated(query);
        }

        /// <summary>
        /// The newest finished run of <paramref name="kind"/> that wrote (WhatIf runs and runs still being written are
        /// ignored); with <paramref name="fullRunsOnly"/> only completed runs of Mode All or IfDue count, which is what
        /// -IfDue measures the interval from. Interrupted runs count only when <paramref name="fullRunsOnly"/> is false.
        /// </summary>
        public NewApiSyncRun? LastRun(RunKind kind, bool fullRunsOnly = false)
        {
            foreach ((RunFile file, NewApiSyncRun header) in SelectRuns(new RunQuery { Kind = kind }))
            {
                if (header.WhatIf || (fullRunsOnly && header.Mode is not (RunMode.All or RunMode.IfDue)))
                {
                    continue;
                }

                NewApiSyncRun? run = file.ReadSummary(header, _warn);
                if (run is null || (run.FinishedAt is null && !run.Interrupted) || (fullRunsOnly && run.Interrupted))
                {
                    continue;
                }

                return run;
            }

            return null;
        }

        /// <summary>
        /// The channels of a run that -FailedOnly should process again: its planned channels (in planned order) that have no
        /// Succeeded or Skipped record, then any Failed or Cancelled channel that was not planned. Throws
        /// <see cref="ArgumentException"/> when the journal has no such run.
        /// </summary>
        public IReadOnlyList<int> UnfinishedChannelIds(string runId)
        {
            RunQuery.ValidateRunId(runId, nameof(runId));
            RunFile file = FindRun(runId);
            RunContents? contents = File.Exists(file.Path) ? file.Read(_ => false, withText: false, _warn) : null;
            if (contents?.Header is null)
            {
                throw new ArgumentException($"The journal of {SiteName} has no readable run '{runId}'.", nameof(runId));
            }

            var unfinished = new List<int>();
            var seen = new HashSet<int>();
            foreach (int id in contents.Header.PlannedChannelIds ?? Array.Empty<int>())
            {
                if (seen.Add(id) &&
                    !(contents.Tally.TryGetStatus(id, out ChannelResultStatus status) &&
                      status is ChannelResultStatus.Succeeded or ChannelResultStatus.Skipped))
                {
                    unfinished.Add(id);
                }
            }

            foreach (KeyValuePair<int, ChannelResultStatus> channel in contents.Tally.Statuses)
            {
                if (channel.Value is ChannelResultStatus.Failed or ChannelResultStatus.Cancelled && seen.Add(channel.Key))
                {
                    unfinished.Add(channel.Key);
                }
            }

            return unfinished;
        }

        /// <summary>
        /// Deletes all but the newest <paramref name="keep"/> run files, except files a writer still holds (they are tried
        /// again next time). Returns how many were deleted. Called by <see cref="JournalRunWriter.Complete"/> with
        /// <see cref="HistoryRetention"/>.
        /// </summary>
        public int Prune(int keep)
        {
            if (keep < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(keep), keep, "Prune must keep at least 1 run.");
            }

            List<RunFile> files = RunFile.NewestFirst(RunsDirectory);
            int deleted = 0;
            for (int i = keep; i < files.Count; i++)
            {
                if (files[i].TryDeleteUnlessHeld())
                {
                    deleted++;
                }
            }

            return deleted;
        }

        internal void Warn(string message) => _warn(message);

        // The site's runs with the legacy folder's merged in, newest first (RunIds sort by start time).
        private List<RunFile> NewestFirst()
        {
            List<RunFile> files = RunFile.NewestFirst(RunsDirectory, _warn);
            if (LegacyRunsDirectory is not null)
            {
                files.AddRange(RunFile.NewestFirst(LegacyRunsDirectory, _warn));
                files.Sort((a, b) => string.CompareOrdinal(b.RunId, a.RunId));
            }

            return files;
        }

        private RunFile FindRun(string runId)
        {
            RunFile file = RunFile.For(RunsDirectory, runId);
            if (!File.Exists(file.Path) && LegacyRunsDirectory is not null && File.Exists(RunFile.For(LegacyRunsDirectory, runId).Path))
            {
                return RunFile.For(LegacyRunsDirectory, runId);
            }

            return file;
        }

        private IEnumerable<NewApiSyncRun> ReadRunsValidated(RunQuery query)
        {
            foreach ((RunFile file, NewApiSyncRun header) in SelectRuns(query))
            {
                NewApiSyncRun? run = file.ReadSummary(header, _warn);
                if (run != null)
                {
                    yield return run;
                }
            }
        }

        private IEnumerable<NewApiSyncResult> ReadResultsValidated(ResultQuery query)
        {
            Func<JournalLine, bool> keep = query.LineFilter();
            LineSearch? search = LineSearch.For(query.Search);
            foreach ((RunFile file, NewApiSyncRun _) in SelectRuns(query.RunScope()))
            {
                RunContents? contents = file.Read(keep, query.NeedsText, _warn, search);
                if (contents is null)
                {
                    continue;
                }

                foreach (NewApiSyncResult result in contents.Results)
                {
                    yield return result;
                }
            }
        }

        // Run files newest first with their headers, filtered by the query. Since and Last stop the walk early, RunId opens
        // one file, and only line 1 of each file is read here.
        private IEnumerable<(RunFile File, NewApiSyncRun Header)> SelectRuns(RunQuery query)
        {
            IEnumerable<RunFile> files = query.RunId is null
                ? NewestFirst()
                : new[] { FindRun(query.RunId) };

            int found = 0;
            foreach (RunFile file in files)
            {
                // File names carry the start time to the millisecond; the margin covers a RunId made a little after StartedAt.
                // (Since near DateTimeOffset.MinValue means "everything": the margin must not underflow.)
                if (query.Since is DateTimeOffset since && since.UtcTicks > DateTimeOffset.MinValue.UtcTicks + SinceMargin.Ticks &&
                    file.NameTimestamp is DateTimeOffset named && named < since - SinceMargin)
                {
                    yield break;
                }

                NewApiSyncRun? header = file.ReadHeader(_warn);
                if (header is null ||
                    (query.Kind is RunKind kind && header.Kind != kind) ||
                    (query.Since is DateTimeOffset from && header.StartedAt < from))
                {
                    continue;
                }

                yield return (file, header);
                if (query.Last is int last && ++found >= last)
                {
                    yield break;
                }
            }
        }

        private static readonly TimeSpan SinceMargin = TimeSpan.FromMinutes(1);
    }
}
