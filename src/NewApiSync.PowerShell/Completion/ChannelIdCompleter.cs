using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>
    /// Completes channel ids of the current connection's site, each listed with its name. Typing part of a name
    /// (-Id claude&lt;Tab&gt;) offers the ids of the channels whose names start with it.
    /// </summary>
    public sealed class ChannelIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionSupport.Safely(() =>
            {
                NewApiConnection? connection = CompletionSupport.ConnectionFor(fakeBoundParameters);
                if (connection is null)
                {
                    return Enumerable.Empty<CompletionResult>();
                }

                string word = CompletionSupport.Unquote(wordToComplete);
                WildcardPattern pattern = CompletionSupport.PrefixPattern(word);
                bool byId = word.All(char.IsDigit);
                return ChannelCache.Channels(connection)
                    .Where(c => byId ? c.Id.ToString(CultureInfo.InvariantCulture).StartsWith(word, System.StringComparison.Ordinal) : pattern.IsMatch(c.Name))
                    .OrderBy(c => c.Id)
                    .Select(c => new CompletionResult(
                        c.Id.ToString(CultureInfo.InvariantCulture),
                        c.Id.ToString(CultureInfo.InvariantCulture) + " " + c.Name,
                        CompletionResultType.ParameterValue,
                        $"{c.Name} ({c.TypeName}, {c.Status}, {c.Models.Length} models)"));
            });
    }
}
