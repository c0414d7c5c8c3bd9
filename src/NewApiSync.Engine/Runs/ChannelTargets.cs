using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Runs
{
    /// <summary>How a run reads the channels it is asked to touch, through its context's limiter and retries.</summary>
    public static class ChannelTargets
    {
        /// <summary>Above this many ids, one paged listing is cheaper than one GET per channel.</summary>
        private const int ListInsteadOfGetAbove = 20;

        /// <summary>
        /// The channels to touch: piped-in channels as they are, ids read by the run (or picked from one listing when
        /// there are many), every channel when neither is given. Duplicates count once.
        /// </summary>
        /// <param name="onPage">Told after each page of a listing (channels so far, reported total), for the progress bar.</param>
        public static async Task<IReadOnlyList<ChannelTarget>> ResolveAsync(RunContext context, IReadOnlyList<Channel>? channels, IReadOnlyList<int>? ids, CancellationToken cancellationToken, Action<int, int?>? onPage = null)
        {
            if (channels is null && ids is null)
            {
                return (await ListAllAsync(context, cancellationToken, onPage).ConfigureAwait(false)).Select(c => new ChannelTarget(c)).ToArray();
            }

            var targets = new List<ChannelTarget>();
            var seen = new HashSet<int>();
            foreach (Channel channel in channels ?? Array.Empty<Channel>())
            {
                if (seen.Add(channel.Id))
                {
                    targets.Add(new ChannelTarget(channel));
                }
            }

            int[] wanted = (ids ?? Array.Empty<int>()).Where(seen.Add).ToArray();
            if (wanted.Length > ListInsteadOfGetAbove)
            {
                var listed = (await ListAllAsync(context, cancellationToken, onPage).ConfigureAwait(false)).ToDictionary(c => c.Id);
                targets.AddRange(wanted.Select(id => listed.TryGetValue(id, out Channel? c) ? new ChannelTarget(c) : new ChannelTarget(id)));
            }
            else
            {
                targets.AddRange(wanted.Select(id => new ChannelTarget(id)));
            }

            return targets;
        }

        /// <summary>Every channel of the site, through the run's limiter and retries.</summary>
        public static async Task<IReadOnlyList<Channel>> ListAllAsync(RunContext context, CancellationToken cancellationToken, Action<int, int?>? onPage = null) =>
            await context.Retry.ExecuteAsync(async ct => await context.Client.ListChannelsAsync(null, onPage, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

        /// <summary>A target's channel: as given, or read now through the run's retries.</summary>
        public static async Task<Channel> ReadAsync(RunContext context, ChannelTarget target, CancellationToken cancellationToken) =>
            target.Channel ?? await context.Retry.ExecuteAsync(async ct => await context.Client.GetChannelAsync(target.Id, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
