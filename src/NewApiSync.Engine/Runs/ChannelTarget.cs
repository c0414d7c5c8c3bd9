using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Runs
{
    /// <summary>A channel a run will process: either already read (listed or piped in) or known only by id.</summary>
    public sealed class ChannelTarget
    {
        public ChannelTarget(int id, Channel? channel = null)
        {
            Id = id;
            Channel = channel;
        }

        public ChannelTarget(Channel channel)
            : this(channel.Id, channel)
        {
        }

        public int Id { get; }

        /// <summary>The channel as read, or null when the run must read it first (selected by id).</summary>
        public Channel? Channel { get; }

        public string Name => Channel?.Name ?? string.Empty;

        public override string ToString() => Channel?.ToString() ?? $"#{Id}";
    }
}
