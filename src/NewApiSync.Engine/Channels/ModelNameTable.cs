using System;
using System.Threading;

namespace NewApiSync.Engine.Channels
{
    /// <summary>
    /// One string per distinct model name across the channels this process has parsed. A site lists the same few
    /// thousand names on thousands of channels; without the table every occurrence keeps its own copy (issue 16: a
    /// 10,000-channel listing held 300 MiB, most of it repeated names). A name can be looked up from a slice of the
    /// text it came in, so a known name costs no allocation at all. Safe to use from any thread.
    /// </summary>
    internal static class ModelNameTable
    {
        /// <summary>
        /// Past this many distinct names the table stops growing and names are kept as they come: it lives as long as
        /// the process (a PowerShell session), so a site of one-off names must not turn it into a leak.
        /// </summary>
        internal const int MaxNames = 200_000;

        // Chained buckets of immutable nodes. Readers walk a snapshot without locking; writers add under the gate and
        // publish each new head (or a new, bigger array) with a volatile write. A reader on an old array may miss a name
        // added since; it then takes the gate and looks again, so no name is ever added twice.
        private static Node?[] _buckets = new Node?[4096];
        private static int _count;
        private static readonly object Gate = new object();

        /// <summary>The table's string equal to <paramref name="name"/>, or <paramref name="name"/> itself.</summary>
        public static string Intern(string name)
        {
            int hash = Hash(name.AsSpan());
            return Find(Volatile.Read(ref _buckets), name.AsSpan(), hash) ?? Add(name.AsSpan(), name, hash);
        }

        /// <summary>The table's string equal to <paramref name="name"/>, or a new string of it.</summary>
        public static string Intern(ReadOnlySpan<char> name)
        {
            int hash = Hash(name);
            return Find(Volatile.Read(ref _buckets), name, hash) ?? Add(name, null, hash);
        }

        private static string? Find(Node?[] buckets, ReadOnlySpan<char> name, int hash)
        {
            for (Node? node = Volatile.Read(ref buckets[hash & (buckets.Length - 1)]); node is not null; node = node.Next)
            {
                if (node.Hash == hash && name.SequenceEqual(node.Name.AsSpan()))
                {
                    return node.Name;
                }
            }

            return null;
        }

        private static string Add(ReadOnlySpan<char> name, string? given, int hash)
        {
            lock (Gate)
            {
                Node?[] buckets = _buckets;
                if (Find(buckets, name, hash) is string known)
                {
                    return known;
                }

                string value = given ?? name.ToString();
                if (_count >= MaxNames)
                {
                    return value;
                }

                if (_count >= buckets.Length)
                {
                    buckets = Grow(buckets);
                }

                int index = hash & (buckets.Length - 1);
                Volatile.Write(ref buckets[index], new Node(value, hash, buckets[index]));
                _count++;
                return value;
            }
        }

        private static Node?[] Grow(Node?[] old)
        {
            var bigger = new Node?[old.Length * 2];
            foreach (Node? head in old)
            {
                for (Node? node = head; node is not null; node = node.Next)
                {
                    int index = node.Hash & (bigger.Length - 1);
                    bigger[index] = new Node(node.Name, node.Hash, bigger[index]);
                }
            }

            Volatile.Write(ref _buckets, bigger);
            return bigger;
        }

        private static int Hash(ReadOnlySpan<char> name)
        {
#if NETSTANDARD2_0
            uint hash = 2166136261;
            foreach (char c in name)
            {
                hash = (hash ^ c) * 16777619;
            }

            return (int)hash;
#else
            return string.GetHashCode(name);
#endif
        }

        private sealed class Node
        {
            public Node(string name, int hash, Node? next)
            {
                Name = name;
                Hash = hash;
                Next = next;
            }

            public string Name { get; }

            public int Hash { get; }

            public Node? Next { get; }
        }
    }
}
