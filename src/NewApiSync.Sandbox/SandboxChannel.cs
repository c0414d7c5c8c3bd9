namespace NewApiSync.Sandbox
{
    /// <summary>
    /// A channel as the sandbox stores it: the fields New API's model/channel.go has that matter to the admin API.
    /// Mutable, guarded by the owning <see cref="SandboxSite"/>.
    /// </summary>
    public sealed class SandboxChannel
    {
        public int Id { get; set; }

        public int Type { get; set; } = 1;

        public string Name { get; set; } = string.Empty;

        /// <summary>1 enabled, 2 manually disabled, 3 auto-disabled.</summary>
        public int Status { get; set; } = 1;

        /// <summary>Comma-separated, as New API stores it.</summary>
        public string Models { get; set; } = string.Empty;

        /// <summary>A JSON object encoded as a string; may be null, "" or invalid JSON (the server does not validate it).</summary>
        public string? ModelMapping { get; set; }

        public string Group { get; set; } = "default";

        public string? Tag { get; set; }

        public long Priority { get; set; }

        public long Weight { get; set; }

        public string? BaseUrl { get; set; }

        /// <summary>
        /// The channel's <c>settings</c>: a JSON object encoded as a string, or null. Servers since 2026-02 keep their own
        /// upstream model update state here (upstream_model_update_check_enabled, _auto_sync_enabled, _ignored_models).
        /// Listed and returned, never changed by an update from the module.
        /// </summary>
        public string? Settings { get; set; }

        /// <summary>The provider key: stored, never listed (listings send "").</summary>
        public string Key { get; set; } = "sk-upstream-secret";

        public long CreatedTime { get; set; } = 1735689600;

        /// <summary>What fetch_models returns for this channel (the provider's current list).</summary>
        public string[] UpstreamModels { get; set; } = new string[0];

        /// <summary>When set, fetch_models fails with this message (200 + success:false), like a provider rejecting the key.</summary>
        public string? UpstreamError { get; set; }

        /// <summary>How many updates the server applied to this channel.</summary>
        public int UpdateCount { get; set; }

        public SandboxChannel Clone() => (SandboxChannel)MemberwiseClone();
    }
}
