using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NewApiSync.Engine.Channels
{
    /// <summary>
    /// A channel's <c>model_mapping</c>: requested (standard) model → upstream (actual) model. New API stores it as a
    /// JSON object encoded in a string and does not validate it, so parsing reports invalid text instead of
    /// treating it as empty: a redirect must never silently discard what an admin typed.
    /// Keys keep the order they had in the JSON text; names are case-sensitive.
    /// </summary>
    public sealed class ModelMapping : IReadOnlyDictionary<string, string>, IEquatable<ModelMapping>
    {
        public static readonly ModelMapping Empty = new ModelMapping(new List<KeyValuePair<string, string>>());

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            // Model names such as "a+b" stay readable in New API's UI; the text is never embedded in HTML by us.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private readonly List<KeyValuePair<string, string>> _entries;
        private readonly Dictionary<string, int> _index;

        private ModelMapping(List<KeyValuePair<string, string>> entries)
            : this(entries, new Dictionary<string, int>(StringComparer.Ordinal))
        {
            for (int i = 0; i < entries.Count; i++)
            {
                _index[entries[i].Key] = i;
            }
        }

        /// <param name="index">Each key's position in <paramref name="entries"/>, already built.</param>
        private ModelMapping(List<KeyValuePair<string, string>> entries, Dictionary<string, int> index)
        {
            _entries = entries;
            _index = index;
        }

        /// <summary>Builds a mapping from pairs; a later pair with the same key replaces the earlier value in place.</summary>
        public static ModelMapping From(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            if (pairs is null)
            {
                throw new ArgumentNullException(nameof(pairs));
            }

            // Sized once when the count is known: a redirect builds a few mappings for every channel of a site.
            int capacity = pairs is ICollection<KeyValuePair<string, string>> known ? known.Count : 0;
            if (capacity == 0 && pairs is ICollection<KeyValuePair<string, string>>)
            {
                return Empty;
            }

            var entries = new List<KeyValuePair<string, string>>(capacity);
            var index = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
            foreach (var pair in pairs)
            {
                if (pair.Key is null || pair.Value is null)
                {
                    throw new ArgumentException("A model mapping entry needs both a key and a value.", nameof(pairs));
                }

                if (index.TryGetValue(pair.Key, out int at))
                {
                    entries[at] = pair;
                }
                else
                {
                    index[pair.Key] = entries.Count;
                    entries.Add(pair);
                }
            }

            return entries.Count == 0 ? Empty : new ModelMapping(entries, index);
        }

        /// <summary>
        /// Parses the stored text. <c>null</c>, blank and <c>{}</c> mean no mapping. Anything that is not a JSON object
        /// whose values are all strings is invalid: the result carries the error and no mapping.
        /// </summary>
        public static ModelMappingParseResult Parse(string? raw)
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                return new ModelMappingParseResult(Empty, null);
            }

            try
            {
                using var doc = JsonDocument.Parse(raw!, new JsonDocumentOptions { MaxDepth = 16 });
                if (doc.RootElement.ValueKind == JsonValueKind.Null)
                {
                    return new ModelMappingParseResult(Empty, null);
                }

                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return new ModelMappingParseResult(null, $"model_mapping is JSON {Describe(doc.RootElement.ValueKind)}, not an object of model names.");
                }

                var pairs = new List<KeyValuePair<string, string>>();
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return new ModelMappingParseResult(null, $"model_mapping entry '{property.Name}' maps to {Describe(property.Value.ValueKind)}, not a model name.");
                    }

                    pairs.Add(new KeyValuePair<string, string>(property.Name, property.Value.GetString()!));
                }

                return new ModelMappingParseResult(From(pairs), null);
            }
            catch (JsonException ex)
            {
                return new ModelMappingParseResult(null, $"model_mapping is not valid JSON ({FirstLine(ex.Message)}).");
            }
        }

        /// <summary>The stored form: a compact JSON object, in entry order.</summary>
        public string ToJson()
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                foreach (var pair in _entries)
                {
                    writer.WriteString(pair.Key, pair.Value);
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        /// <summary>This mapping with <paramref name="entries"/> set: existing keys are overwritten in place, new keys appended.</summary>
        public ModelMapping With(IEnumerable<KeyValuePair<string, string>> entries) => From(_entries.Concat(entries));

        /// <summary>This mapping without the given keys.</summary>
        public ModelMapping Without(IEnumerable<string> keys)
        {
            var drop = new HashSet<string>(keys, StringComparer.Ordinal);
            return From(_entries.Where(e => !drop.Contains(e.Key)));
        }

        public int Count => _entries.Count;

        public bool IsEmpty => _entries.Count == 0;

        public string this[string key] => _entries[_index[key]].Value;

        public IEnumerable<string> Keys => _entries.Select(e => e.Key);

        public IEnumerable<string> Values => _entries.Select(e => e.Value);

        public bool ContainsKey(string key) => _index.ContainsKey(key);

        public bool TryGetValue(string key, out string value)
        {
            if (_index.TryGetValue(key, out int at))
            {
                value = _entries[at].Value;
                return true;
            }

            value = null!;
            return false;
        }

        public bool Equals(ModelMapping? other) =>
            other is not null && _entries.Count == other._entries.Count &&
            _entries.All(e => other.TryGetValue(e.Key, out string v) && string.Equals(v, e.Value, StringComparison.Ordinal));

        public override bool Equals(object? obj) => Equals(obj as ModelMapping);

        public override int GetHashCode() => _entries.Count;

        /// <summary>"gpt-4o → openai/gpt-4o, ..." for display.</summary>
        public override string ToString() => string.Join(", ", _entries.Select(e => $"{e.Key} \u2192 {e.Value}"));

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "an object",
        };

        private static string FirstLine(string text)
        {
            int at = text.IndexOf('\n');
            return (at < 0 ? text : text.Substring(0, at)).Trim();
        }
    }

    /// <summary>The outcome of <see cref="ModelMapping.Parse"/>: either a mapping or the reason the text is invalid.</summary>
    public sealed class ModelMappingParseResult
    {
        internal ModelMappingParseResult(ModelMapping? mapping, string? error)
        {
            Mapping = mapping;
            Error = error;
        }

        /// <summary>The mapping, or null when the text is invalid.</summary>
        public ModelMapping? Mapping { get; }

        /// <summary>Why the text is invalid, or null.</summary>
        public string? Error { get; }

        public bool IsValid => Error is null;
    }
}
