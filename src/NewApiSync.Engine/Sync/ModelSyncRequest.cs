using System.Collections.Generic;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Sync
{
    /// <summary>What one sync run should do.</summary>
    public sealed class ModelSyncRequest : ChannelRunRequest
    {
        public RunOptions Options { get; set; } = new RunOptions();

        public ModelFilter Filter { get; set; } = ModelFilter.None;

        /// <summary>SyncMode and KeepModel.</summary>
        public SyncPolicy Policy { get; set; } = SyncPolicy.Default;

        /// <summary>ExcludeChannel and SkipDisabledChannels: channels reported as Skipped without fetching their upstream.</summary>
        public ChannelExclusion Exclusion { get; set; } = ChannelExclusion.None;

        /// <summary>-WhatIf: plan and preview, write nothing, take no lock and leave no journal.</summary>
        public bool WhatIf { get; set; }

        /// <summary>Redirect each channel right after it syncs (standard names from the settings, else the built-in list).</summary>
        public bool RedirectAfterSync { get; set; }

        /// <summary>Remove mapping entries whose target the synced channel no longer serves.</summary>
        public bool PruneMissingTargets { get; set; }

        /// <summary>The shrink guard's percent (0–100; 100 turns it off); null: the ShrinkGuardPercent setting.</summary>
        public int? ShrinkGuardPercent { get; set; }

        /// <summary>Apply syncs the shrink guard would hold.</summary>
        public bool Force { get; set; }
    }
}
