namespace NewApiSync.Engine.Channels
{
    /// <summary>A channel's status as New API stores it (model/channel.go).</summary>
    // long-based on purpose: ConvertTo-Json writes 64-bit enums by name, so exported results show "Failed", not 1, with no -EnumsAsStrings.
    public enum ChannelStatus : long
    {
        Unknown = 0,
        Enabled = 1,
        ManuallyDisabled = 2,
        AutoDisabled = 3,
    }
}
