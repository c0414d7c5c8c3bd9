using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Results
{
    /// <summary>
    /// One channel's outcome of New-NewApiModelRedirect or Clear-NewApiModelRedirect. The redirect plan fills the planned
    /// part (RedirectPlan.ToResult); the run then records what the write did (status, HTTP status, attempts, times).
    /// </summary>
    public sealed class NewApiModelRedirectResult
    {
        public string RunId { get; set; } = string.Empty;

        public int ChannelId { get; set; }

        public string ChannelName { get; set; } = string.Empty;

        public RedirectStatus Status { get; set; }

        /// <summary>
        /// True when the channel's models or mapping were written (Updated, Cleared); in a -WhatIf preview, true when
        /// they would be.
        /// </summary>
        public bool Changed { get; set; }

        /// <summary>True on every record of a -WhatIf preview, which wrote nothing.</summary>
        public bool WhatIf { get; set; }

        /// <summary>Entries written, standard → actual, in standard-list order (replacements included).</summary>
        public ModelMapping Added { get; set; } = ModelMapping.Empty;

        /// <summary>The entries of <see cref="Added"/> that overwrote another target: standard → previous target.</summary>
        public ModelMapping Replaced { get; set; } = ModelMapping.Empty;

        /// <summary>
        /// Standard names the channel cannot serve → why (a RedirectSkipReason name), in list order. Names
        /// the channel already serves (listed in its models, or already mapped) are in <see cref="AlreadyServed"/> instead.
        /// </summary>
        public IReadOnlyDictionary<string, string> Unmatched { get; set; } = ModelMapping.Empty;

        /// <summary>Standard names that needed no entry: the channel lists them already, or its mapping already sends them to the chosen model.</summary>
        public NameList AlreadyServed { get; set; } = NameList.Empty;

        public NameList AddedModels { get; set; } = NameList.Empty;

        public NameList RemovedModels { get; set; } = NameList.Empty;

        /// <summary>Mapping keys a clear or prune removed.</summary>
        public NameList MappingKeysRemoved { get; set; } = NameList.Empty;

        /// <summary>The mapping after the run; null when the stored one is invalid and was left alone.</summary>
        public ModelMapping? Mapping { get; set; }

        /// <summary>model_mapping text before the run, exactly as stored.</summary>
        public string? OldModelMapping { get; set; }

        /// <summary>model_mapping text written by the run; null when the mapping was not rewritten.</summary>
        public string? NewModelMapping { get; set; }

        public string? Reason { get; set; }

        public string? Error { get; set; }

        public NewApiErrorKind? ErrorKind { get; set; }

        public int? HttpStatus { get; set; }

        /// <summary>Total tries for this channel, retries included.</summary>
        public int Attempts { get; set; }

        public DateTimeOffset StartedAt { get; set; }

        public DateTimeOffset FinishedAt { get; set; }

        public TimeSpan Duration => FinishedAt >= StartedAt ? FinishedAt - StartedAt : TimeSpan.Zero;
        public override string ToString() => $"{ChannelName} (#{ChannelId}): {Status}";
    }
}
