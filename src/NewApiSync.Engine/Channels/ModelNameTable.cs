using System;
using System.Collections.Concurrent;
using System.Threading;

namespace NewApiSync.Engine.Channels
{
    /// <summary>
    /// One string per distinct model name across the channels this process has parsed. A site lists the same few
    /// thousand names on thousands of channels; without the table every occurrence keeps its own copy (issue 16: a
    /// 10,000-channel listing held 300 MiB, most of it repeated names). Safe to use from any thread.
    /// </summary>
    internal static class ModelNameTable
    {
        /// <summary>
        /// Past this many distinct names the table stops growing and names are kept as they come: it lives as long as
        /// the process (a PowerShell session), so a site of one-off names must not turn it into a leak.
        /// </summary>
        internal const int MaxNames = 200_000;

        private static readonly ConcurrentDictionary<string, string> Names = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        private static int _count;

        /// <summary>The table's string equal to <paramref name="name"/>, or <paramref name="name"/> itself.</summary>
        public static string Intern(string name)
        {
            if (Names.TryGetValue(name, out string? known))
            {
                return known;
            }

            // ConcurrentDictionary.Count takes every lock; a counter of our own adds is enough for a bound.
            if (Volatile.Read(ref _count) >= MaxNames)
            {
                return name;
            }

            if (Names.TryAdd(name, name))
            {
                Interlocked.Increment(ref _count);
                return name;
            }

            return Names.TryGetValue(name, out known) ? known : name;
        }
    }
}
