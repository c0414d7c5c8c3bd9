using System;
using System.Collections.Generic;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// The version keys of a planner's standard names, with their cheap signatures: most of a channel's models match
    /// no standard name, and the signature rules them out without normalizing them.
    /// </summary>
    internal sealed class WantedVersions
    {
        private readonly HashSet<string> _keys = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<long> _signatures = new HashSet<long>();

        public WantedVersions(IEnumerable<NormalizedModelName> standards)
        {
            foreach (NormalizedModelName standard in standards)
            {
                _keys.Add(standard.VersionKey);
                _signatures.Add(ModelNameNormalizer.VersionSignature(standard));
            }
        }

        /// <summary>False only when <paramref name="model"/> certainly has none of the wanted version keys.</summary>
        public bool MayHave(string model)
        {
            long signature = ModelNameNormalizer.VersionSignature(model);
            return signature == ModelNameNormalizer.UnknownSignature || _signatures.Contains(signature);
        }

        public bool Has(NormalizedModelName model) => _keys.Contains(model.VersionKey);
    }
}
