using System;
using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Restore
{
    /// <summary>
    /// What restoring one channel means, merged from the journal records given for it. Rules:
    /// <list type="bullet">
    /// <item>Only records with Changed = true or MayHaveWritten = true count: any other record wrote nothing. A record that
    /// may have written is undone only when the channel holds what that write would have left (or with -Force); a channel
    /// that still holds the old values needs nothing.</item>
    /// <item>Models are restored when a record changed them, the mapping when a record rewrote it (NewModelMapping set).</item>
    /// <item>Several records for one channel (a run given twice, or two runs): per field, the oldest changing record's Old*
    /// is what is written back, and the newest changing record's New* is what the channel must still hold (the guard).
    /// So restoring two consecutive runs goes back to before the first.</item>
    /// <item>An empty old model list cannot be written (New API skips ""), so models are then left alone with a note.</item>
    /// </list>
    /// </summary>
    public sealed class RestorePlan
    {
        private RestorePlan(int channelId, string channelName)
        {
            ChannelId = channelId;
            ChannelName = channelName;
        }

        public int ChannelId { get; }

        public string ChannelName { get; }

        /// <summary>The runs whose records this plan undoes, oldest first.</summary>
        public IReadOnlyList<string> RunIds { get; private set; } = Array.Empty<string>();

        public bool RestoresModels => OldModels is not null;

        public bool RestoresMapping => OldModelMappingText is not null;

        /// <summary>The model list to write back, or null to leave models alone.</summary>
        public ChannelModelList? OldModels { get; private set; }

        /// <summary>The models the channel must still hold (as a set) for the restore to go ahead without -Force.</summary>
        public ChannelModelList? ExpectedModels { get; private set; }

        /// <summary>The model_mapping text to write back exactly ("{}" for none), or null to leave the mapping alone.</summary>
        public string? OldModelMappingText { get; private set; }

        /// <summary>The model_mapping text the channel must still hold for the restore to go ahead without -Force.</summary>
        public string? ExpectedModelMappingText { get; private set; }

        /// <summary>Why nothing will be written (no record changed anything restorable), or null.</summary>
        public string? SkipReason { get; private set; }

        /// <summary>Something restorable that is left alone (an empty old model list), or null.</summary>
        public string? Note { get; private set; }

        /// <summary>One plan per channel, in the order channels first appear in <paramref name="records"/>.</summary>
        public static IReadOnlyList<RestorePlan> FromRecords(IEnumerable<NewApiSyncResult> records)
        {
            if (records is null)
            {
                throw new ArgumentNullException(nameof(records));
            }

            return records
                .Where(r => r is not null)
                .GroupBy(r => r.ChannelId)
                .Select(g => ForChannel(g.Key, g.OrderBy(r => r.StartedAt).ThenBy(r => r.RunId, StringComparer.Ordinal).ToArray()))
                .ToArray();
        }

        /// <summary>Whether two model_mapping texts hold the same mapping (null, blank and "{}" all mean none).</summary>
        public static bool SameMapping(string? a, string? b)
        {
            ModelMappingParseResult left = ModelMapping.Parse(a), right = ModelMapping.Parse(b);
            return left.IsValid && right.IsValid
                ? left.Mapping!.Equals(right.Mapping)
                : string.Equals(a?.Trim(), b?.Trim(), StringComparison.Ordinal);
        }

        /// <summary>What model_mapping text restores <paramref name="oldText"/>: itself, or "{}" for none (New API skips "").</summary>
        public static string MappingTextToWrite(string? oldText) => string.IsNullOrWhiteSpace(oldText) ? "{}" : oldText!;

        /// <summary>Whether <paramref name="current"/> already holds the models this plan would write (or it writes none).</summary>
        public bool ModelsInPlace(Channel current) => OldModels is null || current.ModelList.SetEquals(OldModels);

        /// <summary>Whether <paramref name="current"/> already holds the mapping this plan would write (or it writes none).</summary>
        public bool MappingInPlace(Channel current) => OldModelMappingText is null || SameMapping(current.ModelMappingRaw, OldModelMappingText);

        /// <summary>
        /// Why <paramref name="current"/> no longer holds what the undone run(s) left, or null when it still does (the
        /// changed-since guard; only the fields this plan writes are compared).
        /// </summary>
        public string? ChangedSince(Channel current)
        {
            var changes = new List<string>();
            if (ExpectedModels is not null && !current.ModelList.SetEquals(ExpectedModels))
            {
                changes.Add($"its models differ from what that run left ({ChannelModelList.Diff(ExpectedModels, current.ModelList)} since)");
            }

            if (OldModelMappingText is not null && !SameMapping(current.ModelMappingRaw, ExpectedModelMappingText))
            {
                changes.Add("its model_mapping differs from what that run wrote");
            }

            return changes.Count == 0 ? null : $"Channel '{current.Name}' (#{current.Id}) changed since run {string.Join(", ", RunIds)}: {string.Join(" and ", changes)}. Restoring would overwrite that change.";
        }

        /// <summary>For -WhatIf and confirmation: "Restore models (+1 -3 models) and model_mapping (2 entries)".</summary>
        public string Describe(Channel current)
        {
            var parts = new List<string>();
            if (!ModelsInPlace(current))
            {
                parts.Add($"models ({ChannelModelList.Diff(current.ModelList, OldModels!)})");
            }

            if (!MappingInPlace(current))
            {
                ModelMappingParseResult parsed = ModelMapping.Parse(OldModelMappingText);
                parts.Add(!parsed.IsValid ? "model_mapping (its invalid text, exactly as it was)"
                    : parsed.Mapping!.IsEmpty ? "model_mapping (empty)"
                    : $"model_mapping ({parsed.Mapping.Count} {(parsed.Mapping.Count == 1 ? "entry" : "entries")})");
            }

            return "Restore " + string.Join(" and ", parts);
        }

        private static RestorePlan ForChannel(int channelId, NewApiSyncResult[] oldestFirst)
        {
            NewApiSyncResult newest = oldestFirst[oldestFirst.Length - 1];
            var plan = new RestorePlan(channelId, newest.ChannelName);
            // A write that may have happened (sent, then killed, cancelled or unconfirmed) counts like one that did: the guard
            // then compares the channel with the values it would have written, so it is only undone if they are there.
            NewApiSyncResult[] changed = oldestFirst.Where(r => r.Changed || r.MayHaveWritten).ToArray();
            plan.RunIds = oldestFirst.Select(r => r.RunId).Distinct(StringComparer.Ordinal).ToArray();
            if (changed.Length == 0)
            {
                plan.SkipReason = newest.Status == ChannelResultStatus.Succeeded
                    ? $"Run {newest.RunId} did not change this channel: there is nothing to restore."
                    : $"Run {newest.RunId} wrote nothing to this channel ({newest.Status}): there is nothing to restore.";
                return plan;
            }

            NewApiSyncResult[] modelChanges = changed.Where(r => !r.OldModels.SequenceEqual(r.NewModels, StringComparer.Ordinal)).ToArray();
            if (modelChanges.Length > 0)
            {
                string[] old = modelChanges[0].OldModels;
                if (old.Length == 0)
                {
                    plan.Note = "The channel had no models before that run, and New API cannot empty a model list: models were left alone.";
                }
                else
                {
                    plan.OldModels = ChannelModelList.From(old);
                    plan.ExpectedModels = ChannelModelList.From(modelChanges[modelChanges.Length - 1].NewModels);
                }
            }

            NewApiSyncResult[] mappingChanges = changed.Where(r => r.NewModelMapping is not null && !SameMappingText(r.OldModelMapping, r.NewModelMapping)).ToArray();
            if (mappingChanges.Length > 0)
            {
                plan.OldModelMappingText = MappingTextToWrite(mappingChanges[0].OldModelMapping);
                plan.ExpectedModelMappingText = mappingChanges[mappingChanges.Length - 1].NewModelMapping;
            }

            if (!plan.RestoresModels && !plan.RestoresMapping)
            {
                plan.SkipReason = plan.Note ?? $"Run {newest.RunId} changed neither the models nor the model_mapping of this channel: there is nothing to restore.";
                plan.Note = null;
            }

            return plan;
        }

        // A record's mapping counts as rewritten when the text differs at all: an invalid text replaced by the same entries
        // in valid form was still a write worth undoing.
        private static bool SameMappingText(string? a, string? b) =>
            string.Equals(string.IsNullOrWhiteSpace(a) ? null : a, string.IsNullOrWhiteSpace(b) ? null : b, StringComparison.Ordinal);
    }
}
