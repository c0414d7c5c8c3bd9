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

        private ChannelModelList(string[] models, HashSet<string>? set = null)
        {
            _models = models;
            _set = set;
        }

        /// <summary>The names themselves, for wrappers that never change them (<see cref="Results.NameList.Over(ChannelModelList)"/>).</summary>
        internal string[] Names => _models;

        /// <summary>Parses the wire form (<c>"a,b, c,,a"</c> → a, b, c). Null or blank is the empty list.</summary>
        public static ChannelModelList Parse(string? wire)
        {
            if (string.IsNullOrWhiteSpace(wire))
            {
                return Empty;
            }

            // Names from the server are interned straight from the text: a large site repeats each name on many
            // channels, and a known name then costs no string at all (issue 16: splitting made 300 strings per channel).
            return ParseInterned(wire!.AsSpan());
        }

        private static ChannelModelList ParseInterned(ReadOnlySpan<char> wire)
        {
            int commas = 0;
            foreach (char c in wire)
            {
                if (c == ',')
                {
                    commas++;
                }
            }

            // The de-duplication set is reused by the thread's next parse: only the list is kept.
            HashSet<string> seen = _parseSet ??= new HashSet<string>(StringComparer.Ordinal);
            seen.Clear();
            var kept = new string[commas + 1];
            int count = 0;
            while (true)
            {
                int comma = wire.IndexOf(',');
                ReadOnlySpan<char> name = (comma < 0 ? wire : wire.Slice(0, comma)).Trim();
                if (name.Length > 0)
                {
                    string interned = ModelNameTable.Intern(name);
                    if (seen.Add(interned))
                    {
                        kept[count++] = interned;
                    }
                }

                if (comma < 0)
                {
                    break;
                }

                wire = wire.Slice(comma + 1);
            }

            if (count == 0)
            {
                return Empty;
            }

            if (count != kept.Length)
            {
                Array.Resize(ref kept, count);
            }

            if (seen.Count > 4096)
            {
                // A huge list's set is not kept for the thread's next, ordinary one.
                _parseSet = null;
            }

            // No set is kept: see Build.
            return new ChannelModelList(kept);
        }

        [ThreadStatic]
        private static HashSet<string>? _parseSet;

        /// <summary>Builds a list from names, with the same trimming and de-duplication as <see cref="Parse"/>.</summary>
        public static ChannelModelList From(IEnumerable<string?> names)
        {
            if (names is null)
            {
                throw new ArgumentNullException(nameof(names));
            }

            return Build(names);
        }

        private static ChannelModelList Build(IEnumerable<string?> names)
        {
            // Sized once when the count is known (issue 16: a growing set, a growing list and its copy were a third of
            // a -WhatIf pass's allocations).
            int expected = names switch
            {
                ICollection<string?> collection => collection.Count,
                IReadOnlyCollection<string?> collection => collection.Count,
                _ => 0,
            };
            HashSet<string> seen = NewSet(expected);
            string[] kept = expected > 0 ? new string[expected] : Array.Empty<string>();
            int count = 0;
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

                if (count == kept.Length)
                {
                    Array.Resize(ref kept, Math.Max(16, kept.Length * 2));
                }

                kept[count++] = name;
            }

            if (count == 0)
            {
                return Empty;
            }

            if (count != kept.Length)
            {
                Array.Resize(ref kept, count);
            }

            // A parsed list (see Parse) keeps no set: a listing of 10,000 channels would hold 10,000 of them for lists
            // that are only shown or written to the journal, and the first Contains or Diff builds it (see Set). A list
            // built from names is a plan's, compared at once and then dropped: it keeps the set it was built with.
            return new ChannelModelList(kept, seen);
        }

        private static HashSet<string> NewSet(int capacity)
        {
#if NETSTANDARD2_0
            return new HashSet<string>(StringComparer.Ordinal);
#else
            return new HashSet<string>(capacity, StringComparer.Ordinal);
#endif
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

        private HashSet<string> Set
        {
            get
            {
                if (_set is null)
                {
                    HashSet<string> set = NewSet(_models.Length);
                    foreach (string model in _models)
                    {
                        set.Add(model);
                    }

                    _set = set;
                }

                return _set;
            }
        }
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
