using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>What every NewApiSync completer shares: which site to ask, how to match the typed word, how to quote.</summary>
    internal static class CompletionSupport
    {
        /// <summary>The -Connection already typed on the command line, else the session's default; null when neither.</summary>
        public static NewApiConnection? ConnectionFor(IDictionary? fakeBoundParameters)
        {
            object? typed = fakeBoundParameters is not null && fakeBoundParameters.Contains("Connection") ? fakeBoundParameters["Connection"] : null;
            if (typed is PSObject wrapped)
            {
                typed = wrapped.BaseObject;
            }

            return typed as NewApiConnection ?? ModuleSession.Current.DefaultConnection;
        }

        /// <summary>The typed word without its quotes, as a case-insensitive prefix pattern (wildcards the user typed still work).</summary>
        public static WildcardPattern PrefixPattern(string? wordToComplete)
        {
            string word = Unquote(wordToComplete);
            return new WildcardPattern(word + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        }

        public static string Unquote(string? wordToComplete)
        {
            string word = (wordToComplete ?? string.Empty).Trim();
            if (word.Length > 0 && (word[0] == '\'' || word[0] == '"'))
            {
                word = word.Substring(1);
            }

            if (word.Length > 0 && (word[word.Length - 1] == '\'' || word[word.Length - 1] == '"'))
            {
                word = word.Substring(0, word.Length - 1);
            }

            return word;
        }

        /// <summary>
        /// Text safe to insert as one argument: single-quoted (quotes doubled) when it holds a space or a character the
        /// parser would read as syntax, and as is otherwise.
        /// </summary>
        public static string QuoteIfNeeded(string value)
        {
            foreach (char c in value)
            {
                if (char.IsWhiteSpace(c) || "'\"`$;,(){}[]|&@#<>".IndexOf(c) >= 0)
                {
                    return "'" + value.Replace("'", "''") + "'";
                }
            }

            return value;
        }

        public static CompletionResult Result(string value, string listItemText, string toolTip) =>
            new CompletionResult(QuoteIfNeeded(value), listItemText, CompletionResultType.ParameterValue, string.IsNullOrEmpty(toolTip) ? listItemText : toolTip);

        /// <summary>Completers run at the prompt: whatever goes wrong (site down, bad settings file), offer nothing rather than an error.</summary>
        public static IEnumerable<CompletionResult> Safely(Func<IEnumerable<CompletionResult>> complete)
        {
            try
            {
                return new List<CompletionResult>(complete());
            }
            catch (Exception)
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }
}
