using System;
using System.Collections.Generic;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// -PruneMissingTargets: after a sync changed a channel's models, mapping entries whose final target the channel
    /// no longer serves are removed, so no standard name routes to a model the upstream dropped. Models are left alone:
    /// a key that is still listed may now be served by the upstream itself.
    /// </summary>
    public static class MissingTargetPruner
    {
        /// <summary>The plan for pruning one channel. An invalid stored mapping fails the plan (nothing can be pruned safely).</summary>
        public static RedirectPlan Plan(Channel channel)
        {
            if (channel is null)
            {
                throw new ArgumentNullException(nameof(channel));
            }

            if (channel.ModelMapping is null)
            {
                return RedirectPlan.InvalidMapping(RedirectPlanKind.Prune, channel);
            }

            ModelMapping kept = Prune(channel.ModelMapping, channel.ModelList, out IReadOnlyList<string> removed);
            return new RedirectPlan(RedirectPlanKind.Prune, channel) { NewMapping = kept, RemovedMappingKeys = removed };
        }

        /// <summary>
        /// Where a request for <paramref name="model"/> ends up, following the mapping's chains as New API does
        /// (a → b → c ends at c; an empty target or a self-mapping ends the chain); null when the chain runs into a
        /// cycle, which New API rejects.
        /// </summary>
        public static string? ResolveTarget(ModelMapping mapping, string model)
        {
            if (mapping is null)
            {
                throw new ArgumentNullException(nameof(mapping));
            }

            if (model is null)
            {
                throw new ArgumentNullException(nameof(model));
            }

            var visited = new HashSet<string>(StringComparer.Ordinal) { model };
            string current = model;
            while (mapping.TryGetValue(current, out string next) && MappingAliases.Redirects(current, next))
            {
                if (!visited.Add(next))
                {
                    return null;
                }

                current = next;
            }

            return current;
        }

        /// <summary><paramref name="mapping"/> without the entries whose final target is not in <paramref name="models"/>.</summary>
        internal static ModelMapping Prune(ModelMapping mapping, ChannelModelList models, out IReadOnlyList<string> removedKeys)
        {
            var removed = new List<string>();
            foreach (var entry in mapping)
            {
                string? target = ResolveTarget(mapping, entry.Key);
                if (target is null || !models.Contains(target))
                {
                    removed.Add(entry.Key);
                }
            }

            removedKeys = removed;
            return removed.Count == 0 ? mapping : mapping.Without(removed);
        }
    }
}
