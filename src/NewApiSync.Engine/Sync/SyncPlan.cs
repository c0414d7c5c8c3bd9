using System;
using System.Collections.Generic;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Sync
{
    /// <summary>What syncing one channel would do: write a new model list, or nothing and why.</summary>
    public sealed class SyncPlan
    {
        private static readonly IReadOnlyList<string> NoNames = Array.Empty<string>();

        internal SyncPlan(ChannelModelList oldModels, ChannelModelList newModels, ModelListDiff diff, IReadOnlyList<string> keptAliases, string? skipReason)
        {
            OldModels = oldModels;
            NewModels = newModels;
            Diff = diff;
            KeptAliases = keptAliases;
            SkipReason = skipReason;
        }

        public ChannelModelList OldModels { get; }

        /// <summary>The list to write (the old one when nothing is to be written).</summary>
        public ChannelModelList NewModels { get; }

        public ModelListDiff Diff { get; }

        /// <summary>Mapping keys kept in models because their target is still served (redirect aliases).</summary>
        public IReadOnlyList<string> KeptAliases { get; }

        /// <summary>Models upstream no longer lists that stay because a KeepModel pattern protects them.</summary>
        public IReadOnlyList<string> ProtectedModels { get; internal init; } = NoNames;

        /// <summary>Models a Replace sync would remove that SyncMode AddOnly kept, for an admin to review.</summary>
        public IReadOnlyList<string> PendingRemovals { get; internal init; } = NoNames;

        /// <summary>New upstream models not added because the server's own ignore list names them.</summary>
        public IReadOnlyList<string> IgnoredModels { get; internal init; } = NoNames;

        /// <summary>Why the channel must not be written (e.g. an empty upstream), or null.</summary>
        public string? SkipReason { get; }
    }
}
