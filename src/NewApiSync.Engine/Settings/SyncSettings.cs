using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NewApiSync.Engine.Runs;

namespace NewApiSync.Engine.Settings
{
    /// <summary>
    /// The user's sync settings (Get-/Set-NewApiSyncSetting). Holds no secret: the access token never lives here.
    /// Setters accept anything so a whole bad file or parameter set can be reported at once by <see cref="Validate"/>.
    /// </summary>
    public sealed class SyncSettings
    {
        public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(5);
        public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(30);
        public static readonly TimeSpan MinRecommendedInterval = TimeSpan.FromHours(1);
        public static readonly TimeSpan MaxRecommendedInterval = TimeSpan.FromHours(24);

        /// <summary>Whether -IfDue and Start-NewApiAutoSync run at all.</summary>
        public bool AutoSync { get; set; }

        /// <summary>Time from the end of the last full sync run to the next scheduled one (5 min – 30 days).</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

        // Defaults and ranges of the run settings: RunLimits, shared with RunOptions and the cmdlets' parameters.

        /// <summary>Channels processed at once.</summary>
        public int Concurrency { get; set; } = RunLimits.DefaultConcurrency;

        /// <summary>Retries per channel after the first try.</summary>
        public int MaxRetries { get; set; } = RunLimits.DefaultMaxRetries;

        /// <summary>Sustained request rate to the site.</summary>
        public int RequestsPerMinute { get; set; } = RunLimits.DefaultRequestsPerMinute;

        /// <summary>Requests allowed at once above the sustained rate.</summary>
        public int Burst { get; set; } = RunLimits.DefaultBurst;

        /// <summary>Time limit per channel in seconds, 0 for none.</summary>
        public int ChannelTimeoutSec { get; set; }

        /// <summary>Wildcard patterns of models to keep (empty: all).</summary>
        public string[] IncludeModel { get; set; } = Array.Empty<string>();

        /// <summary>Wildcard patterns of models to drop.</summary>
        public string[] ExcludeModel { get; set; } = Array.Empty<string>();

        /// <summary>Standard model names redirects map to (empty: the built-in list).</summary>
        public string[] StandardModels { get; set; } = Array.Empty<string>();

        /// <summary>
        /// The standard names a redirect uses when none are given: these, else the built-in list. A method, so the
        /// settings file and Get-NewApiSyncSetting keep showing only what was saved.
        /// </summary>
        public IReadOnlyList<string> StandardModelsInUse() =>
            StandardModels is { Length: > 0 } saved ? saved : Redirect.StandardModelCatalog.Names;

        /// <summary>Whether a sync run also creates model redirects.</summary>
        public bool RedirectAfterSync { get; set; }

        /// <summary>Whether redirects whose target model is gone are removed.</summary>
        public bool PruneMissingTargets { get; set; }

        /// <summary>Replace (the default: the list becomes upstream's) or AddOnly (never remove; removals are reported as pending).</summary>
        public Sync.SyncMode SyncMode { get; set; } = Sync.SyncMode.Replace;

        /// <summary>Wildcard patterns of models a sync never removes.</summary>
        public string[] KeepModel { get; set; } = Array.Empty<string>();

        /// <summary>Channels syncs leave alone: ids, name wildcards, or 'tag:NAME'.</summary>
        public string[] ExcludeChannel { get; set; } = Array.Empty<string>();

        /// <summary>Whether syncs skip manually and automatically disabled channels (off: a run syncs every channel).</summary>
        public bool SkipDisabledChannels { get; set; }

        /// <summary>
        /// The share of a channel's models (percent) a sync may remove before the channel is held; a removal of fewer
        /// than 5 models is never held, and 100 turns the guard off.
        /// </summary>
        public int ShrinkGuardPercent { get; set; } = RunLimits.DefaultShrinkGuardPercent;

        /// <summary>Runs kept in each site's journal.</summary>
        public int HistoryRetention { get; set; } = RunLimits.DefaultHistoryRetention;

        /// <summary>Every problem, one specific message each (property, value, allowed range); empty when valid.</summary>
        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>();
            if (Interval < MinInterval || Interval > MaxInterval)
            {
                problems.Add(string.Format(CultureInfo.InvariantCulture,
                    "Interval {0} is out of range: it must be from {1} (5 minutes) to {2} (30 days); 1 to 24 hours is recommended.",
                    Interval.ToString("c", CultureInfo.InvariantCulture), MinInterval.ToString("c", CultureInfo.InvariantCulture),
                    MaxInterval.ToString("c", CultureInfo.InvariantCulture)));
            }

