using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;

namespace NewApiSync.PowerShell.Completion
{
    /// <summary>
    /// The channel list behind the id and name completers, kept briefly per connection: pressing Tab repeatedly must not
    /// page through the whole site every time, yet channels added a minute ago should show up.
    /// </summary>
    internal static class ChannelCache
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

        /// <summary>A completion waits at most this long for the site; a slow site gives no completions, not a hung prompt.</summary>
        private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

        private static readonly ConditionalWeakTable<NewApiConnection, Entry> Entries = new ConditionalWeakTable<NewApiConnection, Entry>();

        public static IReadOnlyList<Channel> Channels(NewApiConnection connection)
        {
            Entry entry = Entries.GetValue(connection, _ => new Entry());
            lock (entry)
            {
                if (entry.Channels is null || DateTimeOffset.UtcNow - entry.FetchedAt > Lifetime)
                {
                    entry.Channels = Fetch(connection);
                    entry.FetchedAt = DateTimeOffset.UtcNow;
                }

                return entry.Channels;
            }
        }

        private static IReadOnlyList<Channel> Fetch(NewApiConnection connection)
        {
            using var timeout = new CancellationTokenSource(FetchTimeout);
            // No rate-limit retries: a Tab press should not sit out a 429 back-off.
            using var client = new NewApiClient(connection, new NewApiClientOptions { RateLimitRetries = 0 });
            // Off the pipeline thread, so an async continuation never waits for the thread that is blocked on it.
            return Task.Run(() => client.ListChannelsAsync(null, null, timeout.Token)).GetAwaiter().GetResult();
        }

        private sealed class Entry
        {
            public IReadOnlyList<Channel>? Channels { get; set; }

            public DateTimeOffset FetchedAt { get; set; }
        }
    }
}
