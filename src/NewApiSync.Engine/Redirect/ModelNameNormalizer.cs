using System;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// The one place that decides when two model names mean the same model. Redirect matching relies on it alone.
    /// </summary>
    /// <remarks>
    /// <para><b>1. Core identity.</b> Trim; keep the part after the last <c>/</c> (vendor or route prefixes such as
    /// <c>openai/</c>, <c>BigModel/deepseek/</c>, <c>api/v1/models/</c>); cut at the first <c>:</c> (<c>:free</c>,
    /// <c>:premium</c>). A name like <c>openai/</c> has an empty core and matches nothing.</para>
    /// <para><b>2. Snapshot stamp.</b> At most one trailing stamp is removed. It must follow a <c>-</c> or <c>_</c> that has
    /// at least one character before it, its separators are <c>-</c> or <c>_</c>, and its digit groups must have exactly
    /// these lengths (a longer digit run is a version, not a date). Shapes are tried in this order:
    /// <list type="number">
    /// <item><c>-2025-09-29</c> / <c>_2025_09_29</c>: year, month, day.</item>
    /// <item><c>-09-2025</c>: month, year (Google's preview stamps).</item>
    /// <item><c>-20250929</c>: year, month, day.</item>
    /// <item><c>-202509</c>: year, month.</item>
    /// <item><c>-0613</c>: month and day when that is a real calendar day (<c>0125</c>, <c>0324</c>, <c>1106</c>);
    /// otherwise year and month when it reads as 20YY-MM with YY 20–39 (Mistral's <c>-2411</c>, Qwen's <c>-2507</c>).
    /// <c>-2048</c>, <c>-4096</c>, <c>-8192</c> are neither, so they stay part of the name.</item>
    /// <item><c>-09-29</c>: month and day, when a real calendar day.</item>
    /// </list>
    /// Every year must be 2020–2099 and every month/day a real date (29 February is allowed when the year is unknown).
    /// A yearless stamp right after a four-digit group is the tail of a failed year-first date (<c>-2019-05-01</c>,
    /// <c>-2025-0929</c>), so it does not count either.
    /// So <c>gpt-4o-mini</c>, <c>o3</c>, <c>gpt-4-32k</c>, <c>llama-3.1-405b</c>, <c>qwen3-235b-a22b</c> and <c>glm-4.5</c>
    /// are undated; <c>gpt-3.5-turbo-0125</c> and <c>deepseek-v3-0324</c> are dated. The price of the MMDD rule is that a
    /// plain four-digit tail that happens to be a calendar day (<c>-1024</c>) is read as a stamp.
    /// See <see cref="ModelSnapshotDate"/> for how stamps without a year are ordered.</para>
    /// <para><b>3. Version key.</b> The undated core, lowercased, <c>.</c> → <c>-</c>, split on <c>-</c> and <c>_</c>, empty
    /// pieces dropped, pieces sorted ordinally and joined with <c>-</c>. Word order and separators stop mattering
    /// (<c>claude-4.5-sonnet</c> = <c>claude-sonnet-4-5</c> = <c>Claude_Sonnet_4.5</c>) while every word still counts
    /// (<c>gemini-2.5-flash</c> ≠ <c>gemini-2.5-flash-lite</c>). Because pieces are sorted, a name whose numbers swap
    /// places (<c>4-5</c> / <c>5-4</c>) shares a key; no vendor names models that way today.</para>
    /// </remarks>
    public static class ModelNameNormalizer
    {
        private const int MinYear = 2020;
        private const int MaxYear = 2099;
        private const int MaxShortYear = 39;

        private static readonly char[] KeySeparators = { '-', '_' };

        // Longest shapes first, so "-2025-09-29" is not read as "-09-29".
        private static readonly StampShape[] Shapes =
        {
            new StampShape(new[] { 4, 2, 2 }, g => DateOf(g[0], g[1], g[2])),
            new StampShape(new[] { 2, 4 }, g => DateOf(g[1], g[0], null)),
            new StampShape(new[] { 8 }, g => DateOf(g[0] / 10000, g[0] / 100 % 100, g[0] % 100)),
            new StampShape(new[] { 6 }, g => DateOf(g[0] / 100, g[0] % 100, null)),
            new StampShape(new[] { 4 }, g => MonthDayOf(g[0] / 100, g[0] % 100) ?? ShortYearMonthOf(g[0] / 100, g[0] % 100)),
            new StampShape(new[] { 2, 2 }, g => MonthDayOf(g[0], g[1])),
        };

        /// <summary>Takes a model name apart; see the remarks on the type for the rules.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
        /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
        public static NormalizedModelName Normalize(string name)
        {
            if (name is null)
            {
                throw new ArgumentNullException(nameof(name));
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A model name cannot be empty or white space.", nameof(name));
            }

            int coreStart = CoreRange(name, out int coreEnd);
            int undatedEnd = FindStamp(name, coreStart, coreEnd, out ModelSnapshotDate? date);
            string normalized = name.Substring(coreStart, undatedEnd - coreStart).ToLowerInvariant();
            return new NormalizedModelName(name, name.Substring(coreStart, coreEnd - coreStart), normalized, date, VersionKeyOf(normalized));
        }

        /// <summary>
        /// A number that is equal for any two names with the same <see cref="NormalizedModelName.VersionKey"/>, computed
        /// without building any string, so a planner can pass over the many models that cannot match any standard name
        /// before normalizing them. Different keys may share a signature (then normalizing tells). Names with characters
        /// outside ASCII, whose lowercase forms are not simple, get <see cref="UnknownSignature"/>: normalize those.
        /// </summary>
        internal static long VersionSignature(string name)
        {
            int start = CoreRange(name, out int coreEnd);
            return SignatureOf(name, start, FindStamp(name, start, coreEnd, out _));
        }

        /// <summary>The signature of an already normalized name (lowercase, so any character set is fine).</summary>
        internal static long VersionSignature(NormalizedModelName name) => SignatureOf(name.Normalized, 0, name.Normalized.Length);

        private static long SignatureOf(string text, int start, int end)
        {
            long sum = 0;
            int pieces = 0;
            bool inPiece = false;
            for (int i = start; i < end; i++)
            {
                char c = text[i];
                if (c > 127)
                {
                    return UnknownSignature;
                }

                if (c == '.' || IsSeparator(c))
                {
                    inPiece = false;
                    continue;
                }

                pieces += inPiece ? 0 : 1;
                inPiece = true;
                sum += Mix(c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
            }

            // Summing per-character mixes ignores order, just as sorting the pieces does.
            return sum + (pieces * PiecesWeight);
        }

        internal const long UnknownSignature = long.MinValue;

        private const long PiecesWeight = 0x100000001B3;

        private static long Mix(char c) => AsciiMixes[c];

        // Mix of every ASCII character, worked out once: SignatureOf runs over every model of every channel.
        private static readonly long[] AsciiMixes = MixTable();

        private static long[] MixTable()
        {
            var table = new long[128];
            for (int c = 0; c < table.Length; c++)
            {
                ulong m = (ulong)c * 0x9E3779B97F4A7C15UL;
                m ^= m >> 29;
                table[c] = unchecked((long)(m * 0xBF58476D1CE4E5B9UL));
            }

            return table;
        }

        /// <summary>Where the core identity starts in <paramref name="name"/>; <paramref name="end"/> is where it stops.</summary>
        private static int CoreRange(string name, out int end)
        {
            int start = 0;
            end = name.Length;
            TrimRange(name, ref start, ref end);
            int slash = end > start ? name.LastIndexOf('/', end - 1, end - start) : -1;
            start = slash < 0 ? start : slash + 1;
            int colon = end > start ? name.IndexOf(':', start, end - start) : -1;
            end = colon < 0 ? end : colon;
            TrimRange(name, ref start, ref end);
            return start;
        }

        private static void TrimRange(string text, ref int start, ref int end)
        {
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }
        }

        private static string VersionKeyOf(string normalized)
        {
            string[] pieces = normalized.Replace('.', '-').Split(KeySeparators, StringSplitOptions.RemoveEmptyEntries);
            Array.Sort(pieces, StringComparer.Ordinal);
            return string.Join("-", pieces);
        }

        /// <summary>Where the core (<paramref name="start"/> to <paramref name="end"/>) stops once its stamp is cut off.</summary>
        private static int FindStamp(string text, int start, int end, out ModelSnapshotDate? date)
        {
            date = null;
            if (end == start || !IsDigit(text[end - 1]))
            {
                return end;
            }

            // On the stack: every name ending in a digit passes here, most of them only to be ruled out.
            Span<int> groups = stackalloc int[3];
            foreach (StampShape shape in Shapes)
            {
                int separator = shape.Match(text, start, end, groups);
                if (separator > start && shape.Interpret(groups) is ModelSnapshotDate found &&
                    !IsTailOfYearFirstDate(text, start, separator, found))
                {
                    date = found;
                    return separator;
                }
            }

            return end;
        }

        /// <summary>
        /// True for a yearless stamp right after a four-digit group (<c>-2019-05-01</c>, <c>-2025-0929</c>): that is a
        /// year-first date which failed its own checks, and its tail alone must not pass for a stamp.
        /// </summary>
        private static bool IsTailOfYearFirstDate(string text, int coreStart, int separator, ModelSnapshotDate date)
        {
            int groupStart = separator - 4;
            if (date.Year is not null || groupStart < coreStart)
            {
                return false;
            }

            for (int i = groupStart; i < separator; i++)
            {
                if (!IsDigit(text[i]))
                {
                    return false;
                }
            }

            return groupStart == coreStart || IsSeparator(text[groupStart - 1]);
        }

        private static ModelSnapshotDate? DateOf(int year, int month, int? day) =>
            year >= MinYear && year <= MaxYear && ModelSnapshotDate.IsValid(year, month, day)
                ? new ModelSnapshotDate(year, month, day)
                : null;

        private static ModelSnapshotDate? MonthDayOf(int month, int day) =>
            ModelSnapshotDate.IsValid(null, month, day) ? new ModelSnapshotDate(null, month, day) : null;

        private static ModelSnapshotDate? ShortYearMonthOf(int shortYear, int month) =>
            shortYear <= MaxShortYear ? DateOf(2000 + shortYear, month, null) : null;

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private static bool IsSeparator(char c) => c == '-' || c == '_';

        /// <summary>Reads a stamp's digit groups (first group first) as a date, or null when they are not one.</summary>
        private delegate ModelSnapshotDate? StampReader(ReadOnlySpan<int> groups);

        /// <summary>A stamp's digit-group lengths and how to read the groups as a date.</summary>
        private sealed class StampShape
        {
            private readonly int[] _groupLengths;

            public StampShape(int[] groupLengths, StampReader interpret)
            {
                _groupLengths = groupLengths;
                Interpret = interpret;
            }

            public StampReader Interpret { get; }

            /// <summary>
            /// Fills <paramref name="groups"/> (first group first) and returns the index of the separator that starts
            /// the stamp, or -1 when <paramref name="text"/> from <paramref name="start"/> to <paramref name="end"/>
            /// does not end in this shape.
            /// </summary>
            public int Match(string text, int start, int end, Span<int> groups)
            {
                for (int g = _groupLengths.Length - 1; g >= 0; g--)
                {
                    int groupStart = end - _groupLengths[g];
                    if (groupStart - 1 < start || !IsSeparator(text[groupStart - 1]) ||
                        !TryReadDigits(text, groupStart, end, out groups[g]))
                    {
                        return -1;
                    }

                    end = groupStart - 1;
                }

                return end;
            }

            private static bool TryReadDigits(string text, int start, int end, out int value)
            {
                value = 0;
                for (int i = start; i < end; i++)
                {
                    if (!IsDigit(text[i]))
                    {
                        return false;
                    }

                    value = (value * 10) + (text[i] - '0');
                }

                return true;
            }
        }
    }
}
