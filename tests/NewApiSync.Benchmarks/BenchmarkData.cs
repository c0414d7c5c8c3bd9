using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;

namespace NewApiSync.Benchmarks
{
    /// <summary>Realistic, seeded channel data: the names real upstreams serve, in the spellings real channels carry.</summary>
    internal static class BenchmarkData
    {
        private static readonly string[] Prefixes = { "", "openai/", "azure/", "vendor/", "BigModel/", "" };
        private static readonly string[] Suffixes = { "", "-2025-04-14", "-latest", ":free", "-preview", "-20250929" };

        /// <summary>The first <paramref name="count"/> names of the standard catalog (what -StandardModel would hold).</summary>
        public static string[] StandardNames(int count) => StandardModelCatalog.Names.Take(count).ToArray();

        /// <summary>
        /// <paramref name="count"/> model names: catalog names with vendor prefixes, date and tag suffixes, case changes, and
        /// filler names that match nothing, as a large aggregator channel lists them.
        /// </summary>
        public static string[] ModelNames(Random random, int count)
        {
            IReadOnlyList<string> catalog = StandardModelCatalog.Names;
            var names = new HashSet<string>(StringComparer.Ordinal);
            while (names.Count < count)
            {
                if (random.Next(3) == 0)
                {
                    names.Add(string.Format(CultureInfo.InvariantCulture, "filler-{0}-model-{1:D5}", random.Next(40), random.Next(100_000)));
                    continue;
                }

                string name = Prefixes[random.Next(Prefixes.Length)] + catalog[random.Next(catalog.Count)] + Suffixes[random.Next(Suffixes.Length)];
                names.Add(random.Next(8) == 0 ? name.ToUpperInvariant() : name);
            }

            return names.ToArray();
        }

        public static Channel[] Channels(int count, int modelsPerChannel, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(1, count)
                .Select(id => new Channel(id, "channel-" + id.ToString(CultureInfo.InvariantCulture), ChannelModelList.From(ModelNames(random, modelsPerChannel)), null))
                .ToArray();
        }
    }
}
