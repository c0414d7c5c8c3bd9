using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;
using static NewApiSync.Engine.Tests.Reliability.ReliabilityRuns;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>
    /// 1,000 channels under a seeded storm of every fault the sandbox knows, on every route a sync touches. Whatever
    /// happens to a channel, its result, its journal record and the server must tell the same story.
    /// </summary>
    public sealed class FaultSoakTests : IDisposable
    {
        private const int Channels = 1000;
        private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);

        // Faults a fetch or a read-back can get. Delay outlasts the per-request timeout; 429s mostly say "retry now"
        // (Retry-After: 0) because every 429 pauses every worker and the suite must stay fast.
        private static readonly SandboxFaultKind[] ReadFaults =
        {
            SandboxFaultKind.SuccessFalse, SandboxFaultKind.ServerError, SandboxFaultKind.HtmlBadGateway, SandboxFaultKind.Reset,
            SandboxFaultKind.Delay, SandboxFaultKind.RateLimited, SandboxFaultKind.MalformedBody, SandboxFaultKind.WrongShape,
        };

        // A write can also be applied and then lose its reply.
        private static readonly SandboxFaultKind[] WriteFaults = ReadFaults
            .Concat(new[] { SandboxFaultKind.ResetAfterWrite, SandboxFaultKind.BadGatewayAfterWrite, SandboxFaultKind.ResetAfterWrite, SandboxFaultKind.BadGatewayAfterWrite })
            .ToArray();

        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        [Fact]
        public async Task Every_Channel_Ends_Once_And_The_Server_Holds_Exactly_What_Its_Record_Claims()
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(Channels, 4, seed: 17));
            Dictionary<int, string[]> before = server.Site.Snapshot().ToDictionary(c => c.Id, c => c.Models.Split(','));
            Dictionary<int, string[]> upstream = server.Site.Snapshot().ToDictionary(c => c.Id, c => c.UpstreamModels.ToArray());
            List<SandboxFault> injected = InjectFaults(server, new Random(17));

            SyncJournal journal = SyncJournal.ForSite(_root.Path, server.BaseUrl, server.UserId);
            NewApiSyncRun run = await SyncIntoJournalAsync(Sandboxes.Connect(server, requestTimeout: RequestTimeout), journal, Fast(concurrency: 8));

            // The storm really happened: most rules caught their requests (some only fire on paths a channel never took,
            // e.g. a read-back fault on a channel whose write succeeded).
            int fired = injected.Count(f => f.Remaining == 0);
            Assert.True(fired > injected.Count / 2, $"only {fired} of {injected.Count} fault rules fired");
            Assert.Contains(server.Requests, r => r.Fault == SandboxFaultKind.ResetAfterWrite);

            List<NewApiSyncResult> records = journal.ReadResults(new ResultQuery { RunId = run.RunId }).ToList();
            Assert.Equal(Enumerable.Range(1, Channels), records.Select(r => r.ChannelId).OrderBy(id => id));
            Assert.Equal(Channels, run.Total);
            NewApiSyncRun journaled = Assert.Single(journal.ReadRuns(new RunQuery { RunId = run.RunId }));
            Assert.False(journaled.Interrupted);
            Assert.Equal((run.Succeeded, run.Failed, run.Skipped, run.Changed), (journaled.Succeeded, journaled.Failed, journaled.Skipped, journaled.Changed));

            foreach (NewApiSyncResult record in records)
            {
                string[] now = ServerModels(server, record.ChannelId);
                string[] old = before[record.ChannelId];
                string[] wanted = upstream[record.ChannelId];
                string where = $"channel #{record.ChannelId} ({record.Status}, {record.ErrorKind}): server has [{string.Join(",", now)}]";

                // Never a wrong or partial list: the server holds the old list or the whole upstream list, nothing else.
                Assert.True(SameSet(now, old) || SameSet(now, wanted), where);
                Assert.Equal(old, record.OldModels);
                switch (record.Status)
                {
                    case ChannelResultStatus.Succeeded when record.Changed:
                        Assert.True(SameSet(record.NewModels, wanted), where);
                        Assert.True(SameSet(now, record.NewModels), where);
                        break;
                    case ChannelResultStatus.Succeeded:
                        Assert.True(SameSet(old, wanted), where);
                        Assert.True(SameSet(now, old), where);
                        break;
                    case ChannelResultStatus.Failed:
                        Assert.NotNull(record.ErrorKind);
                        Assert.False(string.IsNullOrEmpty(record.Error), where);
                        Assert.False(record.Changed, where);
                        if (record.ErrorKind != NewApiErrorKind.UncertainWrite)
                        {
                            Assert.True(SameSet(now, old), where);
                        }

                        break;
                    case ChannelResultStatus.Skipped:
                        Assert.False(string.IsNullOrEmpty(record.Reason), where);
                        Assert.True(SameSet(now, old), where);
                        break;
                    default:
                        Assert.Fail($"{where}: a run that was not stopped left a channel {record.Status}");
                        break;
                }
            }

            // The faults were enough to fail some channels and most still made it through their retries.
            Assert.InRange(run.Failed, 1, Channels / 10);
            Assert.True(run.Changed > Channels / 2, $"only {run.Changed} channels changed");
        }

        /// <summary>About a third of the channels get one fault rule of 1–5 requests on their fetch, write or read-back.</summary>
        private static List<SandboxFault> InjectFaults(SandboxServer server, Random random)
        {
            var injected = new List<SandboxFault>();
            int slowRateLimits = 0;
            for (int id = 1; id <= Channels; id++)
            {
                if (random.NextDouble() > 0.35)
                {
                    continue;
                }

                SandboxRoute route = random.Next(10) switch
                {
                    < 5 => SandboxRoute.FetchModels,
                    < 9 => SandboxRoute.UpdateChannel,
                    _ => SandboxRoute.GetChannel,
                };
                SandboxFaultKind[] kinds = route == SandboxRoute.UpdateChannel ? WriteFaults : ReadFaults;
                SandboxFaultKind kind = kinds[random.Next(kinds.Length)];
                // Mostly within the retry budget (3 retries), sometimes beyond it.
                int count = random.Next(10) < 8 ? random.Next(1, 4) : random.Next(4, 6);
                // A slow 429 pauses every worker, and without Retry-After the pause doubles per 429 in a row: one each.
                bool slow = kind == SandboxFaultKind.RateLimited && slowRateLimits < 3;
                var fault = new SandboxFault(route, kind, kind == SandboxFaultKind.Delay || slow ? 1 : count)
                {
                    ChannelId = id,
                    Delay = RequestTimeout + TimeSpan.FromMilliseconds(300),
                    Message = "获取模型列表失败: status code: 503",
                };
                if (kind == SandboxFaultKind.RateLimited)
                {
                    // Three slow ones: Retry-After 1 s twice, and once no Retry-After at all (the client's own backoff).
                    fault.RetryAfter = slowRateLimits++ switch
                    {
                        0 or 1 => TimeSpan.FromSeconds(1),
                        2 => null,
                        _ => TimeSpan.Zero,
                    };
                }

                injected.Add(server.Faults.Add(fault));
            }

            return injected;
        }
    }
}
