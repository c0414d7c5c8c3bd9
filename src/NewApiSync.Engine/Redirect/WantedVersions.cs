using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// The version keys of a planner's standard names, numbered (a key's slot), with their cheap signatures: most of a
    /// channel's models match no standard name, and the signature rules them out without normalizing them. The models
    /// that pass are normalized once per planner, not once per channel: the same names repeat across a site's channels.
    /// Safe to share between threads.
    /// </summary>
    internal sealed class WantedVersions
    {
        private readonly Dictionary<string, int> _slots = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly HashSet<long> _signatures = new HashSet<long>();

        // Only names that passed the signature are kept (null: normalizing showed no wanted key), so the cache holds at
        // most the site's distinct names of the wanted families, not every one-off name a channel lists.
        private readonly ConcurrentDictionary<string, WantedModel?> _normalized =
            new ConcurrentDictionary<string, WantedModel?>(StringComparer.Ordinal);

        public WantedVersions(IEnumerable<NormalizedModelName> standards)
        {
            foreach (NormalizedModelName standard in standards)
            {
                if (!_slots.ContainsKey(standard.VersionKey))
                {
                    _slots.Add(standard.VersionKey, _slots.Count);
                }

                _signatures.Add(ModelNameNormalizer.VersionSignature(standard));
            }
        }

        /// <summary>How many distinct version keys the standard names have (slots are 0 to this minus 1).</summary>
        public int SlotCount => _slots.Count;

        /// <summary>The slot of a standard name's version key.</summary>
        public int SlotOf(NormalizedModelName standard) => _slots[standard.VersionKey];

        /// <summary><paramref name="model"/> normalized with its slot, or null when its version key is not wanted.</summary>
        public WantedModel? Find(string model)
        {
            if (!MayHave(model))
            {
                return null;
            }

            if (_normalized.TryGetValue(model, out WantedModel? known))
            {
                return known;
            }

            NormalizedModelName name = ModelNameNormalizer.Normalize(model);
            WantedModel? found = _slots.TryGetValue(name.VersionKey, out int slot) ? new WantedModel(name, slot) : null;
            _normalized.TryAdd(model, found);
            return found;
        }

        /// <summary>False only when <paramref name="model"/> certainly has none of the wanted version keys.</summary>
        private bool MayHave(string model)
        {
            long signature = ModelNameNormalizer.VersionSignature(model);
            return signature == ModelNameNormalizer.UnknownSignature || _signatures.Contains(signature);
        }
    }

    /// <summary>A channel model whose version key some standard name has, and that key's slot.</summary>
    internal sealed class WantedModel
    {
        public WantedModel(NormalizedModelName name, int slot)
        {
            Name = name;
            Slot = slot;
        }

        public NormalizedModelName Name { get; }

        public int Slot { get; }
    }
}
