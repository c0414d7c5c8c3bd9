using System;
using System.Collections.Generic;

namespace NewApiSync.Sandbox
{
    /// <summary>One request the sandbox received, as tests inspect it. The Authorization header is never recorded.</summary>
    public sealed class SandboxRequest
    {
        public string Method { get; internal set; } = string.Empty;

        /// <summary>The path without the query, e.g. /api/channel/.</summary>
        public string Path { get; internal set; } = string.Empty;

        public string Query { get; internal set; } = string.Empty;

        /// <summary>The body as text (UTF-8), empty when there was none.</summary>
        public string Body { get; internal set; } = string.Empty;

        /// <summary>Every header but Authorization, names lower-cased.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; internal set; } = new Dictionary<string, string>();

        /// <summary>True when the request carried the sandbox's token (Bearer or raw).</summary>
        public bool Authorized { get; internal set; }

        public SandboxRoute Route { get; internal set; }

        public int? ChannelId { get; internal set; }

        /// <summary>The status sent back, or 0 when the connection was reset.</summary>
        public int Status { get; internal set; }

        /// <summary>The fault that caught this request, if any.</summary>
        public SandboxFaultKind? Fault { get; internal set; }

        public DateTimeOffset ReceivedAt { get; internal set; }

        /// <summary>Monotonic receive time (Stopwatch ticks), for measuring rates and bursts.</summary>
        public long Timestamp { get; internal set; }

        public override string ToString() => $"{Method} {Path}{(Query.Length > 0 ? "?" + Query : string.Empty)} -> {Status}";
    }
}
