namespace NewApiSync.Engine.Results
{
    /// <summary>What is wrong with one model_mapping entry (or with the whole mapping).</summary>
    public enum RedirectProblemKind
    {
        /// <summary>The stored model_mapping is not a JSON object of names; New API cannot use any of it.</summary>
        UnreadableMapping,
        /// <summary>The key is not in the channel's models, so New API never routes a request for it to this channel.</summary>
        KeyNotListed,
        /// <summary>The entry's final target is not in the channel's models any more.</summary>
        TargetNotListed,
        /// <summary>The entry's final target is not in the list the upstream serves now (-Upstream).</summary>
        TargetNotServed,
        /// <summary>The target is itself a key that redirects further (a → b → c). New API follows it; it is fragile.</summary>
        Chain,
        /// <summary>Following the entry comes back to a name already visited; New API fails it (model_mapping_contains_cycle).</summary>
        Cycle,
        /// <summary>Key and target name the same model family at different versions (claude-4.5-sonnet → claude-3-5-sonnet).</summary>
        CrossesVersion,
    }

    /// <summary>One problem Test-NewApiModelRedirect found: a channel, a mapping entry, what is wrong and why it matters.</summary>
    public sealed class NewApiModelRedirectProblem
    {
        public int ChannelId { get; set; }

        public string ChannelName { get; set; } = string.Empty;

        /// <summary>The mapping key (the requested name); null for an unreadable mapping.</summary>
        public string? Key { get; set; }

        /// <summary>The entry's target as stored; null for an unreadable mapping.</summary>
        public string? Target { get; set; }

        public RedirectProblemKind Kind { get; set; }

        public string Explanation { get; set; } = string.Empty;

        /// <summary>True when -Fix removes the entry (chains route, and an unreadable mapping has no entries to remove).</summary>
        public bool Fixable { get; set; }

        /// <summary>True when -Fix removed the entry from the server.</summary>
        public bool Fixed { get; set; }

        /// <summary>The -Fix run that removed the entry (Restore-NewApiChannel -RunId puts it back); null otherwise.</summary>
        public string? RunId { get; set; }

        /// <summary>The site the channel belongs to.</summary>
        public string BaseUrl { get; set; } = string.Empty;

        public override string ToString() =>
            Key is null ? $"{ChannelName} (#{ChannelId}): {Kind}" : $"{ChannelName} (#{ChannelId}): {Key} \u2192 {Target}: {Kind}";
    }
}
