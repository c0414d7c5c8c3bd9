using System;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// Every error the module reports is built here, so ErrorIds stay stable, categories fit, and each message ends
    /// with what to do next.
    /// </summary>
    internal static class ErrorRecords
    {
        public static ErrorCategory CategoryOf(NewApiErrorKind kind) => kind switch
        {
            NewApiErrorKind.Authentication => ErrorCategory.AuthenticationError,
            NewApiErrorKind.Forbidden => ErrorCategory.PermissionDenied,
            NewApiErrorKind.NotFound => ErrorCategory.ObjectNotFound,
            NewApiErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
            NewApiErrorKind.Server => ErrorCategory.ResourceUnavailable,
            NewApiErrorKind.Network => ErrorCategory.ConnectionError,
            NewApiErrorKind.Timeout => ErrorCategory.OperationTimeout,
            NewApiErrorKind.Protocol => ErrorCategory.InvalidData,
            NewApiErrorKind.Rejected => ErrorCategory.InvalidOperation,
            NewApiErrorKind.Upstream => ErrorCategory.ResourceUnavailable,
            NewApiErrorKind.InvalidExistingMapping => ErrorCategory.InvalidData,
            NewApiErrorKind.ChannelChanged => ErrorCategory.ResourceExists,
            NewApiErrorKind.ChannelTimeout => ErrorCategory.OperationTimeout,
            NewApiErrorKind.Cancelled => ErrorCategory.OperationStopped,
            NewApiErrorKind.UncertainWrite => ErrorCategory.InvalidResult,
            NewApiErrorKind.RunInProgress => ErrorCategory.ResourceBusy,
            NewApiErrorKind.JournalUnwritable => ErrorCategory.WriteError,
            _ => ErrorCategory.NotSpecified,
        };

        /// <summary>What an admin should do about each kind of failure.</summary>
        public static string AdviceFor(NewApiErrorKind kind) => kind switch
        {
            NewApiErrorKind.Authentication => "Check the access token (New API: Personal settings → System access token) and the user id, then run Connect-NewApi again.",
            NewApiErrorKind.Forbidden => "Use the access token of an admin or root user.",
            NewApiErrorKind.NotFound => "Check the channel id with Get-NewApiChannel.",
            NewApiErrorKind.RateLimited => "Lower -RequestsPerMinute (Set-NewApiSyncSetting -RequestsPerMinute) or raise the server's rate limit.",
            NewApiErrorKind.Server => "The server or a proxy in front of it failed; try again later, or look at the server's log.",
            NewApiErrorKind.Network => "Check that the site is reachable from this machine (address, DNS, firewall, proxy).",
            NewApiErrorKind.Timeout => "The site answered too slowly; try again, or raise -ChannelTimeoutSec.",
            NewApiErrorKind.Protocol => "The reply was not New API's JSON; check that -BaseUrl points at the New API site itself and not at a proxy error page.",
            NewApiErrorKind.Rejected => "Read the server's message; the request was refused.",
            NewApiErrorKind.Upstream => "The provider behind the channel refused to list its models: check the channel's key and base URL in New API, then re-run with -FailedOnly.",
            NewApiErrorKind.InvalidExistingMapping => "Fix the channel's model mapping in New API, or use -Force to replace it (the old text is kept in the journal).",
            NewApiErrorKind.ChannelChanged => "The channel changed since that run; review it, and use -Force to restore anyway.",
            NewApiErrorKind.ChannelTimeout => "Raise -ChannelTimeoutSec or re-run with -FailedOnly.",
            NewApiErrorKind.Cancelled => "Re-run with -FailedOnly to finish the remaining channels.",
            NewApiErrorKind.UncertainWrite => "Check the channel with Get-NewApiChannel and re-run with -FailedOnly.",
            NewApiErrorKind.RunInProgress => "Wait for the other run to finish (Get-NewApiSyncHistory -Run shows it), then try again.",
            NewApiErrorKind.JournalUnwritable => "Free space in (or make writable) the data folder named in the message, or point $env:NEWAPISYNC_DATA at a writable folder, then re-run with -FailedOnly. Channels finished before the stop are in the output and the journal.",
            _ => "See about_NewApiSync for troubleshooting.",
        };

        public static ErrorRecord FromApi(NewApiException ex, string errorId, object? target)
        {
            var record = new ErrorRecord(ex, errorId, CategoryOf(ex.Kind), target);
            record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = AdviceFor(ex.Kind) };
            return record;
        }

        /// <summary>The non-terminating error of a channel that failed in a run; its target is the channel's result.</summary>
        public static ErrorRecord ForFailedChannel(int channelId, string channelName, NewApiErrorKind? errorKind, string? error, int? httpStatus, object target, string errorId)
        {
            NewApiErrorKind kind = errorKind ?? NewApiErrorKind.Rejected;
            // A channel known only by id (-Id 999) has no name to quote; a name from the server is shown escaped.
            string who = string.IsNullOrEmpty(channelName) ? $"Channel #{channelId}" : $"Channel '{DisplayText.Safe(channelName)}' (#{channelId})";
            // The cause leads ("failed (Upstream 401): ..."), so a cut-off line still says why.
            string message = kind == NewApiErrorKind.NotFound ? $"{who} does not exist. {DisplayText.Safe(error)}" : $"{who} failed ({DisplayText.Cause(kind, httpStatus, error)}): {DisplayText.Safe(error)}";
            var exception = new NewApiException(kind, message) { HttpStatus = httpStatus };
            var record = new ErrorRecord(exception, errorId, CategoryOf(kind), target);
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = AdviceFor(kind) };
            return record;
        }

        public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, string? recommendedAction = null, Exception? inner = null)
        {
            var exception = category switch
            {
                ErrorCategory.InvalidArgument => (Exception)new ArgumentException(message, inner),
                ErrorCategory.ObjectNotFound => new ItemNotFoundException(message, inner),
                _ => new InvalidOperationException(message, inner),
            };
            var record = new ErrorRecord(exception, errorId, category, target);
            if (recommendedAction is not null)
            {
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = recommendedAction };
            }

            return record;
        }
    }
}
