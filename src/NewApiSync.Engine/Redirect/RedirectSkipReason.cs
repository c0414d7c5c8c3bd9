namespace NewApiSync.Engine.Redirect
{
    /// <summary>Why a standard model name got no new mapping entry on a channel.</summary>
    public enum RedirectSkipReason
    {
        /// <summary>The channel already lists exactly this name, so it routes without a mapping.</summary>
        AlreadyPresent,
        /// <summary>The existing mapping already sends the name to the model that would be chosen (it may still be added to models).</summary>
        AlreadyMapped,
        /// <summary>The standard name is a snapshot (it carries a date stamp); standard names are aliases, never snapshots.</summary>
        DatedStandardName,
        /// <summary>No model of the channel has the same version.</summary>
        NoCandidate,
        /// <summary>Every model of that version already serves an earlier standard name.</summary>
        CandidateTaken,
    }
}
