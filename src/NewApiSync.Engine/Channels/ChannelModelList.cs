using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace NewApiSync.Engine.Channels
{
    /// <summary>
    /// A channel's <c>models</c>: New API stores it as one comma-separated string. Parsing trims each name, drops
    /// empties, keeps the first occurrence's order and drops exact duplicates. Model names are case-sensitive in
    /// New API routing, so comparison is ordinal.
    /// </summary>
    public sealed class ChannelModelList : IReadOnlyList<string>, IEquatable<ChannelModelList>
    {
        public static readonly ChannelModelList Empty = new ChannelModelList(Array.Empty<string>());

        private readonly string[] _models;
        private HashSet<string>? _set;

        private ChannelModelList(string[] models) => _models = models;

        /// <summary>Parses the wire form (<c>"a,b, c,,a"</c> → a, b, c). Null or blank is the empty list.</summary>
        public static ChannelModelList Parse(string? wire)
        {
            if (string.IsNullOrWhiteSpace(wire))
            {
                return Empty;
            }

            // Names from the server are interned: a large site repeats each name on many channels.
            return Build(wire!.Split(','), intern: true);
        }

        /// <summary>Builds a list from names, with the same trimming and de-duplication as <see cref="Parse"/>.</summary>
        public static ChannelModelList From(IEnumerable<string?> names)
        {
            if (names is null)
            {
                throw new ArgumentNullException(nameof(names));
            }

            return Build(names, intern: false);
        }

        private static ChannelModelList Build(IEnumerable<string?> names, bool intern)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var kept = new List<string>();
            foreach (string? raw in names)
            {
                if (raw is null)
                {
                    continue;
                }

                string name = raw.Trim();
                if (name.Length == 0 || !seen.Add(name))
                {
                    continue;
                }

                kept.Add(intern ? ModelNameTable.Intern(name) : name);
            }

            // The set is not kept: a listing of 10,000 channels would hold 10,000 of them for lists that are only
            // shown or written to the journal. The first Contains or Diff builds it (see Set).
            return kept.Count == 0 ? Empty : new ChannelModelList(kept.ToArray());
        }

        /// <summary>
        /// This list followed by <paramref name="names"/>, with the same trimming and de-duplication as <see cref="From"/>,
        /// without rebuilding the set of the names already here (a redirect appends a few names to hundreds).
        /// </summary>
        internal ChannelModelList Append(IReadOnlyList<string> names)
        {
            var appended = new List<string>(names.Count);
            foreach (string raw in names)
            {
                string name = raw.Trim();
                if (name.Length > 0 && !Contains(name) && !appended.Contains(name))
                {
                    appended.Add(name);
                }
            }

            if (appended.Count == 0)
            {
                return this;
            }

            var models = new string[_models.Length + appended.Count];
            _models.CopyTo(models, 0);
            appended.CopyTo(models, _models.Length);
            return new ChannelModelList(models);
        }

        public int Count => _models.Length;

        public string this[int index] => _models[index];

        public bool Contains(string model) => Set.Contains(model);

        /// <summary>The wire form: names joined by commas with no spaces.</summary>
        public string ToWireString() => string.Join(",", _models);

        public string[] ToArray() => (string[])_models.Clone();

        /// <summary>True when both hold the same names, whatever the order (order alone is not a change worth a write).</summary>
        public bool SetEquals(ChannelModelList other)
        {
            if (other is null)
            {
                throw new ArgumentNullException(nameof(other));
            }

            return Count == other.Count && Set.SetEquals(other._models);
        }

        /// <summary>Names in <paramref name="newer"/> that this list lacks, in <paramref name="newer"/>'s order.</summary>
        public IReadOnlyList<string> Missing(ChannelModelList newer) => newer._models.Where(m => !Set.Contains(m)).ToArray();

        /// <summary>What changes from <paramref name="before"/> to <paramref name="after"/>.</summary>
        public static ModelListDiff Diff(ChannelModelList before, ChannelModelList after) =>
            new ModelListDiff(before.Missing(after), after.Missing(before));

        public bool Equals(ChannelModelList? other) => other is not null && _models.SequenceEqual(other._models, StringComparer.Ordinal);

        public override bool Equals(object? obj) => Equals(obj as ChannelModelList);

        public override int GetHashCode()
        {
            int hash = 17;
            foreach (string m in _models)
            {
                hash = unchecked((hash * 31) + StringComparer.Ordinal.GetHashCode(m));
            }

            return hash;
        }

        public override string ToString() => ToWireString();

        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_models).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => _models.GetEnumerator();

        private HashSet<string> Set => _set ??= new HashSet<string>(_models, StringComparer.Ordinal);
    }

    /// <summary>Models added and removed between two lists.</summary>
    public sealed class ModelListDiff
    {
        public ModelListDiff(IReadOnlyList<string> added, IReadOnlyList<string> removed)
        {
            Added = added;
            Removed = removed;
        }

        public IReadOnlyList<string> Added { get; }

        public IReadOnlyList<string> Removed { get; }

        public bool IsEmpty => Added.Count == 0 && Removed.Count == 0;

        /// <summary>"+3 -1 models", as What-if lines and verbose messages show it.</summary>
        public override string ToString() => $"+{Added.Count} -{Removed.Count} models";
    }
}