            CheckRange(problems, nameof(Concurrency), Concurrency, RunLimits.MinConcurrency, RunLimits.MaxConcurrency);
            CheckRange(problems, nameof(MaxRetries), MaxRetries, RunLimits.MinRetries, RunLimits.MaxRetriesLimit);
            CheckRange(problems, nameof(RequestsPerMinute), RequestsPerMinute, RunLimits.MinRequestsPerMinute, RunLimits.MaxRequestsPerMinute);
            CheckRange(problems, nameof(Burst), Burst, RunLimits.MinBurst, RunLimits.MaxBurst);
            CheckRange(problems, nameof(ChannelTimeoutSec), ChannelTimeoutSec, RunLimits.MinChannelTimeoutSec, RunLimits.MaxChannelTimeoutSec);
            CheckRange(problems, nameof(HistoryRetention), HistoryRetention, RunLimits.MinHistoryRetention, RunLimits.MaxHistoryRetention);
            CheckRange(problems, nameof(ShrinkGuardPercent), ShrinkGuardPercent, RunLimits.MinShrinkGuardPercent, RunLimits.MaxShrinkGuardPercent);
            CheckNames(problems, nameof(IncludeModel), IncludeModel);
            CheckNames(problems, nameof(ExcludeModel), ExcludeModel);
            CheckNames(problems, nameof(StandardModels), StandardModels);
            CheckPatterns(problems, nameof(IncludeModel), IncludeModel);
            CheckPatterns(problems, nameof(ExcludeModel), ExcludeModel);
            CheckDuplicates(problems, nameof(StandardModels), StandardModels);
            CheckNames(problems, nameof(KeepModel), KeepModel);
            CheckNames(problems, nameof(ExcludeChannel), ExcludeChannel);
            CheckPatterns(problems, nameof(KeepModel), KeepModel);
            if (!Enum.IsDefined(typeof(Sync.SyncMode), SyncMode))
            {
                problems.Add($"SyncMode {SyncMode} is not a sync mode: use Replace or AddOnly.");
            }

            if (ExcludeChannel is not null && ExcludeChannel.All(e => !string.IsNullOrWhiteSpace(e)))
            {
                try
                {
                    _ = new Sync.ChannelExclusion(ExcludeChannel, SkipDisabledChannels);
                }
                catch (ArgumentException ex)
                {
                    problems.Add($"{nameof(ExcludeChannel)}: {ex.Message}");
                }
            }

            return problems;
        }

        /// <summary>Throws <see cref="ArgumentException"/> listing every problem <see cref="Validate"/> finds.</summary>
        public void ThrowIfInvalid()
        {
            IReadOnlyList<string> problems = Validate();
            if (problems.Count > 0)
            {
                throw new ArgumentException("Invalid sync settings: " + string.Join(" ", problems));
            }
        }

        /// <summary>Advice that is not an error, e.g. an interval outside the recommended 1 – 24 hours.</summary>
        public IReadOnlyList<string> Recommendations()
        {
            var advice = new List<string>();
            if (Interval >= MinInterval && Interval < MinRecommendedInterval)
            {
                advice.Add($"Interval {Interval.ToString("c", CultureInfo.InvariantCulture)} is shorter than the recommended 1 hour; frequent runs add load on the site and its upstreams.");
            }
            else if (Interval > MaxRecommendedInterval && Interval <= MaxInterval)
            {
                advice.Add($"Interval {Interval.ToString("c", CultureInfo.InvariantCulture)} is longer than the recommended 24 hours; model lists may go stale in between.");
            }

            return advice;
        }

        /// <summary>A deep copy, so -WhatIf and validation can work on a changed copy.</summary>
        public SyncSettings Clone()
        {
            var copy = (SyncSettings)MemberwiseClone();
            copy.IncludeModel = (string[]?)IncludeModel?.Clone()!;
            copy.ExcludeModel = (string[]?)ExcludeModel?.Clone()!;
            copy.StandardModels = (string[]?)StandardModels?.Clone()!;
            copy.KeepModel = (string[]?)KeepModel?.Clone()!;
            copy.ExcludeChannel = (string[]?)ExcludeChannel?.Clone()!;
            return copy;
        }

        private static void CheckRange(List<string> problems, string name, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                problems.Add(string.Format(CultureInfo.InvariantCulture, "{0} {1} is out of range: it must be from {2} to {3}.", name, value, min, max));
            }
        }

        /// <summary>A pattern the sync could not use (e.g. an unclosed '[') is refused when saved, not when a scheduled run starts.</summary>
        private static void CheckPatterns(List<string> problems, string name, string[]? patterns)
        {
            foreach (string pattern in patterns ?? Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(pattern))
                {
                    continue; // CheckNames reports it
                }

                try
                {
                    _ = new Sync.ModelFilter(new[] { pattern }, null);
                }
                catch (ArgumentException ex)
                {
                    problems.Add($"{name}: {ex.Message}");
                }
            }
        }

        /// <summary>A name listed twice (ignoring case) is almost always a typo: say so rather than quietly drop one.</summary>
        internal static void CheckDuplicates(List<string> problems, string name, IEnumerable<string>? values)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string value in values ?? Array.Empty<string>())
            {
                if (!string.IsNullOrWhiteSpace(value) && !seen.Add(value.Trim()))
                {
                    problems.Add($"{name} lists '{value.Trim()}' more than once (names are compared ignoring case).");
                }
            }
        }

        private static void CheckNames(List<string> problems, string name, string[]? values)
        {
            if (values is null)
            {
                problems.Add($"{name} must be a list of names (it is null); use an empty list for none.");
                return;
            }

            for (int i = 0; i < values.Length; i++)
            {
                if (string.IsNullOrWhiteSpace(values[i]))
                {
                    problems.Add(string.Format(CultureInfo.InvariantCulture, "{0}[{1}] is empty; every entry must be a model name or wildcard pattern.", name, i));
                }
            }
        }
    }
}
