using System;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Storage;
using NewApiSync.Engine.Sync;

namespace NewApiSync.CrashHost
{
    /// <summary>
    /// What the reliability suite runs in a separate process, so it can kill it or compete with it. Everything comes
    /// from environment variables (the token never appears on a command line, where any user could read it):
    /// NEWAPISYNC_DATA (data root), NEWAPISYNC_CRASH_URL, NEWAPISYNC_CRASH_USER, NEWAPISYNC_CRASH_TOKEN.
    /// Modes (first argument):
    ///   sync          a whole sync run of the site through ModelSyncService (the production entry point), journaled;
    ///                 prints "run &lt;id&gt;" when it begins.
    ///   hold-lock     takes the site's run lock, prints "locked" (or "busy"), then holds it until stdin closes.
    ///   journal N     writes one run of N channels into the site's journal, one flushed line at a time.
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            string mode = args.Length > 0 ? args[0] : string.Empty;
            string dataRoot = Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable) ?? throw Missing(DataDirectory.EnvironmentVariable);
            string baseUrl = Environment.GetEnvironmentVariable("NEWAPISYNC_CRASH_URL") ?? throw Missing("NEWAPISYNC_CRASH_URL");
            int userId = int.Parse(Environment.GetEnvironmentVariable("NEWAPISYNC_CRASH_USER") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            switch (mode)
            {
                case "sync":
                    return await SyncAsync(dataRoot, baseUrl, userId).ConfigureAwait(false);
                case "hold-lock":
                    return HoldLock(dataRoot, baseUrl, userId);
                case "journal":
                    return WriteJournal(dataRoot, baseUrl, userId, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
                default:
                    Console.Error.WriteLine("usage: NewApiSync.CrashHost sync | hold-lock | journal <channels>");
                    return 2;
            }
        }

        private static async Task<int> SyncAsync(string dataRoot, string baseUrl, int userId)
        {
            string token = Environment.GetEnvironmentVariable("NEWAPISYNC_CRASH_TOKEN") ?? throw Missing("NEWAPISYNC_CRASH_TOKEN");
            using var secure = new SecureString();
            foreach (char c in token)
            {
                secure.AppendChar(c);
            }

            // The production entry point, as Invoke-NewApiModelSync calls it: lock, journal (intents included), pipeline.
            var connection = new NewApiConnection(baseUrl, secure, userId) { RequestTimeout = TimeSpan.FromSeconds(30), DataDirectory = dataRoot };
            var options = new RunOptions { Concurrency = 2, RequestsPerMinute = 6000, Burst = 100, RetryBaseDelay = TimeSpan.FromMilliseconds(5) };
            var callbacks = new RunCallbacks
            {
                Started = run =>
                {
                    Console.Out.WriteLine("run " + run.RunId);
                    Console.Out.Flush();
                },
            };
            await new ModelSyncService(connection, new SyncSettings()).RunAsync(new ModelSyncRequest { Options = options }, callbacks, CancellationToken.None).ConfigureAwait(false);
            return 0;
        }

        private static int HoldLock(string dataRoot, string baseUrl, int userId)
        {
            using SiteRunLock? held = SiteRunLock.TryAcquire(dataRoot, baseUrl, userId, TimeSpan.Zero, purpose: "crash host");
            Console.Out.WriteLine(held is null ? "busy" : "locked");
            Console.Out.Flush();
            if (held is null)
            {
                return 1;
            }

            // Hold until the parent closes our stdin (or dies): the lock must outlive nothing but this process.
            Console.In.ReadToEnd();
            return 0;
        }

        private static int WriteJournal(string dataRoot, string baseUrl, int userId, int channels)
        {
            SyncJournal journal = SyncJournal.ForSite(dataRoot, baseUrl, userId);
            DateTimeOffset started = DateTimeOffset.UtcNow;
            var header = new NewApiSyncRun
            {
                RunId = RunIds.New(started), Kind = RunKind.Sync, BaseUrl = baseUrl, UserId = userId, Mode = RunMode.All, StartedAt = started,
                PlannedChannelIds = Enumerable.Range(1, channels).ToArray(),
            };
            using JournalRunWriter writer = journal.BeginRun(header);
            for (int id = 1; id <= channels; id++)
            {
                writer.Append(new NewApiSyncResult
                {
                    RunId = header.RunId, Kind = RunKind.Sync, BaseUrl = baseUrl, ChannelId = id, ChannelName = "channel-" + id,
                    Status = ChannelResultStatus.Succeeded, Changed = true,
                    OldModels = new[] { "m-" + id }, NewModels = new[] { "m-" + id, "n-" + id }, AddedModels = new[] { "n-" + id },
                    Attempts = 1, StartedAt = started, FinishedAt = DateTimeOffset.UtcNow,
                });
            }

            writer.Complete(new NewApiSyncRun
            {
                RunId = header.RunId, Kind = header.Kind, BaseUrl = baseUrl, UserId = userId, Mode = header.Mode, StartedAt = started,
                PlannedChannelIds = header.PlannedChannelIds, Total = channels, Succeeded = channels, Changed = channels, FinishedAt = DateTimeOffset.UtcNow,
            });
            Console.Out.WriteLine("run " + header.RunId);
            return 0;
        }

        private static InvalidOperationException Missing(string name) => new($"The environment variable {name} is not set.");
    }
}
