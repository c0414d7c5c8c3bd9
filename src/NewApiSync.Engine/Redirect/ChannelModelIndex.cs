using System;
using System.Collections.Generic;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// One channel's models grouped by the slot of their version key (see <see cref="WantedVersions"/>), for the
    /// planner's per-standard lookups. Only keys some standard name has are kept, and aliases of the mapping are left
    /// out: they are not models the upstream serves, so a standard name must never be mapped onto one.
    /// </summary>
    internal sealed class ChannelModelIndex
    {
        private readonly List<NormalizedModelName>?[] _bySlot;

        private ChannelModelIndex(List<NormalizedModelName>?[] bySlot) => _bySlot = bySlot;

        public static ChannelModelIndex Build(ChannelModelList models, ModelMapping mapping, WantedVersions wanted)
        {
            var bySlot = new List<NormalizedModelName>?[wanted.SlotCount];
            bool hasMapping = !mapping.IsEmpty;
            for (int i = 0; i < models.Count; i++)
            {
                string model = models[i];
                if (hasMapping && mapping.TryGetValue(model, out string target) && MappingAliases.Redirects(model, target))
                {
                    continue;
                }

                if (wanted.Find(model) is not WantedModel found)
                {
                    continue;
                }

                (bySlot[found.Slot] ??= new List<NormalizedModelName>(2)).Add(found.Name);
            }

            return new ChannelModelIndex(bySlot);
        }

        /// <summary>
        /// The best model of the standard's version (its <paramref name="slot"/>) that is not <paramref name="taken"/>,
        /// or null. <paramref name="anyOfVersion"/> says whether the channel had a model of that version at all (to tell
        /// "taken" from "none").
        /// </summary>
        public string? FindBest(NormalizedModelName standard, int slot, HashSet<string> taken, out bool anyOfVersion)
        {
            List<NormalizedModelName>? sameVersion = _bySlot[slot];
            anyOfVersion = sameVersion is not null;
            if (sameVersion is null)
            {
                return null;
            }

            NormalizedModelName? best = null;
            for (int i = 0; i < sameVersion.Count; i++)
            {
                NormalizedModelName candidate = sameVersion[i];
                if (!taken.Contains(candidate.Original) && (best is null || IsBetter(candidate, best, standard)))
                {
                    best = candidate;
                }
            }

            return best?.Original;
        }

        /// <summary>
        /// Undated beats dated (an alias follows the newest release); among snapshots the newest date wins; then a
        /// same-name spelling beats a reordered one; otherwise the earlier model in the channel's list stays.
        /// </summary>
        private static bool IsBetter(NormalizedModelName candidate, NormalizedModelName best, NormalizedModelName standard)
        {
            if (candidate.IsDated != best.IsDated)
            {
                return !candidate.IsDated;
            }

            int byDate = candidate.IsDated ? candidate.Date!.Value.CompareTo(best.Date!.Value) : 0;
            if (byDate != 0)
            {
                return byDate > 0;
            }

            return IsSameName(candidate, standard) && !IsSameName(best, standard);
        }

        private static bool IsSameName(NormalizedModelName model, NormalizedModelName standard) =>
            string.Equals(model.Normalized, standard.Normalized, StringComparison.Ordinal);
    }
}
