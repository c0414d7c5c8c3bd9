using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// What a redirect, clear or prune would change on one channel, worked out without any I/O. Immutable. A plan
    /// with <see cref="Changed"/> false needs no write; a failed plan changes nothing.
    /// </summary>
    public sealed class RedirectPlan
    {
        private static readonly IReadOnlyList<string> NoNames = Array.Empty<string>();
        private static readonly IReadOnlyList<KeyValuePair<string, RedirectSkipReason>> NoSkips =
            Array.Empty<KeyValuePair<string, RedirectSkipReason>>();

        /// <summary>A plan that keeps the channel as it is; planners set what changes.</summary>
        internal RedirectPlan(RedirectPlanKind kind, Channel channel)
        {
            Kind = kind;
            ChannelId = channel.Id;
            ChannelName = channel.Name;
            OldModels = channel.ModelList;
            NewModels = channel.ModelList;
            OldMappingRaw = channel.ModelMappingRaw;
            OldMapping = channel.ModelMapping;
            NewMapping = channel.ModelMapping;
        }

        public RedirectPlanKind Kind { get; }

        public int ChannelId { get; }

        public string ChannelName { get; }

        public ChannelModelList OldModels { get; }

        /// <summary>The model list after the change (the old list when models do not change).</summary>
        public ChannelModelList NewModels { get; internal init; }

        /// <summary>The stored model_mapping text before the change, kept so a journal can restore it exactly.</summary>
        public string? OldMappingRaw { get; }

        /// <summary>The parsed mapping before the change; null when the stored text is invalid.</summary>
        public ModelMapping? OldMapping { get; }

        /// <summary>The mapping after the change; null only when the stored text is invalid and nothing replaces it.</summary>
        public ModelMapping? NewMapping { get; internal init; }

        /// <summary>Entries written by this plan, standard → actual, in standard-list order; replacements included.</summary>
        public ModelMapping Added { get; internal init; } = ModelMapping.Empty;

        /// <summary>The entries of <see cref="Added"/> that overwrote a different target: standard → previous target.</summary>
        public ModelMapping Replaced { get; internal init; } = ModelMapping.Empty;

        /// <summary>Standard names that got no new entry, in standard-list order, with the reason.</summary>
        public IReadOnlyList<KeyValuePair<string, RedirectSkipReason>> Unmatched { get; internal init; } = NoSkips;

        /// <summary>Names appended to models (the standard names that now route to this channel).</summary>
        public IReadOnlyList<string> AddedModels { get; internal init; } = NoNames;

        /// <summary>Names removed from models (the aliases a clear takes away).</summary>
        public IReadOnlyList<string> RemovedModels { get; internal init; } = NoNames;

        /// <summary>Mapping keys dropped by a clear or a prune, in mapping order.</summary>
        public IReadOnlyList<string> RemovedMappingKeys { get; internal init; } = NoNames;

        /// <summary>A note for the admin: why the channel was skipped, or what the plan did that they should know.</summary>
        public string? Reason { get; internal init; }

        public string? Error { get; internal init; }

        public NewApiErrorKind? ErrorKind { get; internal init; }

        public bool ModelsChanged => !OldModels.Equals(NewModels);

        /// <summary>True when the stored mapping text must be rewritten (an invalid text being replaced counts).</summary>
        public bool MappingChanged => NewMapping is not null && (OldMapping is null || !OldMapping.Equals(NewMapping));

        public bool Changed => ModelsChanged || MappingChanged;

        public RedirectStatus Status =>
            ErrorKind is not null ? RedirectStatus.Failed
            : IsSkip ? RedirectStatus.Skipped
            : !Changed ? RedirectStatus.Unchanged
            : Kind == RedirectPlanKind.Clear ? RedirectStatus.Cleared
            : RedirectStatus.Updated;

        internal bool IsSkip { get; init; }

        /// <summary>The write this plan needs, holding only the changed fields; null when nothing changed.</summary>
        public ChannelUpdate? ToUpdate() => Changed
            ? new ChannelUpdate(ChannelId)
            {
                Models = ModelsChanged ? NewModels : null,
                ModelMapping = MappingChanged ? NewMapping : null,
            }
            : null;

        /// <summary>A plan that fails because the stored mapping cannot be read and nothing may overwrite it.</summary>
        internal static RedirectPlan InvalidMapping(RedirectPlanKind kind, Channel channel) => new RedirectPlan(kind, channel)
        {
            Error = $"The channel's model_mapping cannot be changed safely: {channel.ModelMappingError}",
            ErrorKind = NewApiErrorKind.InvalidExistingMapping,
        };

        /// <summary>
        /// One line for -WhatIf and verbose messages: the entries that would be added or replaced, what leaves the
        /// mapping and models; the error or reason when nothing would be written.
        /// </summary>
        public string Describe()
        {
            if (ErrorKind is not null || !Changed)
            {
                return Error ?? Reason ?? "no change";
            }

            var parts = new List<string>();
            if (OldMapping is null)
            {
                parts.Add("replace the invalid model_mapping");
            }

            foreach (var entry in Added)
            {
                parts.Add(Replaced.TryGetValue(entry.Key, out string old)
                    ? $"replace {entry.Key} \u2192 {entry.Value} (was {old})"
                    : $"add {entry.Key} \u2192 {entry.Value}");
            }

            AddList(parts, "remove mapping entries", RemovedMappingKeys);
            AddList(parts, "add to models", AddedModels);
            AddList(parts, "remove from models", RemovedModels);
            return string.Join("; ", parts);
        }

        public override string ToString() => $"{Kind} {ChannelName} (#{ChannelId}): {Status}";

        /// <summary>"what (3): a, b, c", naming at most ten so a large clear stays one readable line.</summary>
        private static void AddList(List<string> parts, string what, IReadOnlyList<string> names)
        {
            const int MaxNamed = 10;
            if (names.Count == 0)
            {
                return;
            }

            string named = string.Join(", ", names.Take(MaxNamed));
            string more = names.Count > MaxNamed ? $", \u2026 (+{names.Count - MaxNamed} more)" : string.Empty;
            parts.Add($"{what} ({names.Count}): {named}{more}");
        }

        /// <summary>The command output this plan leads to if its write (when it needs one) succeeds.</summary>
        public NewApiModelRedirectResult ToResult(string runId) => new NewApiModelRedirectResult
        {
            RunId = runId ?? string.Empty,
            ChannelId = ChannelId,
            ChannelName = ChannelName,
            Status = Status,
            Added = Added,
            Replaced = Replaced,
            Unmatched = ModelMapping.From(Unmatched.Where(u => !IsServed(u.Value)).Select(u => new KeyValuePair<string, string>(u.Key, u.Value.ToString()))),
            AlreadyServed = Unmatched.Where(u => IsServed(u.Value)).Select(u => u.Key).ToArray(),
            AddedModels = AddedModels.ToArray(),
            RemovedModels = RemovedModels.ToArray(),
            MappingKeysRemoved = RemovedMappingKeys.ToArray(),
            Mapping = NewMapping,
            OldModelMapping = OldMappingRaw,
            NewModelMapping = MappingChanged ? NewMapping!.ToJson() : null,
            Reason = Reason,
            Error = Error,
            ErrorKind = ErrorKind,
        };

        private static bool IsServed(RedirectSkipReason reason) => reason is RedirectSkipReason.AlreadyPresent or RedirectSkipReason.AlreadyMapped;
    }
}
