using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.Sandbox;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>Journaled sync runs against a sandbox, as the cmdlet drives them.</summary>
    internal static class ReliabilityRuns
    {
        /// <summary>Fast retries and a rate limit far above anything the sandbox needs.</summary>
        public static RunOptions Fast(int concurrency = 2, int maxRetries = 3) => new()
        {
            Concurrency = concurrency,
            MaxRetries = maxRetries,
            RequestsPerMinute = RunLimits.MaxRequestsPerMinute,
            Burst = RunLimits.MaxBurst,
            RetryBaseDelay = TimeSpan.FromMilliseconds(2),
        };

        /// <summary>
        /// Syncs the site (or <paramref name="ids"/>) through the production entry point, ModelSyncService, into the journal
        /// of <paramref name="journal"/>'s data folder. Returns the run's summary.
        /// </summary>
        public static async Task<NewApiSyncRun> SyncIntoJournalAsync(NewApiConnection connection, SyncJournal journal, RunOptions options,
            INewApiLog? log = null, IReadOnlyList<int>? ids = null, RunMode mode = RunMode.All, CancellationToken cancellationToken = default)
        {
            // <root>/sites/<site folder>: the service opens the same journal from the connection's data folder.
            connection.DataDirectory = Path.GetDirectoryName(Path.GetDirectoryName(journal.SiteDirectory));
            var request = new ModelSyncRequest { Mode = ids is null ? mode : (mode == RunMode.All ? RunMode.Selected : mode), ChannelIds = ids, Options = options };
            return await new ModelSyncService(connection, new SyncSettings(), log).RunAsync(request, new RunCallbacks(), cancellationToken);
        }

        public static string[] ServerModels(SandboxServer server, int id) =>
            server.Site.Get(id)!.Models.Split(',', StringSplitOptions.RemoveEmptyEntries);

        public static bool SameSet(IEnumerable<string> a, IEnumerable<string> b) => new HashSet<string>(a).SetEquals(b);
    }
}
