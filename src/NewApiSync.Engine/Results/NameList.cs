using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Results
{
    /// <summary>
    /// A read-only list of model names (or mapping keys) on the output objects. It behaves like the string array it
    /// replaces (Count, Length, indexing, -contains, foreach, ConvertTo-Json writes an array), and its ToString joins the
    /// names, so <c>Export-Csv</c> writes "gpt-4o, o3" instead of "System.String[]" with no Select-Object from the user.
    /// </summary>
    [JsonConverter(typeof(NameListJsonConverter))]
    public sealed class NameList : IReadOnlyList<string>, IEquatable<NameList>
    {
        public static readonly NameList Empty = new NameList(Array.Empty<string>());

        private readonly string[] _names;

        public NameList(IEnumerable<string>? names)
        {
            _names = names?.ToArray() ?? Array.Empty<string>();
        }

        // Takes the array as it is: only for arrays nothing will change (a ChannelModelList's, or one just built).
        private NameList(string[] names, bool _) => _names = names;

        /// <summary>
        /// A list over <paramref name="names"/> without copying it; the caller guarantees nobody changes the array (issue 16:
        /// a sync record copied each 300-name list twice, once to an array and once into the NameList).
        /// </summary>
        internal static NameList Over(string[] names) => names.Length == 0 ? Empty : new NameList(names, true);

        /// <summary>The names of <paramref name="list"/>, sharing its array (a ChannelModelList never changes).</summary>
        internal static NameList Over(ChannelModelList list) => Over(list.Names);

        /// <summary>The names of <paramref name="names"/>, sharing the array when it is one (plans' lists are never changed).</summary>
        internal static NameList Over(IReadOnlyList<string> names) => names switch
        {
            ChannelModelList list => Over(list.Names),
            string[] array => Over(array),
            _ => names.Count == 0 ? Empty : new NameList(names.ToArray(), true),
        };

        public int Count => _names.Length;

        /// <summary>Same as <see cref="Count"/>, for scripts written against the arrays this type replaces.</summary>
        public int Length => _names.Length;

        public string this[int index] => _names[index];

        public static implicit operator NameList(string[]? names) => names is null || names.Length == 0 ? Empty : new NameList(names);

        /// <summary>What PowerShell passes for <c>$result.OldModels = 'a', 'b'</c>: each item as text.</summary>
        public static implicit operator NameList(object[]? items) =>
            items is null || items.Length == 0 ? Empty : new NameList(items.Select(item => item?.ToString() ?? string.Empty));

        public static implicit operator string[](NameList? list) => list is null ? Array.Empty<string>() : list.ToArray();

        public string[] ToArray() => (string[])_names.Clone();

        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)_names).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => _names.GetEnumerator();

        public bool Equals(NameList? other) => other is not null && _names.SequenceEqual(other._names, StringComparer.Ordinal);

        public override bool Equals(object? obj) => obj is NameList other && Equals(other);

        public override int GetHashCode() => _names.Aggregate(17, (hash, name) => unchecked((hash * 31) + StringComparer.Ordinal.GetHashCode(name)));

        /// <summary>"gpt-4o, o3": what Export-Csv and string expansion show.</summary>
        public override string ToString() => string.Join(", ", _names);
    }

    /// <summary>Reads and writes a <see cref="NameList"/> as the JSON array of strings the journal has always held.</summary>
    public sealed class NameListJsonConverter : JsonConverter<NameList>
    {
        public override NameList? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return NameList.Empty;
            }

            string[]? names = JsonSerializer.Deserialize<string[]>(ref reader, options);
            return names is null ? NameList.Empty : new NameList(names);
        }

        public override void Write(Utf8JsonWriter writer, NameList value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (string name in value)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }
    }
}
