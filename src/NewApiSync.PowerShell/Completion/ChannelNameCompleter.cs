using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>Completes channel names of the current connection's site; names with spaces come quoted.</summary>
    public sealed class ChannelNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionSupport.Safely(() =>
            {
                NewApiConnection? connection = CompletionSupport.ConnectionFor(fakeBoundParameters);
                if (connection is null)
                {
                    return Enumerable.Empty<CompletionResult>();
                }

                WildcardPattern pattern = CompletionSupport.PrefixPattern(wordToComplete);
                return ChannelCache.Channels(connection)
                    .Where(c => pattern.IsMatch(c.Name))
                    .Select(c => c.Name)
                    .Distinct(System.StringComparer.OrdinalIgnoreCase)
                    .OrderBy(name => name, System.StringComparer.OrdinalIgnoreCase)
                    .Select(name => CompletionSupport.Result(name, name, name));
            });
    }
}
