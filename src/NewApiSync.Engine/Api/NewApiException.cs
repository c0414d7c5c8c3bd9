using System;

namespace NewApiSync.Engine.Api
{
    /// <summary>
    /// The one exception type the admin API client throws (besides OperationCanceledException for a caller's
    /// cancellation). Messages name the request by method and path only: never a header, never the token.
    /// </summary>
    public sealed class NewApiException : Exception
    {
        public NewApiException(NewApiErrorKind kind, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Kind = kind;
        }

        public NewApiErrorKind Kind { get; }

        /// <summary>The HTTP status of the reply, when there was one.</summary>
        public int? HttpStatus { get; init; }

        /// <summary>Retry-After from a 429 reply, when the server sent one.</summary>
        public TimeSpan? RetryAfter { get; init; }

        /// <summary>The server's own message from a success:false envelope (may be Chinese on older servers).</summary>
        public string? ServerMessage { get; init; }

        /// <summary>The envelope's optional "code" (newer servers, e.g. AUTH_UNAUTHORIZED).</summary>
        public string? ServerCode { get; init; }

        /// <summary>"GET /api/channel/7" — what was asked, with no query secrets (there are none) and no headers.</summary>
        public string? Request { get; init; }

        /// <summary>True when the request may have reached the server (the reply was lost): a write may have happened.</summary>
        public bool RequestMayHaveBeenSent { get; init; }

        /// <summary>True for the failures a retry can cure.</summary>
        public bool IsTransient => Kind is NewApiErrorKind.Network or NewApiErrorKind.Timeout or NewApiErrorKind.Server
            or NewApiErrorKind.Protocol or NewApiErrorKind.Upstream or NewApiErrorKind.RateLimited;

        /// <summary>Failures that mean every other request of the run would fail the same way.</summary>
        public bool IsFatalForRun => IsFatalForRunKind(Kind);

        /// <summary>
        /// The kinds that stop a whole run (a refused token or role, a journal that cannot take the undo record); the
        /// one rule for the engine, which stops on them, and the cmdlets, which report them once for the run.
        /// </summary>
        public static bool IsFatalForRunKind(NewApiErrorKind kind) =>
            kind is NewApiErrorKind.Authentication or NewApiErrorKind.Forbidden or NewApiErrorKind.JournalUnwritable;
    }
}
