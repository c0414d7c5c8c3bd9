using System;

namespace NewApiSync.Sandbox
{
    /// <summary>Which shape of the admin API the sandbox imitates (docs/newapi-admin-api.md).</summary>
    public enum SandboxGeneration
    {
        /// <summary>Since 2025-06: list data is {items, total, page, page_size, type_counts}; pages are 1-based.</summary>
        Paged,
        /// <summary>Before 2025-06: list data is a plain array; pages are 0-based; auth failures are 200 + success:false.</summary>
        Legacy,
    }

    /// <summary>How the sandbox behaves; tests change these to imitate a particular server release.</summary>
    public sealed class SandboxOptions
    {
        public SandboxGeneration Generation { get; set; } = SandboxGeneration.Paged;

        /// <summary>What GET /api/status reports.</summary>
        public string Version { get; set; } = "v0.9.6-sandbox";

        /// <summary>The access token the sandbox accepts. Random unless a test fixes it.</summary>
        public string AccessToken { get; set; } = "sbx-" + Guid.NewGuid().ToString("N");

        public int UserId { get; set; } = 1;

        /// <summary>The user's role: 100 root, 10 admin, 1 common user (channel routes need 10; sensitive fields need 100).</summary>
        public int UserRole { get; set; } = 100;

        /// <summary>Servers from 2025-01 to 2026-07 require New-Api-User to match the token's user.</summary>
        public bool RequireUserHeader { get; set; } = true;

        /// <summary>
        /// Imitates the server's global per-IP limit on /api: this many requests per <see cref="RateLimitWindow"/>,
        /// then 429 with an empty body. 0 = no limit.
        /// </summary>
        public int RateLimitRequests { get; set; }

        public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(180);

        /// <summary>Newer servers add Retry-After (seconds) to a 429; older ones send nothing.</summary>
        public bool SendRetryAfter { get; set; } = true;

        /// <summary>Newer servers reject an update body that contains "status".</summary>
        public bool RejectStatusInUpdate { get; set; } = true;

        /// <summary>How long fetch_models takes (the upstream provider's latency).</summary>
        public TimeSpan FetchModelsDelay { get; set; } = TimeSpan.Zero;

        /// <summary>Messages in Chinese, as servers before 2026-02 sent them.</summary>
        public bool ChineseMessages { get; set; } = true;

        /// <summary>A lying server: the paged list reports this as its total instead of the real count (null: the truth).</summary>
        public int? ReportedTotal { get; set; }

        /// <summary>A hostile server: every list page is full of new, made-up channel ids, however far a client pages.</summary>
        public bool EndlessChannelList { get; set; }

        internal bool Legacy => Generation == SandboxGeneration.Legacy;
    }
}
