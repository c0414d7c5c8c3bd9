using System.Collections.Generic;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>What one redirect or clear run should do (New-/Clear-NewApiModelRedirect).</summary>
    public sealed class ModelRedirectRequest : ChannelRunRequest
    {
        /// <summary><see cref="RunKind.Redirect"/> or <see cref="RunKind.Clear"/>.</summary>
        public RunKind Kind { get; set; } = RunKind.Redirect;

        /// <summary>Standard names, in priority order; null = the saved setting, else the built-in list.</summary>
        public IReadOnlyList<string>? StandardModels { get; set; }

        /// <summary>Redirect: replace an existing mapping that is not a JSON object of names (its text is journaled).</summary>
        public bool Force { get; set; }

        /// <summary>Also touch manually and auto-disabled channels (status 2 and 3).</summary>
        public bool IncludeDisabled { get; set; }

        /// <summary>Clear: leave the aliases a redirect added in models.</summary>
        public bool KeepModels { get; set; }

        /// <summary>Redirect: also remove entries whose target the channel no longer serves.</summary>
        public bool PruneMissingTargets { get; set; }

        public bool WhatIf { get; set; }

        public RunOptions Options { get; set; } = new RunOptions();
    }
}
