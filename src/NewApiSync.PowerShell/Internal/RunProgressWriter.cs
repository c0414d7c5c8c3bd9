using System;
using System.Diagnostics;
using System.Management.Automation;
using NewApiSync.Engine.Runs;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// Turns a run's progress snapshots into Write-Progress on the pipeline thread, at most a few times a second
    /// (a 10,000-channel run would otherwise post 20,000 records), and closes the bar when the run ends.
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
        private bool _wroteAny;

        public RunProgressWriter(NewApiCmdlet cmdlet, PipelineDispatcher dispatcher, string activity)
        {
            _cmdlet = cmdlet;
            _dispatcher = dispatcher;
            _activity = activity;
        }

        /// <summary>The newest snapshot, written or not (the throttle skips some); Ctrl+C's summary reads it.</summary>
        public RunProgress? Last { get; private set; }

        public void Report(RunProgress progress)
        {
            lock (_gate)
            {
                Last = progress;
                _current = progress.CurrentChannel ?? _current;
                bool last = progress.Done == progress.Total;
                if (!last && _wroteAny && _sinceLast.ElapsedMilliseconds < 250)
                {
                    return;
                }

                _sinceLast.Restart();
                _wroteAny = true;
                var record = new ProgressRecord(_activityId, _activity, progress.Summary)
                {
                    PercentComplete = Math.Min(100, progress.PercentComplete),
                    CurrentOperation = _current is null ? string.Empty : "Channel " + _current,
                    SecondsRemaining = progress.Remaining is TimeSpan left ? (int)Math.Ceiling(left.TotalSeconds) : -1,
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
