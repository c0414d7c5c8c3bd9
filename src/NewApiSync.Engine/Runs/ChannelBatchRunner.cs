using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Runs
{
    /// <summary>One channel's work in a run; it returns the channel's record or throws a classified failure.</summary>
    public delegate Task<NewApiSyncResult> ChannelWork(ChannelTarget target, NewApiSyncResult result, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one piece of work per channel on <see cref="RunOptions.Concurrency"/> workers. A failure stays with its
    /// channel; an authentication or permission failure stops the whole run (every other channel would fail the same
    /// way), and so does a journal that cannot be written (no write is sent without its undo record); Ctrl+C stops within
    /// a request. Every channel ends with exactly one record: finished, failed or cancelled; a channel whose write was sent
    /// but not confirmed keeps its intended New* with MayHaveWritten.
    /// </summary>
    public sealed class ChannelBatchRunner
    {
        private readonly RunContext _context;

        public ChannelBatchRunner(RunContext context) => _context = context ?? throw new ArgumentNullException(nameof(context));

        /// <summary>
        /// Runs <paramref name="work"/> for every target and returns the run's summary. Throws the first run-fatal
        /// <see cref="NewApiException"/>, or <see cref="OperationCanceledException"/> when cancelled, after the
        /// recorder has the complete run either way.
        /// </summary>
        public async Task<NewApiSyncRun> RunAsync(NewApiSyncRun run, IReadOnlyList<ChannelTarget> targets, ChannelWork work, IRunRecorder recorder, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            run.Total = targets.Count;
            recorder.Begin(run, targets.Select(t => t.Id).ToArray());
            callbacks.Started?.Invoke(run);
            bool journalBroken = false;
            var tally = new Tally(run, targets.Count, _context, callbacks);
            var queue = new ConcurrentQueue<ChannelTarget>(targets);
            NewApiException? fatal = null;
            using var stopRun = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

            async Task WorkerAsync()
            {
                while (!stopRun.IsCancellationRequested && queue.TryDequeue(out ChannelTarget? target))
                {
                    tally.Started(target);
                    NewApiSyncResult result = await ProcessAsync(target, run, work, stopRun.Token).ConfigureAwait(false);
                    if (result.ErrorKind is NewApiErrorKind kind && NewApiException.IsFatalForRunKind(kind))
                    {
                        if (result.ErrorKind == NewApiErrorKind.JournalUnwritable)
                        {
                            // Only ever set, never cleared, so workers racing here cannot undo each other.
                            Volatile.Write(ref journalBroken, true);
                        }
                        Interlocked.CompareExchange(ref fatal, (NewApiException?)result.Exception, null);
                        stopRun.Cancel();
                    }

                    if (!Volatile.Read(ref journalBroken))
                    {
                        try
                        {
                            recorder.Record(result);
                        }
                        catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.JournalUnwritable)
                        {
                            // The outcome is lost but the intent is on disk, so the write can still be undone; stop the run.
                            Volatile.Write(ref journalBroken, true);
                            Interlocked.CompareExchange(ref fatal, ex, null);
                            stopRun.Cancel();
                        }
                    }

                    // The channel is output whatever the journal did: the admin must see every channel that was finished.
                    tally.Finished(result);
                }
            }

            int workers = Math.Max(1, Math.Min(_context.Options.Concurrency, targets.Count));
            Task all = Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
            // While channels wait (a 429 pause, the rate limit, a slow upstream) the bar still moves and says why.
            using (var heartbeat = new CancellationTokenSource())
            {
                Task beats = tally.HeartbeatAsync(heartbeat.Token);
                await all.ConfigureAwait(false);
                heartbeat.Cancel();
                await beats.ConfigureAwait(false);
            }

            // Channels never reached are recorded as Cancelled so -FailedOnly resumes them; they are not streamed.
            string why = fatal is not null ? "The run stopped after an authentication failure before this channel was reached." : "The run was stopped before this channel was reached.";
            while (queue.TryDequeue(out ChannelTarget? left))
            {
                NewApiSyncResult cancelled = NewResult(left, run);
                Finish(cancelled, ChannelResultStatus.Cancelled, why);
                if (!journalBroken)
                {
                    TryRecord(recorder, cancelled, ref fatal, ref journalBroken);
                }

                tally.Count(cancelled);
            }

            run.FinishedAt = _context.Time.GetUtcNow();
            if (!journalBroken)
            {
                try
                {
                    recorder.Complete(run);
                }
                catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.JournalUnwritable)
                {
                    fatal ??= ex;
                }
            }

            if (fatal is not null)
            {
                throw fatal;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return run;
        }

        private static void TryRecord(IRunRecorder recorder, NewApiSyncResult result, ref NewApiException? fatal, ref bool journalBroken)
        {
            try
            {
                recorder.Record(result);
            }
            catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.JournalUnwritable)
            {
                journalBroken = true;
                fatal ??= ex;
            }
        }

        private async Task<NewApiSyncResult> ProcessAsync(ChannelTarget target, NewApiSyncRun run, ChannelWork work, CancellationToken runToken)
        {
            NewApiSyncResult result = NewResult(target, run);
            using var channelScope = CancellationTokenSource.CreateLinkedTokenSource(runToken);
            if (_context.Options.ChannelTimeout is TimeSpan limit)
            {
                channelScope.CancelAfter(limit);
            }

            try
            {
                result = await work(target, result, channelScope.Token).ConfigureAwait(false);
                result.FinishedAt = _context.Time.GetUtcNow();
                return result;
            }
            catch (OperationCanceledException) when (runToken.IsCancellationRequested)
            {
                return Finish(result, ChannelResultStatus.Cancelled, result.MayHaveWritten
                    ? "The run was stopped while this channel's write was in flight: the write may have happened (NewModels is what it would have written). Restore-NewApiChannel can undo it."
                    : "The run was stopped while this channel was in progress; nothing was written to it.");
            }
            catch (OperationCanceledException) when (channelScope.IsCancellationRequested)
            {
                return Fail(result, new NewApiException(NewApiErrorKind.ChannelTimeout,
                    $"Channel #{target.Id} took longer than {_context.Options.ChannelTimeout!.Value.TotalSeconds:0.#} s (-ChannelTimeoutSec) and was abandoned."));
            }
            catch (NewApiException ex)
            {
                return Fail(result, ex);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A bug or an unexpected reply must not lose the other channels' work: it fails this channel only.
                return Fail(result, new NewApiException(NewApiErrorKind.Protocol, $"Channel #{target.Id} failed unexpectedly: {ex.Message}", ex));
            }
        }

        private NewApiSyncResult NewResult(ChannelTarget target, NewApiSyncRun run) => new NewApiSyncResult
        {
            RunId = run.RunId,
            Kind = run.Kind,
            BaseUrl = run.BaseUrl,
            ChannelId = target.Id,
            ChannelName = target.Name,
            OldModels = target.Channel?.Models ?? Array.Empty<string>(),
            NewModels = target.Channel?.Models ?? Array.Empty<string>(),
            StartedAt = _context.Time.GetUtcNow(),
            WhatIf = run.WhatIf,
        };

        private NewApiSyncResult Finish(NewApiSyncResult result, ChannelResultStatus status, string reason)
        {
            result.Status = status;
            result.Changed = false;
            result.Reason = reason;
            if (status == ChannelResultStatus.Cancelled)
            {
                result.ErrorKind = NewApiErrorKind.Cancelled;
            }

            result.FinishedAt = _context.Time.GetUtcNow();
            return result;
        }

        private NewApiSyncResult Fail(NewApiSyncResult result, NewApiException ex)
        {
            result.Status = ChannelResultStatus.Failed;
            result.Changed = false;
            if (result.MayHaveWritten)
            {
                // The write was sent: a lost reply, or even a refusal, does not prove the server kept the old values.
                result.Reason = "The write was sent but not confirmed: it may have happened (NewModels is what it would have written). Restore-NewApiChannel can undo it.";
            }
            else
            {
                result.NewModels = result.OldModels;
                result.NewModelMapping = null;
                result.AddedModels = Array.Empty<string>();
                result.RemovedModels = Array.Empty<string>();
            }

            result.Error = ex.Message;
            result.ErrorKind = ex.Kind;
            result.HttpStatus = ex.HttpStatus;
            result.Exception = ex;
            result.Attempts = Math.Max(1, result.Attempts);
            result.FinishedAt = _context.Time.GetUtcNow();
            return result;
        }

        /// <summary>Counts results and reports progress; shared by the workers.</summary>
        private sealed class Tally
        {
            private readonly NewApiSyncRun _run;
            private readonly int _total;
            private readonly RunContext _context;
            private readonly RunCallbacks _callbacks;
            private readonly long _started;
            private readonly object _gate = new object();
            private int _done;

            public Tally(NewApiSyncRun run, int total, RunContext context, RunCallbacks callbacks)
            {
                _run = run;
                _total = total;
                _context = context;
                _callbacks = callbacks;
                _started = context.Time.GetTimestamp();
            }

            public void Started(ChannelTarget target) => _callbacks.Progress?.Invoke(Snapshot(target.ToString()));

            /// <summary>Reports a snapshot every second until cancelled, so waits show up between results.</summary>
            public async Task HeartbeatAsync(CancellationToken stop)
            {
                if (_callbacks.Progress is null)
                {
                    return;
                }

                try
                {
                    while (true)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false); // real time: it paces the display, not the run
                        _callbacks.Progress(Snapshot(null));
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The workers are done.
                }
            }

            public void Finished(NewApiSyncResult result)
            {
                _callbacks.Result?.Invoke(result);
                // Counted and reported under one lock, so every count (1/12, 2/12, ...) is reported once and in order
                // even when workers finish together; the progress callback only queues a record.
                lock (_gate)
                {
                    Count(result);
                    _callbacks.Progress?.Invoke(Snapshot(null));
                }
            }

            public void Count(NewApiSyncResult result)
            {
                lock (_gate)
                {
                    _done++;
                    switch (result.Status)
                    {
                        case ChannelResultStatus.Succeeded: _run.Succeeded++; break;
                        case ChannelResultStatus.Failed: _run.Failed++; break;
                        case ChannelResultStatus.Skipped: _run.Skipped++; break;
                        case ChannelResultStatus.Cancelled: _run.Cancelled++; break;
                    }

                    if (result.Changed)
                    {
                        _run.Changed++;
                    }
                }
            }

            private RunProgress Snapshot(string? current)
            {
                lock (_gate)
                {
                    int remaining = _total - _done;
                    TimeSpan elapsed = _context.Time.GetElapsedTime(_started);
                    // Throughput so far already includes the rate limit and latency; the bucket's sustained rate is a
                    // floor, because an early burst makes the first channels look faster than the run can go.
                    TimeSpan byRate = _context.Client.Throttle.EstimateTimeFor(remaining);
                    TimeSpan? byThroughput = _done > 0 ? TimeSpan.FromTicks(elapsed.Ticks / _done * remaining) : null;
                    TimeSpan? estimate = byThroughput is TimeSpan t ? (t > byRate ? t : byRate) : byRate;
                    return new RunProgress
                    {
                        Total = _total,
                        Done = _done,
                        Succeeded = _run.Succeeded,
                        Failed = _run.Failed,
                        Skipped = _run.Skipped,
                        CurrentChannel = current,
                        Remaining = remaining == 0 ? TimeSpan.Zero : estimate,
                        Waiting = remaining == 0 ? null : _context.Client.Throttle.DescribeWait(),
                    };
                }
            }
        }
    }
}
