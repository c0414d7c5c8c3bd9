namespace NewApiSync.Engine.Channels
{
    /// <summary>A channel's status as New API stores it (model/channel.go).</summary>
    public enum ChannelStatus
    {
        Unknown = 0,
        Enabled = 1,
        ManuallyDisabled = 2,
        AutoDisabled = 3,
    }
}
