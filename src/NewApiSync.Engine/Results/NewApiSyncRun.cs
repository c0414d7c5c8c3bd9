using System;

namespace NewApiSync.Engine.Results
{
    /// <summary>A run's summary: the statistics card of Get-NewApiSyncHistory -Run.</summary>
    public sealed class NewApiSyncRun
    {
        public string RunId { get; set; } = string.Empty;

        public RunKind Kind { get; set; }

        public string BaseUrl { get; set; } = string.Empty;

        public int UserId { get; set; }

        public RunMode Mode { get; set; }

        public DateTimeOffset StartedAt { get; set; }

        /// <summary>Null while running, or when the process died before finishing (see <see cref="Interrupted"/>).</summary>
        public DateTimeOffset? FinishedAt { get; set; }

        public TimeSpan? Duration => FinishedAt is DateTimeOffset end ? end - StartedAt : null;

        public int Total { get; set; }

        public int Succeeded { get; set; }

        public int Failed { get; set; }

        public int Skipped { get; set; }

        public int Cancelled { get; set; }

        public int Changed { get; set; }

        /// <summary>True when the run never recorded its end: the process was killed or the machine lost power.</summary>
        public bool Interrupted { get; set; }

        /// <summary>When the next scheduled run is due, if auto-sync is on.</summary>
        public DateTimeOffset? NextScheduledTime { get; set; }

        /// <summary>Set by the run when -WhatIf kept it from writing anything.</summary>
        public bool WhatIf { get; set; }

        /// <summary>
        /// The channels the run meant to process, in order, when known at its start; lets -FailedOnly also pick the channels an
        /// interrupted run never reached. Null when the run did not say.
        /// </summary>
        public int[]? PlannedChannelIds { get; set; }

        public override string ToString() => $"{Kind} {RunId}: {Succeeded} ok, {Failed} failed, {Skipped} skipped, {Cancelled} cancelled";
    }
}
