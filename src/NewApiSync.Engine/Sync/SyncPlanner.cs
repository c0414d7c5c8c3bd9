using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// Decides a channel's new model list from what its upstream lists. Pure: no I/O, so -WhatIf and benchmarks plan
    /// exactly as a real run does.
    /// </summary>
    public sealed class SyncPlanner
    {
        private readonly ModelFilter _filter;

        public SyncPlanner(ModelFilter? filter = null) => _filter = filter ?? ModelFilter.None;

        public ModelFilter Filter => _filter;

        /// <remarks>
        /// The new list is the filtered upstream list in upstream order, plus the channel's redirect aliases (model_mapping
        /// keys listed in models) whose final target is still served: upstream never lists an alias, and dropping it
        /// would silently stop New API routing that standard name to this channel. Aliases whose target is gone are
        /// dropped with it. An empty result never replaces a list: New API cannot clear models that way, and an empty
        /// upstream reply is far more often a provider hiccup than a real answer.
        /// </remarks>
        public SyncPlan Plan(Channel channel, IReadOnlyList<string> upstream)
        {
            ChannelModelList old = channel.ModelList;
            ChannelModelList offered = ChannelModelList.From(_filter.Apply(upstream));
            if (offered.Count == 0)
            {
                string reason = upstream.Count == 0
                    ? "The upstream returned no models; an empty list never replaces a channel's models."
                    : $"All {upstream.Count} upstream models were filtered out ({_filter}); an empty list never replaces a channel's models.";
                return new SyncPlan(old, old, new ModelListDiff(new string[0], new string[0]), new string[0], reason);
            }

            IReadOnlyList<string> aliases = AliasesToKeep(channel, offered);
            ChannelModelList proposed = aliases.Count == 0 ? offered : ChannelModelList.From(offered.Concat(aliases));
            if (proposed.SetEquals(old))
            {
                return new SyncPlan(old, old, new ModelListDiff(new string[0], new string[0]), aliases, null);
            }

            return new SyncPlan(old, proposed, ChannelModelList.Diff(old, proposed), aliases, null);
        }

        private static IReadOnlyList<string> AliasesToKeep(Channel channel, ChannelModelList offered)
        {
            ModelMapping? mapping = channel.ModelMapping;
            if (mapping is null || mapping.IsEmpty)
            {
                return new string[0];
            }

            var kept = new List<string>();
            foreach (string model in channel.ModelList)
            {
                if (!offered.Contains(model) && mapping.TryGetValue(model, out string target) && target != model &&
                    MissingTargetPruner.ResolveTarget(mapping, model) is string final && offered.Contains(final))
                {
                    kept.Add(model);
                }
            }

            return kept;
        }
    }
}
