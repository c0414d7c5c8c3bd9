using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Api;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>Completes channel names of the current connection's site; names with spaces come quoted.</summary>
    public sealed class ChannelNameCompleter : SiteCompleter
    {
        protected override IEnumerable<CompletionResult> Complete(NewApiConnection connection, string word)
        {
            WildcardPattern pattern = CompletionSupport.PrefixPattern(word);
            return ChannelCache.Channels(connection)
                .Where(c => pattern.IsMatch(c.Name))
                .Select(c => c.Name)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderBy(name => name, StringComparer.OrdinalIgnoreCase)
                .Select(name => CompletionSupport.Result(name, name, name));
        }
    }
}
