using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// Decides a channel's new model list from what its upstream lists. Pure: no I/O, so -WhatIf and benchmarks plan
    /// exactly as a real run does.
    /// </summary>
    /// <remarks>
    /// <para><b>The planning order.</b> This is the one statement of how the sync rules combine (docs/about_NewApiSync.md
    /// repeats it for admins). Each step works on the result of the one before:</para>
    /// <list type="number">
    /// <item><b>IncludeModel / ExcludeModel</b> filter the upstream list (upstream order, duplicates and blanks dropped).
    /// An empty result stops here: the channel is skipped, because an empty list never replaces a channel's models.</item>
    /// <item><b>The alias rule</b> adds back the channel's redirect aliases (model_mapping keys listed in models) whose
    /// final target is still offered: upstream never lists an alias, and dropping it would stop New API routing that
    /// name. Steps 1–2 give the Replace list, exactly what a sync wrote before policies existed.</item>
    /// <item><b>The server's ignore list</b> (the channel's <c>settings</c>, <see cref="UpstreamUpdateSettings"/>) takes out
    /// every model the Replace list would add that the list names, exactly or by a <c>regex:</c> entry (IgnoredModels).
    /// It only blocks additions: a model the channel already lists is not removed because of it.</item>
    /// <item><b>KeepModel</b> takes out every removal a pattern protects (ProtectedModels); those models stay, even when
    /// step 1 filtered them out.</item>
    /// <item><b>SyncMode</b>: under AddOnly every removal left is kept and reported as PendingRemovals; under Replace the
    /// removals left are made.</item>
    /// <item><b>The shrink guard</b> looks at the removals left after step 5 (so it never holds an AddOnly sync, and
    /// protected models never count): a channel that would lose too many models is held unless -Force. It judges the
    /// write this plan leads to, so it is applied by the sync runner to the planned diff rather than here.</item>
    /// <item>A new list that would be empty is never written (the channel is skipped), and a list with the same set of
    /// models as the channel's needs no write.</item>
    /// </list>
    /// <para>Order of the written list: under Replace, the Replace list without ignored additions, then the kept models
    /// in the channel's order; under AddOnly, the channel's list, then the additions in upstream order.</para>
    /// </remarks>
    public sealed class SyncPlanner
    {
        private static readonly string[] NoNames = new string[0];

        private readonly ModelFilter _filter;
        private readonly SyncPolicy _policy;

        public SyncPlanner(ModelFilter? filter = null, SyncPolicy? policy = null)
        {
            _filter = filter ?? ModelFilter.None;
            _policy = policy ?? SyncPolicy.Default;
        }

        public ModelFilter Filter => _filter;

        public SyncPolicy Policy => _policy;

        public SyncPlan Plan(Channel channel, IReadOnlyList<string> upstream)
        {
            if (channel is null)
            {
                throw new ArgumentNullException(nameof(channel));
            }

            ChannelModelList old = channel.ModelList;

            // Step 1: IncludeModel / ExcludeModel.
            ChannelModelList offered = ChannelModelList.From(_filter.Apply(upstream));
            if (offered.Count == 0)
            {
                string reason = upstream.Count == 0
                    ? "The upstream returned no models; an empty list never replaces a channel's models."
                    : $"All {upstream.Count} upstream models were filtered out ({_filter}); an empty list never replaces a channel's models.";
                return Unchanged(old, NoNames, reason);
            }

            // Step 2: the alias rule.
            IReadOnlyList<string> aliases = AliasesToKeep(channel, offered);
            ChannelModelList replace = aliases.Count == 0 ? offered : ChannelModelList.From(offered.Concat(aliases));

            // Steps 3-5: the server's ignore list, KeepModel and SyncMode.
            PolicyOutcome outcome = ApplyPolicy(channel, replace);

            // Step 6, the shrink guard, judges the diff of this plan (outcome.NewModels against old) in the sync runner.

            // Step 7: never empty; no write when the set is the same.
            if (outcome.NewModels.Count == 0)
            {
                return Unchanged(old, aliases, "Every model would be removed, and an empty list never replaces a channel's models.", outcome);
            }

            if (outcome.NewModels.SetEquals(old))
            {
                return Unchanged(old, aliases, null, outcome);
            }

            return new SyncPlan(old, outcome.NewModels, ChannelModelList.Diff(old, outcome.NewModels), aliases, null)
            {
                IgnoredModels = outcome.Ignored,
                ProtectedModels = outcome.Protected,
                PendingRemovals = outcome.Pending,
            };
        }

        /// <summary>Steps 3-5 of the planning order: what the server's ignore list, KeepModel and SyncMode leave of the Replace list.</summary>
        private PolicyOutcome ApplyPolicy(Channel channel, ChannelModelList replace)
        {
            ChannelModelList old = channel.ModelList;
            UpstreamUpdateSettings server = channel.UpstreamUpdate;
            string[] ignored = server.IgnoredModels.Count == 0 ? NoNames : replace.Where(m => !old.Contains(m) && server.Ignores(m)).ToArray();
            string[] removed = old.Where(m => !replace.Contains(m)).ToArray();
            string[] protectedModels = removed.Where(_policy.Protects).ToArray();
            string[] pending = _policy.Mode == SyncMode.AddOnly ? removed.Where(m => !_policy.Protects(m)).ToArray() : NoNames;
            if (ignored.Length == 0 && protectedModels.Length == 0 && pending.Length == 0)
            {
                return new PolicyOutcome(replace, NoNames, NoNames, NoNames);
            }

            var skip = new HashSet<string>(ignored, StringComparer.Ordinal);
            ChannelModelList result = _policy.Mode == SyncMode.AddOnly
                ? ChannelModelList.From(old.Concat(replace.Where(m => !skip.Contains(m))))
                : ChannelModelList.From(replace.Where(m => !skip.Contains(m)).Concat(protectedModels));
            return new PolicyOutcome(result, ignored, protectedModels, pending);
        }

        private static SyncPlan Unchanged(ChannelModelList old, IReadOnlyList<string> aliases, string? skipReason, PolicyOutcome? outcome = null) =>
            new SyncPlan(old, old, new ModelListDiff(NoNames, NoNames), aliases, skipReason)
            {
                IgnoredModels = outcome?.Ignored ?? NoNames,
                ProtectedModels = outcome?.Protected ?? NoNames,
                PendingRemovals = outcome?.Pending ?? NoNames,
            };

        private static IReadOnlyList<string> AliasesToKeep(Channel channel, ChannelModelList offered)
        {
            ModelMapping? mapping = channel.ModelMapping;
            if (mapping is null || mapping.IsEmpty)
            {
                return NoNames;
            }

            var kept = new List<string>();
            foreach (string model in channel.ModelList)
            {
                if (!offered.Contains(model) && mapping.TryGetValue(model, out string target) && MappingAliases.Redirects(model, target) &&
                    MissingTargetPruner.ResolveTarget(mapping, model) is string final && offered.Contains(final))
                {
                    kept.Add(model);
                }
            }

            return kept;
        }

        private sealed class PolicyOutcome
        {
            public PolicyOutcome(ChannelModelList newModels, string[] ignored, string[] protectedModels, string[] pending)
            {
                NewModels = newModels;
                Ignored = ignored;
                Protected = protectedModels;
                Pending = pending;
            }

            public ChannelModelList NewModels { get; }

            public string[] Ignored { get; }

            public string[] Protected { get; }

            public string[] Pending { get; }
        }
    }
}
