namespace NewApiSync.Engine.Redirect
{
    /// <summary>Which operation produced a <see cref="RedirectPlan"/>.</summary>
    public enum RedirectPlanKind
    {
        /// <summary>New-NewApiModelRedirect: standard names mapped to actual models (optionally after pruning).</summary>
        Redirect,
        /// <summary>Clear-NewApiModelRedirect: the mapping emptied and its aliases removed from models.</summary>
        Clear,
        /// <summary>-PruneMissingTargets on its own: entries whose target is gone removed.</summary>
        Prune,
    }
}
