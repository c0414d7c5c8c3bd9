using System.Collections.Generic;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// Which channels a run over channels acts on, the part every such request shares (sync, redirect and clear,
    /// mapping check): with neither <see cref="Channels"/> nor <see cref="ChannelIds"/>, the whole site.
    /// </summary>
    public abstract class ChannelRunRequest
    {
        /// <summary>How the channels were chosen, as the journal records it.</summary>
        public RunMode Mode { get; set; } = RunMode.All;

        /// <summary>Channels already read (piped in); used as they are.</summary>
        public IReadOnlyList<Channel>? Channels { get; set; }

        /// <summary>Channel ids to read first; a missing one fails alone.</summary>
        public IReadOnlyList<int>? ChannelIds { get; set; }
    }
}
