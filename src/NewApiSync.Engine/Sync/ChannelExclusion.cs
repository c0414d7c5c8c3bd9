using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// The channels a sync leaves alone (the ExcludeChannel and SkipDisabledChannels settings and parameters). An entry
    /// is a channel id (<c>11</c>), a name wildcard (<c>*reseller*</c>, case-insensitive) or <c>tag:NAME</c> (the channel's
    /// tag, wildcards allowed). An excluded channel's upstream is never fetched; the run reports it as Skipped with the
    /// reason, never as a failure. Immutable; shared by a run's workers.
    /// </summary>
    public sealed class ChannelExclusion
    {
        public const string TagPrefix = "tag:";

        public static readonly ChannelExclusion None = new ChannelExclusion(null, false);

        private readonly HashSet<int> _ids = new HashSet<int>();
        private readonly List<(string Entry, Regex Pattern)> _names = new List<(string, Regex)>();
        private readonly List<(string Entry, Regex Pattern)> _tags = new List<(string, Regex)>();

        /// <exception cref="ArgumentException">An entry is blank, <c>tag:</c> without a name, or a malformed wildcard.</exception>
        public ChannelExclusion(IEnumerable<string>? entries, bool skipDisabled)
        {
            SkipDisabled = skipDisabled;
            var kept = new List<string>();
            foreach (string? raw in entries ?? Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(raw))
                {
                    throw new ArgumentException("ExcludeChannel contains an empty entry; give channel ids, name wildcards such as '*reseller*', or 'tag:NAME'.", nameof(entries));
                }

                string entry = raw!.Trim();
                kept.Add(entry);
                if (entry.StartsWith(TagPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    string tag = entry.Substring(TagPrefix.Length).Trim();
                    if (tag.Length == 0)
                    {
                        throw new ArgumentException($"ExcludeChannel entry '{entry}' names no tag; write it as 'tag:NAME'.", nameof(entries));
                    }

                    _tags.Add((entry, ModelFilter.ToRegex(tag)));
                }
                else if (int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                {
                    if (id <= 0)
                    {
                        throw new ArgumentException($"ExcludeChannel entry '{entry}' is not a channel id (ids start at 1).", nameof(entries));
                    }

                    _ids.Add(id);
                }
                else
                {
                    _names.Add((entry, ModelFilter.ToRegex(entry)));
                }
            }

            Entries = kept.ToArray();
        }

        /// <summary>The entries as given (trimmed).</summary>
        public IReadOnlyList<string> Entries { get; }

        /// <summary>Whether manually and automatically disabled channels (status 2 and 3) are skipped.</summary>
        public bool SkipDisabled { get; }

        public bool IsEmpty => Entries.Count == 0 && !SkipDisabled;

        /// <summary>Why the channel with this id is excluded, known from the id alone; null when the id is not excluded.</summary>
        public string? ReasonForId(int id) =>
            _ids.Contains(id) ? $"Excluded from syncs by ExcludeChannel '{id.ToString(CultureInfo.InvariantCulture)}'; its upstream was not fetched." : null;

        /// <summary>Why the channel is excluded, or null when a sync should process it.</summary>
        public string? ReasonFor(Channel channel)
        {
            if (channel is null)
            {
                throw new ArgumentNullException(nameof(channel));
            }

            if (ReasonForId(channel.Id) is string byId)
            {
                return byId;
            }

            foreach (var (entry, pattern) in _names)
            {
                if (pattern.IsMatch(channel.Name))
                {
                    return $"Excluded from syncs by ExcludeChannel '{entry}' (its name); its upstream was not fetched.";
                }
            }

            if (!string.IsNullOrEmpty(channel.Tag))
            {
                foreach (var (entry, pattern) in _tags)
                {
                    if (pattern.IsMatch(channel.Tag!))
                    {
                        return $"Excluded from syncs by ExcludeChannel '{entry}' (its tag '{channel.Tag}'); its upstream was not fetched.";
                    }
                }
            }

            if (SkipDisabled && channel.Status is ChannelStatus.ManuallyDisabled or ChannelStatus.AutoDisabled)
            {
                return $"The channel is {(channel.Status == ChannelStatus.ManuallyDisabled ? "manually" : "automatically")} disabled and SkipDisabledChannels is on; its upstream was not fetched.";
            }

            return null;
        }

        public override string ToString() =>
            IsEmpty ? "no channel exclusions"
            : $"exclude {(Entries.Count == 0 ? "nothing" : string.Join(", ", Entries))}{(SkipDisabled ? " and disabled channels" : string.Empty)}";
    }
}
