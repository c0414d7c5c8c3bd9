namespace NewApiSync.Engine.Results
{
    /// <summary>What a journaled run did.</summary>
    // long-based on purpose: ConvertTo-Json writes 64-bit enums by name, so exported results show "Failed", not 1, with no -EnumsAsStrings.
    public enum RunKind : long
    {
        Sync,
        Redirect,
        Clear,
        Restore,
        /// <summary>Test-NewApiModelRedirect -Fix: broken model_mapping entries removed.</summary>
        Repair,
    }

    /// <summary>How a run chose its channels.</summary>
    // long-based on purpose: ConvertTo-Json writes 64-bit enums by name, so exported results show "Failed", not 1, with no -EnumsAsStrings.
    public enum RunMode : long
    {
        /// <summary>Every channel of the site.</summary>
        All,
        /// <summary>Channels given by pipeline or -Id.</summary>
        Selected,
        /// <summary>The channels that failed, were cancelled or never reached in the last sync run.</summary>
        FailedOnly,
        /// <summary>A scheduled run started by -IfDue or Start-NewApiAutoSync.</summary>
        IfDue,
    }

    /// <summary>The outcome of one channel in a run.</summary>
    // long-based on purpose: ConvertTo-Json writes 64-bit enums by name, so exported results show "Failed", not 1, with no -EnumsAsStrings.
    public enum ChannelResultStatus : long
    {
        Succeeded,
        Failed,
        Skipped,
        Cancelled,
    }
}
