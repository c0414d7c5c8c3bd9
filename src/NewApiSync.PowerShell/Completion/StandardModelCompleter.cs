using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Settings;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>Completes standard model names: the saved StandardModels setting first, then the built-in catalog.</summary>
    public sealed class StandardModelCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionSupport.Safely(() =>
            {
                WildcardPattern pattern = CompletionSupport.PrefixPattern(wordToComplete);
                var seen = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
                var results = new List<CompletionResult>();
                foreach (string name in SavedStandardModels())
                {
                    if (pattern.IsMatch(name) && seen.Add(name))
                    {
                        results.Add(CompletionSupport.Result(name, name, name + " (from your StandardModels setting)"));
                    }
                }

                foreach (StandardModel model in StandardModelCatalog.All)
                {
                    if (pattern.IsMatch(model.Name) && seen.Add(model.Name))
                    {
                        results.Add(CompletionSupport.Result(model.Name, model.Name, $"{model.Name} ({model.Vendor})"));
                    }
                }

                return results;
            });

        /// <summary>A missing or unreadable settings file just means there are no saved names to offer.</summary>
        private static IEnumerable<string> SavedStandardModels()
        {
            try
            {
                return SyncSettingsStore.ForCurrentUser().Load().StandardModels ?? Enumerable.Empty<string>();
            }
            catch (System.Exception)
            {
                return Enumerable.Empty<string>();
            }
        }
    }
}
