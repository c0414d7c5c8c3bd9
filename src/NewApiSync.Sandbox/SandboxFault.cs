using System;

namespace NewApiSync.Sandbox
{
    /// <summary>Which admin API route a fault applies to.</summary>
    public enum SandboxRoute
    {
        Any,
        Status,
        ListChannels,
        GetChannel,
        FetchModels,
        UpdateChannel,
    }

    /// <summary>What an injected fault does to the request it catches.</summary>
    public enum SandboxFaultKind
    {
        /// <summary>HTTP 500 with a JSON envelope.</summary>
        ServerError,
        /// <summary>HTTP 502 with an HTML page, as a proxy in front of the server sends it.</summary>
        HtmlBadGateway,
        /// <summary>The connection is reset (TCP RST) part-way through the reply.</summary>
        Reset,
        /// <summary>The reply is delayed by <see cref="SandboxFault.Delay"/>, then served normally.</summary>
        Delay,
        /// <summary>HTTP 429 with an empty body; Retry-After when <see cref="SandboxFault.RetryAfter"/> is set.</summary>
        RateLimited,
        /// <summary>HTTP 200 with a truncated JSON body.</summary>
        MalformedBody,
        /// <summary>HTTP 200 with success:false and <see cref="SandboxFault.Message"/>.</summary>
        SuccessFalse,
        /// <summary>HTTP 401 (newer servers) for any token problem.</summary>
        Unauthorized,
        /// <summary>HTTP 403: the role is too low.</summary>
        Forbidden,
        /// <summary>The update is applied, then the connection is reset: the client cannot know it happened.</summary>
        ResetAfterWrite,
        /// <summary>The update is applied, then HTTP 502 HTML: again the client cannot know it happened.</summary>
        BadGatewayAfterWrite,
        /// <summary>HTTP 200 with a body that is valid JSON of the wrong shape (data is a number).</summary>
        WrongShape,
        /// <summary>Exactly <see cref="SandboxFault.Status"/>, <see cref="SandboxFault.ContentType"/> and <see cref="SandboxFault.Body"/> (fuzzing).</summary>
        CustomReply,
        /// <summary>HTTP 302 to <see cref="SandboxFault.Location"/>, as a misconfigured proxy or a moved site sends it.</summary>
        Redirect,
        /// <summary>The update is applied, then the reply waits <see cref="SandboxFault.Delay"/> (a slow proxy, a stalled link): a client that gives up or dies meanwhile cannot know the write happened.</summary>
        ApplyThenReplyLate,
        /// <summary>The update is applied, then HTTP 200 with success:false and <see cref="SandboxFault.Message"/>: a refusal that is not true.</summary>
        SuccessFalseAfterWrite,
        /// <summary>
        /// Another admin edits the channel while this request is served: before the reply, the channel's models become
        /// <see cref="SandboxFault.SetModels"/> and its model_mapping <see cref="SandboxFault.SetModelMapping"/> (each when
        /// set); then the request is served normally. On FetchModels it is "the channel changes while its upstream is fetched".
        /// </summary>
        ChangeChannel,
    }

    /// <summary>
    /// One fault rule: the next <see cref="Count"/> requests on <see cref="Route"/> (for <see cref="ChannelId"/>, when
    /// given) get <see cref="Kind"/> instead of the normal reply.
    /// </summary>
    public sealed class SandboxFault
    {
        public SandboxFault(SandboxRoute route, SandboxFaultKind kind, int count = 1)
        {
            if (count < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "A fault applies to at least one request.");
            }

            Route = route;
            Kind = kind;
            Remaining = count;
        }

        public SandboxRoute Route { get; }

        public SandboxFaultKind Kind { get; }

        /// <summary>Only requests about this channel (fetch_models/{id}, GET /api/channel/{id}, a PUT with this id).</summary>
        public int? ChannelId { get; set; }

        public TimeSpan Delay { get; set; }

        public TimeSpan? RetryAfter { get; set; }

        public string Message { get; set; } = "sandbox fault";

        /// <summary>The HTTP status of a <see cref="SandboxFaultKind.CustomReply"/>.</summary>
        public int Status { get; set; } = 200;

        /// <summary>The Content-Type of a <see cref="SandboxFaultKind.CustomReply"/> (empty: none).</summary>
        public string ContentType { get; set; } = "application/json";

        /// <summary>The raw body of a <see cref="SandboxFaultKind.CustomReply"/>, sent as UTF-8 exactly as given.</summary>
        public string Body { get; set; } = string.Empty;

        /// <summary>
        /// The raw body of a <see cref="SandboxFaultKind.CustomReply"/> as bytes, sent as they are and shared by every reply
        /// (so a test of huge replies does not hold one copy per request); wins over <see cref="Body"/>.
        /// </summary>
        public byte[]? BodyBytes { get; set; }

        /// <summary>A <see cref="SandboxFaultKind.CustomReply"/> without Content-Length, ended by closing the connection.</summary>
        public bool OmitContentLength { get; set; }

        /// <summary>Where a <see cref="SandboxFaultKind.Redirect"/> points.</summary>
        public string Location { get; set; } = "http://127.0.0.1:9/";

        /// <summary>The models (comma-separated) a <see cref="SandboxFaultKind.ChangeChannel"/> gives the channel; null leaves them.</summary>
        public string? SetModels { get; set; }

        /// <summary>The model_mapping a <see cref="SandboxFaultKind.ChangeChannel"/> gives the channel; null leaves it.</summary>
        public string? SetModelMapping { get; set; }

        /// <summary>How many more requests this rule catches.</summary>
        public int Remaining { get; internal set; }

        public override string ToString() => $"{Kind} on {Route}{(ChannelId is int id ? " #" + id : string.Empty)} ×{Remaining}";
    }
}
