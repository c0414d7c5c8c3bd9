using System.Collections.Generic;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Restore
{
    /// <summary>What one restore run should undo.</summary>
    public sealed class ChannelRestoreRequest
    {
        /// <summary>Journal records of the site's runs (Get-NewApiSyncHistory output); see <see cref="RestorePlan"/> for how they combine.</summary>
        public IReadOnlyList<NewApiSyncResult> Records { get; set; } = new List<NewApiSyncResult>();

        /// <summary>Restore channels that changed since the run too (no changed-since guard).</summary>
        public bool Force { get; set; }

        public RunOptions Options { get; set; } = new RunOptions();

        /// <summary>-WhatIf: read and preview, write nothing, take no lock and leave no journal.</summary>
        public bool WhatIf { get; set; }
    }
}
