using System.Collections.Generic;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>What one Test-NewApiModelRedirect invocation should do.</summary>
    public sealed class MappingCheckRequest : ChannelRunRequest
    {
        /// <summary>Also fetch each channel's upstream list and flag targets it no longer serves.</summary>
        public bool Upstream { get; set; }

        /// <summary>Remove the fixable entries (a journaled Repair run under the site's lock).</summary>
        public bool Fix { get; set; }

        /// <summary>With <see cref="Fix"/>: plan and ask, write nothing, take no lock, leave no journal.</summary>
        public bool WhatIf { get; set; }

        public RunOptions Options { get; set; } = new RunOptions();
    }
}
