using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using NewApiSync.Engine.Api;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>
    /// A completer that needs a site: the -Connection already typed, else the session's default. Without either it
    /// offers nothing, and whatever goes wrong while completing is swallowed (see <see cref="CompletionSupport.Safely"/>).
    /// </summary>
    public abstract class SiteCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionSupport.Safely(() =>
            {
                NewApiConnection? connection = CompletionSupport.ConnectionFor(fakeBoundParameters);
                return connection is null ? Enumerable.Empty<CompletionResult>() : Complete(connection, CompletionSupport.Unquote(wordToComplete));
            });

        /// <summary>The completions for <paramref name="word"/> (already unquoted) on the site of <paramref name="connection"/>.</summary>
        protected abstract IEnumerable<CompletionResult> Complete(NewApiConnection connection, string word);
    }
}
