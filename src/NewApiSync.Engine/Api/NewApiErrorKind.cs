namespace NewApiSync.Engine.Api
{
    /// <summary>
    /// What went wrong, as a stable word scripts can switch on. The first group classifies replies of the
    /// admin API; the second names failures that NewApiSync itself decides.
    /// </summary>
    // long-based on purpose: ConvertTo-Json writes 64-bit enums by name, so exported results show "Failed", not 1, with no -EnumsAsStrings.
    public enum NewApiErrorKind : long
    {
        /// <summary>401, or the token was rejected: retrying cannot help.</summary>
        Authentication,
        /// <summary>403: the user's role or per-action permission is too low.</summary>
        Forbidden,
        /// <summary>404, or the channel does not exist.</summary>
        NotFound,
        /// <summary>429 from the server's per-IP limit.</summary>
        RateLimited,
        /// <summary>5xx from the server or a proxy in front of it.</summary>
        Server,
        /// <summary>Connection refused or reset, DNS failure, TLS failure.</summary>
        Network,
        /// <summary>No reply within the request timeout.</summary>
        Timeout,
        /// <summary>A reply that is not the JSON envelope the admin API speaks (e.g. an HTML 502 page), or malformed data.</summary>
        Protocol,
        /// <summary>success:false for any other reason; the server's message is kept.</summary>
        Rejected,
        /// <summary>success:false from fetch_models: the upstream provider could not be asked.</summary>
        Upstream,

        /// <summary>The channel's existing model_mapping is not a JSON object of strings.</summary>
        InvalidExistingMapping,
        /// <summary>The channel changed since the journaled run, so restoring it would overwrite someone's work.</summary>
        ChannelChanged,
        /// <summary>One channel's processing exceeded -ChannelTimeoutSec.</summary>
        ChannelTimeout,
        /// <summary>The run was stopped (Ctrl+C) before the channel finished.</summary>
        Cancelled,
        /// <summary>A write whose outcome could not be established even after reading the channel back.</summary>
        UncertainWrite,
        /// <summary>Another run for the same site holds its run lock (a scheduled run and a manual one).</summary>
        RunInProgress,
        /// <summary>
        /// The journal could not take a channel's undo record (disk full, read-only or missing data folder): that channel
        /// is not written and the run stops, because no write is ever sent without its undo record on disk.
        /// </summary>
        JournalUnwritable,
    }
}
