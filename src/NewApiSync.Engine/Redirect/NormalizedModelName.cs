namespace NewApiSync.Engine.Redirect
{
    /// <summary>A model name taken apart by <see cref="ModelNameNormalizer.Normalize"/>. Immutable.</summary>
    public sealed class NormalizedModelName
    {
        internal NormalizedModelName(string original, string core, string normalized, ModelSnapshotDate? date, string versionKey)
        {
            Original = original;
            Core = core;
            Normalized = normalized;
            Date = date;
            VersionKey = versionKey;
        }

        /// <summary>The name exactly as given.</summary>
        public string Original { get; }

        /// <summary>The model's own name: no vendor path, no <c>:variant</c> (<c>openai/gpt-4o:free</c> → <c>gpt-4o</c>).</summary>
        public string Core { get; }

        /// <summary><see cref="Core"/> without its snapshot stamp, lowercased (<c>GPT-4o-2024-08-06</c> → <c>gpt-4o</c>).</summary>
        public string Normalized { get; }

        /// <summary>True when the name carried a snapshot stamp.</summary>
        public bool IsDated => Date.HasValue;

        /// <summary>The snapshot stamp's date, or null when the name is undated.</summary>
        public ModelSnapshotDate? Date { get; }

        /// <summary>
        /// The word-order-free identity used to match names across vendors' spellings: <c>claude-4.5-sonnet</c> and
        /// <c>claude-sonnet-4-5</c> both have <c>4-5-claude-sonnet</c>. Empty when the name has no core.
        /// </summary>
        public string VersionKey { get; }

        public override string ToString() => Original;
    }
}
