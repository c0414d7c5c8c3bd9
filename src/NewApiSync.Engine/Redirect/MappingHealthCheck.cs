using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// Test-NewApiModelRedirect's judgement of one channel's model_mapping, read the way New API's relay reads it
    /// (see <see cref="MappingAliases"/> and <see cref="MissingTargetPruner.ResolveTarget"/>). Pure: the upstream list,
    /// when wanted, is fetched by the caller. Entries with an empty target or mapped to themselves change nothing and are
    /// not judged.
    /// </summary>
    /// <remarks>
    /// Per entry, in mapping order: a Cycle (nothing else is judged for it); a key the channel does not list
    /// (KeyNotListed); a target that redirects again (Chain); a final target the channel does not list (TargetNotListed),
    /// or, with an upstream list, one the upstream does not serve (TargetNotServed); and a key and final target of the same
    /// model family that fail the redirect planner's version guard (CrossesVersion). -Fix removes the entries of every kind
    /// but Chain (it routes) and UnreadableMapping (no entry can be told apart; Clear-NewApiModelRedirect replaces it).
    /// </remarks>
    public static class MappingHealthCheck
    {
        public static IReadOnlyList<NewApiModelRedirectProblem> Check(Channel channel, IReadOnlyCollection<string>? upstream = null)
        {
            if (channel is null)
            {
                throw new ArgumentNullException(nameof(channel));
            }

            var problems = new List<NewApiModelRedirectProblem>();
            ModelMapping? mapping = channel.ModelMapping;
            if (mapping is null)
            {
                problems.Add(Problem(channel, null, null, RedirectProblemKind.UnreadableMapping, fixable: false,
                    $"{channel.ModelMappingError} New API cannot use any of it. Clear-NewApiModelRedirect -Id {channel.Id} replaces it with an empty mapping (journaled, restorable)."));
                return problems;
            }

            var served = upstream is null ? null : new HashSet<string>(upstream, StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> entry in mapping)
            {
                string key = entry.Key, target = entry.Value;
                if (!MappingAliases.Redirects(key, target))
                {
                    continue;
                }

                string? final = MissingTargetPruner.ResolveTarget(mapping, key);
                if (final is null)
                {
                    problems.Add(Problem(channel, key, target, RedirectProblemKind.Cycle, fixable: true,
                        $"Following '{key}' through the mapping comes back to a name already visited; New API fails such requests with model_mapping_contains_cycle."));
                    continue;
                }

                if (!channel.ModelList.Contains(key))
                {
                    problems.Add(Problem(channel, key, target, RedirectProblemKind.KeyNotListed, fixable: true,
                        $"'{key}' is not in the channel's models, so New API never sends a request for it to this channel; the entry does nothing."));
                }

                if (mapping.TryGetValue(target, out string next) && MappingAliases.Redirects(target, next))
                {
                    problems.Add(Problem(channel, key, target, RedirectProblemKind.Chain, fixable: false,
                        $"'{target}' is itself redirected, so '{key}' ends at '{final}' through a chain. New API follows chains, but one changed entry silently changes another; map '{key}' straight to '{final}'."));
                }

                if (!channel.ModelList.Contains(final))
                {
                    problems.Add(Problem(channel, key, target, RedirectProblemKind.TargetNotListed, fixable: true,
                        $"'{key}' ends at '{final}', which the channel no longer lists; requests for '{key}' would go to a model this channel does not serve."));
                }

                if (served is not null && !served.Contains(final))
                {
                    problems.Add(Problem(channel, key, target, RedirectProblemKind.TargetNotServed, fixable: true,
                        $"'{key}' ends at '{final}', which the upstream no longer serves; requests for '{key}' would fail at the provider."));
                }

                if (CrossesVersion(key, final))
                {
                    problems.Add(Problem(channel, key, target, RedirectProblemKind.CrossesVersion, fixable: true,
                        $"'{key}' and '{final}' are the same model family at different versions; New-NewApiModelRedirect never maps across versions, so callers asking for '{key}' silently get another model."));
                }
            }

            return problems;
        }

        /// <summary>The channel's mapping without the entries -Fix removes for these problems; null when nothing is to be removed.</summary>
        public static ModelMapping? Fixed(Channel channel, IEnumerable<NewApiModelRedirectProblem> problems)
        {
            if (channel?.ModelMapping is not ModelMapping mapping)
            {
                return null;
            }

            string[] keys = problems.Where(p => p.Fixable && p.Key is not null).Select(p => p.Key!).Distinct(StringComparer.Ordinal).ToArray();
            return keys.Length == 0 ? null : mapping.Without(keys);
        }

        /// <summary>
        /// True when the names share their family words (the alphabetic pieces of their version keys) but the redirect
        /// planner's version guard (<see cref="RedirectPlanner.PassesVersionGuard"/>) tells them apart. Different words
        /// (an alias such as 'my-chat' → 'gpt-4o', or 'gemini-2.5-flash' → 'gemini-2.5-flash-lite') are a choice, not a
        /// version crossing.
        /// </summary>
        internal static bool CrossesVersion(string key, string target)
        {
            if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(target) || RedirectPlanner.PassesVersionGuard(key, target))
            {
                return false;
            }

            string keyFamily = Family(ModelNameNormalizer.Normalize(key).VersionKey);
            return keyFamily.Length > 0 && string.Equals(keyFamily, Family(ModelNameNormalizer.Normalize(target).VersionKey), StringComparison.Ordinal);
        }

        private static string Family(string versionKey) =>
            string.Join("-", versionKey.Split('-').Where(piece => piece.Length > 0 && piece.All(char.IsLetter)));

        private static NewApiModelRedirectProblem Problem(Channel channel, string? key, string? target, RedirectProblemKind kind, bool fixable, string explanation) =>
            new NewApiModelRedirectProblem
            {
                ChannelId = channel.Id,
                ChannelName = channel.Name,
                Key = key,
                Target = target,
                Kind = kind,
                Fixable = fixable,
                Explanation = explanation,
            };
    }
}
