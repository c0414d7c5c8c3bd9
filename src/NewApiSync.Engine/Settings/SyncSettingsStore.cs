using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using NewApiSync.Engine.Storage;

namespace NewApiSync.Engine.Settings
{
    /// <summary>
    /// The user's settings file, <c>&lt;data root&gt;/settings.json</c>: indented camelCase JSON, Interval as "06:00:00"
    /// (days.hh:mm:ss). A missing file or property means the default. Anything else wrong (bad JSON, a value out of range, a
    /// property the module does not know, such as an "accessToken" someone added) makes <see cref="Load"/> throw naming the
    /// file and the problem, instead of silently resetting the user's settings; so a token can never be round-tripped.
    /// </summary>
    public sealed class SyncSettingsStore
    {
        public const string FileName = "settings.json";

        private static readonly JsonSerializerOptions Json = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            WriteIndented = true,
            // SyncMode is saved by name ("AddOnly"), so the file stays readable and editable by hand.
            Converters = { new JsonStringEnumConverter() },
        };

        public SyncSettingsStore(string dataRoot)
        {
            if (string.IsNullOrWhiteSpace(dataRoot))
            {
                throw new ArgumentException("The data root is empty.", nameof(dataRoot));
            }

            FilePath = Path.Combine(Path.GetFullPath(dataRoot), FileName);
        }

        /// <summary>The store in <see cref="DataDirectory.ResolveRoot()"/>.</summary>
        public static SyncSettingsStore ForCurrentUser() => new(DataDirectory.ResolveRoot());

        public string FilePath { get; }

        /// <summary>The saved settings, or the defaults when there is no file. Throws <see cref="InvalidDataException"/> when the file is bad.</summary>
        public SyncSettings Load()
        {
            if (Directory.Exists(FilePath))
            {
                throw new InvalidDataException($"'{FilePath}' is a folder, not a settings file. Remove or rename that folder; the defaults are used while there is no settings file.");
            }

            byte[] content;
            try
            {
                content = File.ReadAllBytes(FilePath);
            }
            catch (FileNotFoundException)
            {
                return new SyncSettings();
            }
            catch (DirectoryNotFoundException)
            {
                return new SyncSettings();
            }

            SyncSettings? settings;
            try
            {
                settings = JsonSerializer.Deserialize<SyncSettings>(content, Json);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException(
                    $"The settings file '{FilePath}' cannot be read: {ex.Message} Fix the file, or delete it to return to the defaults.", ex);
            }

            if (settings is null)
            {
                throw new InvalidDataException($"The settings file '{FilePath}' holds null instead of a settings object. Fix the file, or delete it to return to the defaults.");
            }

            IReadOnlyList<string> problems = settings.Validate();
            if (problems.Count > 0)
            {
                throw new InvalidDataException(
                    $"The settings file '{FilePath}' has invalid values: {string.Join(" ", problems)} Fix the file with Set-NewApiSyncSetting or by hand, or delete it to return to the defaults.");
            }

            return settings;
        }

        /// <summary>Validates, then replaces the file atomically (temp file + rename). Throws <see cref="ArgumentException"/> listing every problem.</summary>
        public void Save(SyncSettings settings)
        {
            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            settings.ThrowIfInvalid();
            DataDirectory.WriteAllBytesAtomic(FilePath, JsonSerializer.SerializeToUtf8Bytes(settings, Json));
        }
    }
}
