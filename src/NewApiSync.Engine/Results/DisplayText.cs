using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using NewApiSync.Engine.Api;

namespace NewApiSync.Engine.Results
{
    /// <summary>
    /// Text as the format views (module/NewApiSync.Format.ps1xml) show it: names and messages escaped by
    /// <see cref="Text.DisplayText"/> (a hostile ESC, BEL or U+202E cannot drive the terminal; the objects keep the raw
    /// data), failures with their cause first, model counts with one ASCII minus sign.
    /// </summary>
    public static class DisplayText
    {
        private static readonly Regex StatusCode = new Regex(@"\bstatus(?: code)?:?\s*(?<code>[1-5]\d\d)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The text with every control or bidi-formatting character replaced by a visible escape; null stays null.</summary>
        public static string? Safe(string? text) => text is null ? null : Text.DisplayText.Escape(text);

        /// <summary>Names joined for a table or list cell, each made safe.</summary>
        public static string Join(IEnumerable<string>? names, string separator = ", ")
        {
            if (names is null)
            {
                return string.Empty;
            }

            var parts = new List<string>();
            foreach (string name in names)
            {
                parts.Add(Safe(name) ?? string.Empty);
            }

            return string.Join(separator, parts);
        }

        /// <summary>
        /// A failure as a table cell: its cause first (the kind of failure and the HTTP or upstream status code), then the
        /// message, so a narrow column still shows why, e.g. "Upstream 401: The upstream provider of channel 11 …".
        /// </summary>
        public static string? Failure(NewApiErrorKind? kind, int? httpStatus, string? error)
        {
            if (string.IsNullOrEmpty(error) && kind is null)
            {
                return null;
            }

            string cause = Cause(kind, httpStatus, error);
            string message = Safe(error) ?? string.Empty;
            return cause.Length == 0 ? message : message.Length == 0 ? cause : cause + ": " + message;
        }

        /// <summary>"Upstream 401", "RateLimited 429", "NotFound": the kind of failure and the HTTP or upstream status code.</summary>
        public static string Cause(NewApiErrorKind? kind, int? httpStatus, string? error)
        {
            string? code = null;
            if (error is not null && StatusCode.Match(error) is { Success: true } match)
            {
                code = match.Groups["code"].Value; // the upstream's own status, reported inside a 200 reply
            }
            else if (httpStatus is int status && status >= 300)
            {
                code = status.ToString(CultureInfo.InvariantCulture);
            }

            return string.Join(" ", new[] { kind?.ToString(), code }.Where(part => !string.IsNullOrEmpty(part)));
        }

        /// <summary>A channel result's message cell: the failure for a failed channel, else the neutral reason.</summary>
        public static string? Message(NewApiSyncResult result)
        {
            if (result is null)
            {
                return null;
            }

            if (result.Status != ChannelResultStatus.Failed)
            {
                return Safe(result.Reason);
            }

            // A streak stands right after the cause, so a narrow column still leads with why the channel failed.
            string? failure = Failure(result.ErrorKind, result.HttpStatus, result.Error);
            if (result.ConsecutiveFailures > 1 && result.FailingSince is DateTimeOffset since)
            {
                string streak = string.Format(CultureInfo.InvariantCulture, "[failed {0} runs in a row since {1:yyyy-MM-dd HH:mm}]", result.ConsecutiveFailures, since.ToLocalTime());
                string cause = Cause(result.ErrorKind, result.HttpStatus, result.Error);
                failure = failure is null ? streak
                    : cause.Length > 0 && failure.StartsWith(cause, StringComparison.Ordinal) ? cause + " " + streak + failure.Substring(cause.Length)
                    : streak + " " + failure;
            }

            return failure;
        }

        /// <summary>A redirect or clear result's message cell: the failure, else the reason, else what a clear removed.</summary>
        public static string? Message(NewApiModelRedirectResult result)
        {
            if (result is null)
            {
                return null;
            }

            if (result.Status == RedirectStatus.Failed)
            {
                return Failure(result.ErrorKind, result.HttpStatus, result.Error);
            }

            if (!string.IsNullOrEmpty(result.Reason))
            {
                return Safe(result.Reason);
            }

            return result.MappingKeysRemoved.Length > 0 ? "Removed " + Join(result.MappingKeysRemoved) : null;
        }

        /// <summary>"+3 -1", the model counts of a change; ASCII so cron mails and logs show it as it is.</summary>
        public static string Counts(int added, int removed) => "+" + added.ToString(CultureInfo.InvariantCulture) + " -" + removed.ToString(CultureInfo.InvariantCulture);
    }
}
