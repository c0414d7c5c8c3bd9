using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// New-NewApiModelRedirect's planning: for each channel, which standard names to map to which of its models, merged
    /// into the existing mapping. Build one planner per batch (standard names are normalized once) and call
    /// <see cref="Plan"/> per channel; a planner is immutable and may be shared between threads.
    /// </summary>
    /// <remarks>
    /// Per standard name, in list order: a name the channel lists exactly needs nothing (and its model serves only it);
    /// a dated name is never mapped; otherwise the candidates are the channel's models with exactly the same version key
    /// (see <see cref="ModelNameNormalizer"/>), ranked undated first, then newest snapshot, then same normalized name,
    /// then channel order. A model serves at most one standard name per channel; earlier names win.
    /// </remarks>
    public sealed class RedirectPlanner
    {
        private readonly NormalizedModelName[] _standards;
        private readonly WantedVersions _wanted;
        private readonly int[] _slots; // per standard name, its version key's slot in _wanted

        /// <param name="standardModels">Standard names in priority order; trimmed; case-variant duplicates count once (first wins).</param>
        /// <exception cref="ArgumentNullException">The list is null.</exception>
        /// <exception cref="ArgumentException">A name is null, blank, or has no model name after its path prefix.</exception>
        public RedirectPlanner(IEnumerable<string> standardModels)
        {
            if (standardModels is null)
            {
                throw new ArgumentNullException(nameof(standardModels));
            }

            _standards = NormalizeStandards(standardModels);
            _wanted = new WantedVersions(_standards);
            _slots = Array.ConvertAll(_standards, _wanted.SlotOf);
            StandardModels = _standards.Select(s => s.Original).ToArray();
        }

        /// <summary>
        /// The planner's version guard: a model is a candidate for a standard name only when both have the same version key
        /// (<see cref="ModelNameNormalizer"/>), so <c>claude-4.5-sonnet</c> is never sent to <c>claude-3-5-sonnet-20241022</c>.
        /// <see cref="ChannelModelIndex"/> applies it by grouping models by version key; Test-NewApiModelRedirect judges
        /// hand-made entries with it.
        /// </summary>
        public static bool PassesVersionGuard(string standard, string actual)
        {
            string key = ModelNameNormalizer.Normalize(standard).VersionKey;
            return key.Length > 0 && string.Equals(key, ModelNameNormalizer.Normalize(actual).VersionKey, StringComparison.Ordinal);
        }

        /// <summary>The standard names this planner maps, trimmed and without case-variant duplicates.</summary>
        public IReadOnlyList<string> StandardModels { get; }

        /// <summary>The plan for one channel.</summary>
        /// <param name="force">Replace a stored mapping that is not a JSON object of strings instead of failing.</param>
        /// <param name="pruneMissingTargets">First drop entries whose final target the channel no longer lists.</param>
        public RedirectPlan Plan(Channel channel, bool force = false, bool pruneMissingTargets = false)
        {
            if (channel is null)
            {
                throw new ArgumentNullException(nameof(channel));
            }

            if (channel.ModelMapping is null && !force)
            {
                return RedirectPlan.InvalidMapping(RedirectPlanKind.Redirect, channel);
            }

            ModelMapping baseMapping = channel.ModelMapping ?? ModelMapping.Empty;
            IReadOnlyList<string> pruned = Array.Empty<string>();
            if (pruneMissingTargets)
            {
                baseMapping = MissingTargetPruner.Prune(baseMapping, channel.ModelList, out pruned);
            }

            var matches = Match(channel.ModelList, baseMapping, channel.ModelMapping ?? ModelMapping.Empty);
            ModelMapping added = ModelMapping.From(matches.Added);
            // Mappings are immutable: over an empty mapping the result is the added entries themselves.
            ModelMapping newMapping = matches.Added.Count == 0 ? baseMapping : baseMapping.IsEmpty ? added : baseMapping.With(matches.Added);
            return new RedirectPlan(RedirectPlanKind.Redirect, channel)
            {
                NewMapping = newMapping,
                NewModels = matches.AddedModels.Count == 0
                    ? channel.ModelList
                    : channel.ModelList.Append(matches.AddedModels),
                Added = added,
                Replaced = ModelMapping.From(matches.Replaced),
                Unmatched = matches.Unmatched.ToArray(),
                AddedModels = matches.AddedModels.ToArray(),
                // A pruned key that a standard name took again was rewritten, not removed: Replaced shows it.
                RemovedMappingKeys = pruned.Where(key => !newMapping.ContainsKey(key)).ToArray(),
                Reason = channel.ModelMapping is null ? $"The invalid model_mapping was replaced ({channel.ModelMappingError})" : null,
            };
        }

        /// <param name="mapping">The mapping the new entries merge into (pruned, when pruning).</param>
        /// <param name="stored">The mapping as stored, which replacements are reported against.</param>
        private Matches Match(ChannelModelList models, ModelMapping mapping, ModelMapping stored)
        {
            var index = ChannelModelIndex.Build(models, mapping, _wanted);
            var taken = new HashSet<string>(StringComparer.Ordinal);
            var matches = new Matches(_standards.Length);
            for (int i = 0; i < _standards.Length; i++)
            {
                NormalizedModelName standard = _standards[i];
                string name = standard.Original;
                if (models.Contains(name))
                {
                    taken.Add(name);
                    matches.Skip(name, RedirectSkipReason.AlreadyPresent);
                }
                else if (standard.IsDated)
                {
                    matches.Skip(name, RedirectSkipReason.DatedStandardName);
                }
                else if (index.FindBest(standard, _slots[i], taken, out bool anyOfVersion) is string actual)
                {
                    taken.Add(actual);
                    matches.Map(name, actual, mapping, stored);
                }
                else
                {
                    matches.Skip(name, anyOfVersion ? RedirectSkipReason.CandidateTaken : RedirectSkipReason.NoCandidate);
                }
            }

            return matches;
        }

        private static NormalizedModelName[] NormalizeStandards(IEnumerable<string> names)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var standards = new List<NormalizedModelName>();
            int position = 0;
            foreach (string? raw in names)
            {
                if (string.IsNullOrWhiteSpace(raw))
                {
                    throw new ArgumentException($"Standard model names cannot be empty or white space (item {position}).", nameof(names));
                }

                string name = raw!.Trim();
                NormalizedModelName standard = ModelNameNormalizer.Normalize(name);
                if (standard.VersionKey.Length == 0)
                {
                    throw new ArgumentException($"The standard model name '{name}' has no model name after its prefix (item {position}).", nameof(names));
                }

                if (seen.Add(name))
                {
                    standards.Add(standard);
                }

                position++;
            }

            return standards.ToArray();
        }

        /// <summary>What matching decided for one channel, in standard-list order.</summary>
        private sealed class Matches
        {
            /// <param name="standards">How many standard names are matched: the most entries any list can get.</param>
            public Matches(int standards)
            {
                Added = new List<KeyValuePair<string, string>>(standards);
                Unmatched = new List<KeyValuePair<string, RedirectSkipReason>>(standards);
                AddedModels = new List<string>(standards);
            }

            public List<KeyValuePair<string, string>> Added { get; }

            public List<KeyValuePair<string, string>> Replaced { get; } = new List<KeyValuePair<string, string>>();

            public List<KeyValuePair<string, RedirectSkipReason>> Unmatched { get; }

            public List<string> AddedModels { get; }

            public void Skip(string standard, RedirectSkipReason reason) =>
                Unmatched.Add(new KeyValuePair<string, RedirectSkipReason>(standard, reason));

            /// <summary>Records standard → actual; the standard name is not listed yet (else it would be AlreadyPresent), so it joins models.</summary>
            public void Map(string standard, string actual, ModelMapping existing, ModelMapping stored)
            {
                AddedModels.Add(standard);
                if (existing.TryGetValue(standard, out string current) && string.Equals(current, actual, StringComparison.Ordinal))
                {
                    Skip(standard, RedirectSkipReason.AlreadyMapped);
                    return;
                }

                Added.Add(new KeyValuePair<string, string>(standard, actual));
                if (stored.TryGetValue(standard, out string old) && !string.Equals(old, actual, StringComparison.Ordinal))
                {
                    Replaced.Add(new KeyValuePair<string, string>(standard, old));
                }
            }
        }
    }
}
