using System;

namespace NewApiSync.Engine.Api
{
    /// <summary>How a <see cref="NewApiClient"/> behaves beyond the connection itself.</summary>
    public sealed class NewApiClientOptions
    {
        /// <summary>Paces requests; shared by every client of one run. Default: unlimited, honouring only 429 pauses.</summary>
        public RequestThrottle? Throttle { get; set; }

        public INewApiLog Log { get; set; } = NullNewApiLog.Instance;

        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>A reply larger than this is refused as a Protocol error (a sane bound against a runaway proxy).</summary>
        public long MaxResponseBytes { get; set; } = 64L * 1024 * 1024;

        /// <summary>The most channels one listing accepts before it stops with a Protocol error (a server that pages forever).</summary>
        public int MaxListedChannels { get; set; } = NewApiClient.MaxListedChannels;

        /// <summary>How many 429 replies in a row one request tolerates before it fails as RateLimited.</summary>
        public int RateLimitRetries { get; set; } = 8;

        /// <summary>Backoff for a 429 without Retry-After: this, doubled per consecutive 429, capped at a minute.</summary>
        public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromSeconds(2);
    }
}
