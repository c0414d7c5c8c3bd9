using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewApiSync.Engine.Channels
{
    /// <summary>
    /// New API's own upstream model update settings for one channel, read from the channel's <c>settings</c> field (a
    /// string holding a JSON object; servers since 2026-02 keep these keys there). The module only reads them: it never
    /// writes <c>settings</c>, which the server treats as a sensitive field. A server without the keys, or a channel whose
    /// settings are empty or unreadable, gets <see cref="None"/>, and a sync behaves exactly as without this feature.
    /// See docs/about_NewApiSync.md ("New API's own upstream model updates") for the keys and how a sync uses them.
    /// </summary>
    public sealed class UpstreamUpdateSettings
    {
        public const string CheckEnabledKey = "upstream_model_update_check_enabled";
        public const string AutoSyncEnabledKey = "upstream_model_update_auto_sync_enabled";
        public const string IgnoredModelsKey = "upstream_model_update_ignored_models";
        public const string RegexPrefix = "regex:";

        /// <summary>No settings: nothing is ignored, and the server's check and auto-sync are unknown.</summary>
        public static readonly UpstreamUpdateSettings None = new UpstreamUpdateSettings(null, null, Array.Empty<string>(), null);

        private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

        private readonly HashSet<string> _ignoredNames;
        private readonly Regex[] _ignoredPatterns;

        private UpstreamUpdateSettings(bool? checkEnabled, bool? autoSyncEnabled, string[] ignoredModels, string? error)
        {
            CheckEnabled = checkEnabled;
            AutoSyncEnabled = autoSyncEnabled;
            IgnoredModels = ignoredModels;
            Error = error;
            _ignoredNames = new HashSet<string>(StringComparer.Ordinal);
            var patterns = new List<Regex>();
            var unusable = new List<string>();
            foreach (string entry in ignoredModels)
            {
                if (entry.StartsWith(RegexPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        // Go's RE2 syntax, which the server uses, reads the same in .NET for the patterns admins write.
                        patterns.Add(new Regex(entry.Substring(RegexPrefix.Length).Trim(), RegexOptions.CultureInvariant, RegexTimeout));
                    }
                    catch (ArgumentException)
                    {
                        unusable.Add(entry);
                    }
                }
                else
                {
                    _ignoredNames.Add(entry);
                }
            }

            _ignoredPatterns = patterns.ToArray();
            UnusablePatterns = unusable.ToArray();
        }

        /// <summary>Whether the server's own upstream check runs for this channel; null when the server does not say.</summary>
        public bool? CheckEnabled { get; }

        /// <summary>Whether the server adds newly detected models by itself; null when the server does not say.</summary>
        public bool? AutoSyncEnabled { get; }

        /// <summary>The server's ignore list as stored: exact model names and <c>regex:</c> entries.</summary>
        public IReadOnlyList<string> IgnoredModels { get; }

        /// <summary><c>regex:</c> entries that are not valid patterns; they match nothing.</summary>
        public IReadOnlyList<string> UnusablePatterns { get; }

        /// <summary>Why the settings could not be read (they then count as absent), or null.</summary>
        public string? Error { get; }

        /// <summary>True when the channel's settings hold any of the upstream update keys.</summary>
        public bool IsPresent => CheckEnabled is not null || AutoSyncEnabled is not null || IgnoredModels.Count > 0;

        /// <summary>True when the server's ignore list names <paramref name="model"/>, exactly or by a <c>regex:</c> entry.</summary>
        public bool Ignores(string model)
        {
            if (_ignoredNames.Contains(model))
            {
                return true;
            }

            foreach (Regex pattern in _ignoredPatterns)
            {
                try
                {
                    if (pattern.IsMatch(model))
                    {
                        return true;
                    }
                }
                catch (RegexMatchTimeoutException)
                {
                    // A pathological pattern must not stall a run; it simply does not match.
                }
            }

            return false;
        }

        /// <summary>
        /// Reads the raw JSON of a channel's <c>settings</c> field: a string holding a JSON object (New API), or the
        /// object itself (some forks). Anything else, or text that is not JSON, gives <see cref="None"/> with an Error.
        /// </summary>
        public static UpstreamUpdateSettings FromSettingsField(string? rawJson)
        {
            if (string.IsNullOrWhiteSpace(rawJson))
            {
                return None;
            }

            try
            {
                using JsonDocument field = JsonDocument.Parse(rawJson!);
                switch (field.RootElement.ValueKind)
                {
                    case JsonValueKind.Object:
                        return FromObject(field.RootElement);
                    case JsonValueKind.String:
                        string? text = field.RootElement.GetString();
                        if (string.IsNullOrWhiteSpace(text))
                        {
                            return None;
                        }

                        using (JsonDocument inner = JsonDocument.Parse(text!))
                        {
                            return inner.RootElement.ValueKind == JsonValueKind.Object
                                ? FromObject(inner.RootElement)
                                : Unreadable($"settings is JSON {inner.RootElement.ValueKind}, not an object");
                        }

                    case JsonValueKind.Null:
                        return None;
                    default:
                        return Unreadable($"settings is {field.RootElement.ValueKind}, not a JSON object");
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return Unreadable("settings is not valid JSON");
            }
        }

        /// <summary>Settings built directly (tests and callers that already hold the values).</summary>
        public static UpstreamUpdateSettings Create(bool? checkEnabled, bool? autoSyncEnabled, IEnumerable<string>? ignoredModels) =>
            new UpstreamUpdateSettings(checkEnabled, autoSyncEnabled, Clean(ignoredModels ?? Array.Empty<string>()), null);

        public override string ToString() =>
            !IsPresent ? "(not set)" : $"check {OnOff(CheckEnabled)}, auto-sync {OnOff(AutoSyncEnabled)}, {IgnoredModels.Count} ignored";

        private static string OnOff(bool? value) => value switch { true => "on", false => "off", _ => "unknown" };

        private static UpstreamUpdateSettings Unreadable(string why) => new UpstreamUpdateSettings(null, null, Array.Empty<string>(), why);

        private static UpstreamUpdateSettings FromObject(JsonElement settings)
        {
            bool? check = settings.TryGetProperty(CheckEnabledKey, out JsonElement c) ? AsBool(c) : null;
            bool? auto = settings.TryGetProperty(AutoSyncEnabledKey, out JsonElement a) ? AsBool(a) : null;
            var ignored = new List<string>();
            if (settings.TryGetProperty(IgnoredModelsKey, out JsonElement list))
            {
                if (list.ValueKind == JsonValueKind.Array)
                {
                    ignored.AddRange(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
                }
                else if (list.ValueKind == JsonValueKind.String)
                {
                    // Tolerate a comma-separated list, the way New API stores model lists elsewhere.
                    ignored.AddRange(list.GetString()!.Split(','));
                }
            }

            return new UpstreamUpdateSettings(check, auto, Clean(ignored), null);
        }

        private static bool? AsBool(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };

        private static string[] Clean(IEnumerable<string> names) =>
            names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct(StringComparer.Ordinal).ToArray();
    }
}
