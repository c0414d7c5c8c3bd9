using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// Clear-NewApiModelRedirect's plan for one channel: the mapping becomes <c>{}</c> and, unless models are kept, the
    /// aliases the mapping served leave <c>models</c>, so nothing routes to a name the channel can no longer serve.
    /// </summary>
    public static class ClearPlanner
    {
        internal const string NoMappingReason = "The channel has no model mapping.";
        internal const string ModelsKeptReason =
            "Models were kept: removing the mapping's aliases would leave the channel with no models, which New API cannot store.";

        public static RedirectPlan Plan(Channel channel, bool keepModels)
        {
            if (channel is null)
            {
                throw new ArgumentNullException(nameof(channel));
            }

            ModelMapping? mapping = channel.ModelMapping;
            if (mapping is null)
            {
                // Replacing unreadable text is what clearing is for, but which names were aliases cannot be known.
                return new RedirectPlan(RedirectPlanKind.Clear, channel)
                {
                    NewMapping = ModelMapping.Empty,
                    Reason = $"The invalid model_mapping was replaced and models were kept, as its aliases cannot be known ({channel.ModelMappingError})",
                };
            }

            if (mapping.IsEmpty)
            {
                return new RedirectPlan(RedirectPlanKind.Clear, channel) { IsSkip = true, Reason = NoMappingReason };
            }

            string[] aliases = keepModels ? Array.Empty<string>() : AliasesIn(mapping, channel.ModelList);
            bool wouldEmpty = aliases.Length > 0 && aliases.Length == channel.ModelList.Count;
            if (wouldEmpty)
            {
                aliases = Array.Empty<string>();
            }

            return new RedirectPlan(RedirectPlanKind.Clear, channel)
            {
                NewMapping = ModelMapping.Empty,
                RemovedMappingKeys = mapping.Keys.ToArray(),
                NewModels = aliases.Length == 0 ? channel.ModelList : Without(channel.ModelList, aliases),
                RemovedModels = aliases,
                Reason = wouldEmpty ? ModelsKeptReason : null,
            };
        }

        /// <summary>The listed models that the mapping sends elsewhere, in model-list order.</summary>
        private static string[] AliasesIn(ModelMapping mapping, ChannelModelList models) =>
            models.Where(m => mapping.TryGetValue(m, out string target) && MappingAliases.Redirects(m, target)).ToArray();

        private static ChannelModelList Without(ChannelModelList models, IReadOnlyCollection<string> names)
        {
            var drop = new HashSet<string>(names, StringComparer.Ordinal);
            return ChannelModelList.From(models.Where(m => !drop.Contains(m)));
        }
    }
}
