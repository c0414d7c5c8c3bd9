namespace NewApiSync.Engine.Results
{
    /// <summary>What New-NewApiModelRedirect or Clear-NewApiModelRedirect did (or, planned, would do) to one channel.</summary>
    // long-based on purpose: ConvertTo-Json writes 64-bit enums by name, so exported results show "Failed", not 1, with no -EnumsAsStrings.
    public enum RedirectStatus : long
    {
        /// <summary>Models or mapping were (or would be) written.</summary>
        Updated,
        /// <summary>Nothing needed writing.</summary>
        Unchanged,
        /// <summary>The mapping was (or would be) cleared.</summary>
        Cleared,
        /// <summary>The channel was left alone on purpose (e.g. it has no mapping to clear, or it is disabled).</summary>
        Skipped,
        /// <summary>The channel could not be processed; see Error and ErrorKind.</summary>
        Failed,
    }
}
