using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// What a sync does to a channel's mapping after planning its new models (RedirectAfterSync, PruneMissingTargets):
    /// planned on the synced channel and written in the same PUT, so the journal record holds both changes and one
    /// restore undoes both. Planning is pure, so a redirect problem can never fail the sync.
    /// </summary>
    public sealed class SyncMappingFollowUp
    {
        private readonly RedirectPlanner? _redirect;
        private readonly bool _prune;

        public SyncMappingFollowUp(RedirectPlanner? redirect, bool pruneMissingTargets)
        {
            _redirect = redirect;
            _prune = pruneMissingTargets;
        }

        public bool IsActive => _redirect is not null || _prune;

        /// <summary>The follow-up plan for the channel as it will be after the sync; null when there is none.</summary>
        public RedirectPlan? Plan(Channel synced) =>
            _redirect is not null ? _redirect.Plan(synced, force: false, pruneMissingTargets: _prune)
            : _prune ? MissingTargetPruner.Plan(synced)
            : null;
    }
}
