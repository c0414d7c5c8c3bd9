using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Tests.Redirect
{
    /// <summary>Channels for planner tests, written the way New API stores them.</summary>
    internal static class TestChannels
    {
        public static Channel With(string models, string? mapping = null, int id = 7) =>
            new Channel(id, "test channel", ChannelModelList.Parse(models), mapping);
    }
}
