using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
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
            RequestsPerMinute = RunOptions.MaxRequestsPerMinute,
            Burst = RunOptions.MaxBurst,
            RetryBaseDelay = TimeSpan.FromMilliseconds(2),
        };

        /// <summary>
        /// Lists the site (or takes <paramref name="ids"/>) and syncs it with the run recorded in <paramref name="journal"/>.
        /// Returns the run's RunId and summary.
        /// </summary>
        public static async Task<NewApiSyncRun> SyncIntoJournalAsync(NewApiConnection connection, SyncJournal journal, RunOptions options,
            INewApiLog? log = null, IReadOnlyList<int>? ids = null, RunMode mode = RunMode.All, CancellationToken cancellationToken = default)
        {
            using RunContext context = RunContext.Create(connection, options, log);
            var runner = new ModelSyncRunner(context, new SyncPlanner());
            IReadOnlyList<ChannelTarget> targets = ids is null
                ? await runner.ListAllAsync(null, cancellationToken)
                : ids.Select(id => new ChannelTarget(id)).ToArray();
            DateTimeOffset started = DateTimeOffset.UtcNow;
            var run = new NewApiSyncRun { RunId = RunIds.New(started), BaseUrl = connection.BaseUrl, UserId = connection.UserId, Mode = mode, StartedAt = started };
            using var recorder = new JournalRunRecorder(journal);
            return await runner.RunAsync(run, targets, recorder, new RunCallbacks(), cancellationToken);
        }

        public static string[] ServerModels(SandboxServer server, int id) =>
            server.Site.Get(id)!.Models.Split(',', StringSplitOptions.RemoveEmptyEntries);

        public static bool SameSet(IEnumerable<string> a, IEnumerable<string> b) => new HashSet<string>(a).SetEquals(b);
    }
}
