using System;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Text;

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
            NewApiErrorKind.Timeout => "The site answered too slowly; try again, raise Connect-NewApi -RequestTimeoutSec, or raise -ChannelTimeoutSec when whole channels take too long.",
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

        /// <summary>
        /// The ErrorId of a failure that means the same in every command: a refused token or role, a site that cannot be
        /// reached, another run holding the site, a journal that cannot take the undo record. A script that catches
        /// NewApiPermissionDenied catches it from Connect-NewApi, Get-NewApiChannel and every run alike. Any other kind
        /// (a 5xx after retries, a reply that is not New API's, a refusal) is named after what the command could not do:
        /// <paramref name="otherwise"/> (CannotListChannels, RunFailed, NewApiConnectFailed).
        /// </summary>
        public static string IdFor(NewApiErrorKind kind, string otherwise) => kind switch
        {
            NewApiErrorKind.Authentication => "NewApiAuthenticationFailed",
            NewApiErrorKind.Forbidden => "NewApiPermissionDenied",
            NewApiErrorKind.Network or NewApiErrorKind.Timeout => "NewApiSiteUnreachable",
            NewApiErrorKind.RunInProgress => "RunInProgress",
            NewApiErrorKind.JournalUnwritable => "JournalUnwritable",
            _ => otherwise,
        };

        /// <summary>A terminating API failure; its ErrorId is <see cref="IdFor"/>'s, with <paramref name="otherwiseId"/> for the kinds that have none of their own.</summary>
        public static ErrorRecord FromApi(NewApiException ex, string otherwiseId, object? target, bool connecting = false)
        {
            var record = new ErrorRecord(ex, IdFor(ex.Kind, otherwiseId), CategoryOf(ex.Kind), target);
            record.ErrorDetails = new ErrorDetails(DisplayText.Escape(ex.Message)) { RecommendedAction = AdviceFor(ex, target as NewApiConnection, connecting) };
            return record;
        }

        /// <summary>
        /// Advice that fits the cause, not only the kind: a 404 on the channel list means the address is not a New API
        /// site (no channel id was involved); Connect-NewApi has -RequestTimeoutSec, not -ChannelTimeoutSec; credentials
        /// from NEWAPI_* variables are fixed there, not with Connect-NewApi.
        /// </summary>
        public static string AdviceFor(NewApiException ex, NewApiConnection? connection, bool connecting)
        {
            bool fromEnvironment = connection?.FromEnvironment == true;
            bool channelRequest = ex.Request is string request && IsOneChannelRequest(request);
            switch (ex.Kind)
            {
                case NewApiErrorKind.Authentication when fromEnvironment:
                    return $"The credentials come from the environment: set {NewApiConnectedCmdlet.AccessTokenVariable} to the system access token (New API: Personal settings → System access token) and {NewApiConnectedCmdlet.UserIdVariable} to the id of the user who owns it, for this session and in the scheduled task.";
                case NewApiErrorKind.Forbidden when fromEnvironment:
                    return $"Set {NewApiConnectedCmdlet.AccessTokenVariable} and {NewApiConnectedCmdlet.UserIdVariable} to the token and id of an admin or root user.";
                case NewApiErrorKind.NotFound when !channelRequest:
                case NewApiErrorKind.Protocol when connecting:
                    return fromEnvironment
                        ? $"Check that {NewApiConnectedCmdlet.BaseUrlVariable} is the address of the New API site itself (the one its console opens at), with no /api or other path of a proxy."
                        : "Check that -BaseUrl is the address of the New API site itself (the one its console opens at), with no /api or other path of a proxy.";
                case NewApiErrorKind.Timeout when connecting:
                    return "The site answered too slowly; try again, or raise Connect-NewApi -RequestTimeoutSec.";
                default:
                    return AdviceFor(ex.Kind);
            }
        }

        // GET /api/channel/7 and fetch_models/7 name one channel; the list does not.
        private static bool IsOneChannelRequest(string request)
        {
            int query = request.IndexOf('?');
            string path = query >= 0 ? request.Substring(0, query) : request;
            int slash = path.LastIndexOf('/');
            return slash >= 0 && slash + 1 < path.Length && int.TryParse(path.Substring(slash + 1), out _);
        }

        /// <summary>The non-terminating error of a channel that failed in a run; its target is the channel's result.</summary>
        public static ErrorRecord ForFailedChannel(int channelId, string channelName, NewApiErrorKind? errorKind, string? error, int? httpStatus, object target, string errorId)
        {
            NewApiErrorKind kind = errorKind ?? NewApiErrorKind.Rejected;
            // A channel known only by id (-Id 999) has no name to quote; the cause leads ("failed (Upstream 401): ..."),
            // so a cut-off line still says why; server text is escaped.
            string who = string.IsNullOrEmpty(channelName) ? $"Channel #{channelId}" : $"Channel '{channelName}' (#{channelId})";
            string text = string.IsNullOrWhiteSpace(error) ? "(no error was recorded)" : error!;
            string message = kind == NewApiErrorKind.NotFound ? $"{who} does not exist. {text}" : $"{who} failed ({Engine.Results.DisplayText.Cause(kind, httpStatus, error)}): {text}";
            var exception = new NewApiException(kind, DisplayText.Escape(message)) { HttpStatus = httpStatus };
            var record = new ErrorRecord(exception, errorId, CategoryOf(kind), target);
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = AdviceFor(kind) };
            return record;
        }

        /// <summary>
        /// The data folder (settings.json and the journal) cannot be used: missing and not creatable, read-only, full, or
        /// a file. The error names the folder and NEWAPISYNC_DATA, which is how it is moved.
        /// </summary>
        public static ErrorRecord ForDataFolder(Exception ex, string dataRoot)
        {
            string variable = Engine.Storage.DataDirectory.EnvironmentVariable;
            bool fromVariable = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable));
            string resolved;
            try
            {
                resolved = Engine.Storage.DataDirectory.ResolveRoot();
            }
            catch (InvalidOperationException)
            {
                resolved = string.Empty;
            }

            string origin = !string.Equals(resolved, dataRoot, StringComparison.Ordinal) ? "this connection's own folder"
                : fromVariable ? $"set by {variable}" : $"the default; {variable} is not set";
            string reason = Engine.Storage.DataDirectory.DescribeProblem(ex, dataRoot);
            ErrorCategory category = ex is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError;
            return Create("DataFolderUnusable", category,
                $"NewApiSync cannot use its data folder '{dataRoot}' ({origin}): {reason}", dataRoot,
                $"Make '{dataRoot}' a writable folder with free space, or set {Engine.Storage.DataDirectory.EnvironmentVariable} to one; it holds settings.json and the run journal. Nothing was changed on the site.",
                ex);
        }

        /// <summary>
        /// ArgumentException appends " (Parameter 'name')" naming a C# parameter the user never saw; the rest of the
        /// message already says what is wrong.
        /// </summary>
        public static string WithoutParameterSuffix(string message, Exception? inner)
        {
            for (Exception? e = inner; e is not null; e = e.InnerException)
            {
                if (e is ArgumentException { ParamName: string name } && !string.IsNullOrEmpty(name))
                {
                    string suffix = $" (Parameter '{name}')";
                    int at = message.IndexOf(suffix, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        message = message.Remove(at, suffix.Length);
                    }
                }
            }

            return message;
        }

        /// <summary>
        /// Wildcard patterns as PowerShell reads them, refused up front with a clear error instead of failing in the
        /// middle of matching (WildcardPattern throws only when it is first used).
        /// </summary>
        public static WildcardPattern[]? Patterns(NewApiCmdlet cmdlet, string[]? texts, string parameter)
        {
            if (texts is null)
            {
                return null;
            }

            var patterns = new WildcardPattern[texts.Length];
            for (int i = 0; i < texts.Length; i++)
            {
                patterns[i] = new WildcardPattern(texts[i], WildcardOptions.IgnoreCase);
                try
                {
                    patterns[i].IsMatch(string.Empty);
                }
                catch (WildcardPatternException ex)
                {
                    throw cmdlet.Terminate(Create("InvalidWildcardPattern", ErrorCategory.InvalidArgument,
                        $"-{parameter} '{texts[i]}' is not a valid wildcard pattern: a '[' needs a closing ']'.", texts[i],
                        $"To match the character itself, escape it with a backtick: -{parameter} '`['. Wildcards: * any text, ? one character, [abc] one of these.", ex));
                }
            }

            return patterns;
        }

        public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, string? recommendedAction = null, Exception? inner = null)
        {
            message = DisplayText.Escape(WithoutParameterSuffix(message, inner));
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
