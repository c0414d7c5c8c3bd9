using System;
using System.Collections.Generic;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// One channel's models normalized once and grouped by version key, for the planner's per-standard lookups. Only
    /// keys some standard name has are kept, and aliases of the mapping are left out: they are not models the upstream
    /// serves, so a standard name must never be mapped onto one.
    /// </summary>
    internal sealed class ChannelModelIndex
    {
        private readonly Dictionary<string, List<NormalizedModelName>> _byVersionKey;

        private ChannelModelIndex(Dictionary<string, List<NormalizedModelName>> byVersionKey) => _byVersionKey = byVersionKey;

        public static ChannelModelIndex Build(ChannelModelList models, ModelMapping mapping, WantedVersions wanted)
        {
            var byVersionKey = new Dictionary<string, List<NormalizedModelName>>(StringComparer.Ordinal);
            foreach (string model in models)
            {
                if (mapping.TryGetValue(model, out string target) && MappingAliases.Redirects(model, target))
                {
                    continue;
                }

                if (!wanted.MayHave(model))
                {
                    continue;
                }

                NormalizedModelName name = ModelNameNormalizer.Normalize(model);
                if (!wanted.Has(name))
                {
                    continue;
                }

                if (!byVersionKey.TryGetValue(name.VersionKey, out var sameVersion))
                {
                    byVersionKey[name.VersionKey] = sameVersion = new List<NormalizedModelName>(2);
                }

                sameVersion.Add(name);
            }

            return new ChannelModelIndex(byVersionKey);
        }

        /// <summary>
        /// The best model of the standard's version that is not <paramref name="taken"/>, or null. <paramref name="anyOfVersion"/>
        /// says whether the channel had a model of that version at all (to tell "taken" from "none").
        /// </summary>
        public string? FindBest(NormalizedModelName standard, HashSet<string> taken, out bool anyOfVersion)
        {
            anyOfVersion = _byVersionKey.TryGetValue(standard.VersionKey, out var sameVersion);
            if (!anyOfVersion)
            {
                return null;
            }

            NormalizedModelName? best = null;
            foreach (NormalizedModelName candidate in sameVersion!)
            {
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
