using System;

namespace NewApiSync.Engine.Runs
{
    /// <summary>A snapshot of a run's progress, for Write-Progress.</summary>
    public sealed class RunProgress
    {
        public int Total { get; set; }

        public int Done { get; set; }

        public int Succeeded { get; set; }

        public int Failed { get; set; }

        public int Skipped { get; set; }

        /// <summary>The channel a worker just started, if that is what this snapshot reports.</summary>
        public string? CurrentChannel { get; set; }

        /// <summary>Time left, from the run's throughput so far and never less than what the rate limit allows.</summary>
        public TimeSpan? Remaining { get; set; }

        /// <summary>What the run is waiting for, when it waits: a 429 pause or the rate limit, with how long (see RequestThrottle.DescribeWait).</summary>
        public string? Waiting { get; set; }

        public int PercentComplete => Total == 0 ? 100 : (int)(100L * Done / Total);

        /// <summary>"12/57 · 10 ok · 1 failed".</summary>
        public string Summary => $"{Done}/{Total} \u00b7 {Succeeded} ok \u00b7 {Failed} failed{(Skipped > 0 ? $" \u00b7 {Skipped} skipped" : string.Empty)}{(Waiting is null ? string.Empty : " \u00b7 " + Waiting)}";
    }
}
