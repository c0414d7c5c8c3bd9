using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using NewApiSync.Engine.Runs;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// Turns a run's progress snapshots into Write-Progress on the pipeline thread. Every finished channel updates the
    /// bar (its count must never lag the results on screen); the "channel started" snapshots and the heartbeat are
    /// thinned to a few a second. It also shows the channel listing page by page and what the run waits for (a 429
    /// pause or the rate limit, with how long), and closes the bar when the run ends.
    /// </summary>
    internal sealed class RunProgressWriter
    {
        private static int _nextActivityId = 7100;

        private readonly NewApiCmdlet _cmdlet;
        private readonly PipelineDispatcher _dispatcher;
        private readonly string _activity;
        private readonly int _activityId = System.Threading.Interlocked.Increment(ref _nextActivityId);
        private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
        private readonly object _gate = new object();
        private string? _current;
        private string? _lastStatus;
        private int _lastDone = -1;
        private bool _wroteAny;

        public RunProgressWriter(NewApiCmdlet cmdlet, PipelineDispatcher dispatcher, string activity)
        {
            _cmdlet = cmdlet;
            _dispatcher = dispatcher;
            _activity = activity;
        }

        /// <summary>The newest snapshot, written or not; Ctrl+C's summary reads it.</summary>
        public RunProgress? Last { get; private set; }

        public void Report(RunProgress progress)
        {
            lock (_gate)
            {
                Last = progress;
                _current = progress.CurrentChannel ?? _current;
                string status = progress.Summary;
                bool resultArrived = progress.Done != _lastDone;
                bool waitChanged = progress.Waiting is not null && status != _lastStatus;
                if (!resultArrived && !waitChanged && _wroteAny && _sinceLast.ElapsedMilliseconds < 250)
                {
                    return;
                }

                _sinceLast.Restart();
                _wroteAny = true;
                _lastDone = progress.Done;
                _lastStatus = status;
                var record = new ProgressRecord(_activityId, _activity, status)
                {
                    PercentComplete = Math.Min(100, progress.PercentComplete),
                    CurrentOperation = _current is null ? string.Empty : "Channel " + Engine.Results.DisplayText.Safe(_current),
                    SecondsRemaining = progress.Remaining is TimeSpan left ? (int)Math.Ceiling(left.TotalSeconds) : -1,
                };
                _dispatcher.Post(() => _cmdlet.WriteProgress(record));
            }
        }

        /// <summary>A page of the channel listing arrived: "Listing channels: 300 of 10,000".</summary>
        public void ReportListing(int listed, int? total)
        {
            lock (_gate)
            {
                _wroteAny = true;
                string of = total is int all && all > 0 ? " of " + all.ToString("N0", CultureInfo.InvariantCulture) : string.Empty;
                var record = new ProgressRecord(_activityId, _activity, $"Listing channels: {listed.ToString("N0", CultureInfo.InvariantCulture)}{of}")
                {
                    PercentComplete = total is int known && known > 0 ? Math.Min(100, (int)(100L * listed / known)) : -1,
                };
                _dispatcher.Post(() => _cmdlet.WriteProgress(record));
            }
        }

        /// <summary>Writes the Completed record; call on the pipeline thread after the run.</summary>
        public void Complete()
        {
            if (_wroteAny)
            {
                _cmdlet.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
            }
        }
    }
}
