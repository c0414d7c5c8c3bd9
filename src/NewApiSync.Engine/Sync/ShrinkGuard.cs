using System;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// Holds a sync that would remove a large share of a channel's models: an upstream that answers with a partial list
    /// (a provider hiccup, a key that lost access to most models) must not strip a channel without the admin saying so.
    /// A channel is held when the sync would remove at least <see cref="MinimumRemoved"/> models and more than
    /// <see cref="Percent"/> percent of them; -Force applies it anyway. An empty upstream list has its own rule (never
    /// applied) in <see cref="SyncPlanner"/>.
    /// </summary>
    public sealed class ShrinkGuard
    {
        public const int MinimumRemoved = 5;

        /// <summary>No channel is ever held (-Force).</summary>
        public static readonly ShrinkGuard Off = new ShrinkGuard(Runs.RunLimits.MaxShrinkGuardPercent);

        public ShrinkGuard(int percent)
        {
            if (percent < Runs.RunLimits.MinShrinkGuardPercent || percent > Runs.RunLimits.MaxShrinkGuardPercent)
            {
                throw new ArgumentOutOfRangeException(nameof(percent), percent, $"The shrink guard's percent must be 0–100; it was {percent}.");
            }

            Percent = percent;
        }

        /// <summary>The share of a channel's models (0–100) a sync may remove without being held; 100 turns the guard off.</summary>
        public int Percent { get; }

        /// <summary>Why the sync of a channel with <paramref name="current"/> models that would remove <paramref name="removed"/> is held, or null.</summary>
        public string? Check(int current, int removed)
        {
            if (removed < MinimumRemoved || (long)removed * 100 <= (long)current * Percent)
            {
                return null;
            }

            return $"Held by the shrink guard: upstream lists {current - removed} of {current} models, so this sync would remove {removed} ({(long)removed * 100 / Math.Max(1, current)}%, more than {Percent}%). Nothing was written; run with -Force to apply, or raise -ShrinkGuardPercent.";
        }

        public override string ToString() => Percent >= 100 ? "no shrink guard" : $"shrink guard {Percent}%";
    }
}
