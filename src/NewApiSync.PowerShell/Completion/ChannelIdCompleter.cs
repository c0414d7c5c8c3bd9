using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Api;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>
    /// Completes channel ids of the current connection's site, each listed with its name. Typing part of a name
    /// (-Id claude&lt;Tab&gt;) offers the ids of the channels whose names start with it.
    /// </summary>
    public sealed class ChannelIdCompleter : SiteCompleter
    {
        protected override IEnumerable<CompletionResult> Complete(NewApiConnection connection, string word)
        {
            WildcardPattern pattern = CompletionSupport.PrefixPattern(word);
            bool byId = word.All(char.IsDigit);
            return ChannelCache.Channels(connection)
                .Where(c => byId ? c.Id.ToString(CultureInfo.InvariantCulture).StartsWith(word, StringComparison.Ordinal) : pattern.IsMatch(c.Name))
                .OrderBy(c => c.Id)
                .Select(c => new CompletionResult(
                    c.Id.ToString(CultureInfo.InvariantCulture),
                    c.Id.ToString(CultureInfo.InvariantCulture) + " " + c.Name,
                    CompletionResultType.ParameterValue,
                    $"{c.Name} ({c.TypeName}, {c.Status}, {c.Models.Length} models)"));
        }
    }
}
