using System;
using System.Runtime.CompilerServices;
using NewApiSync.Engine.Internal;
#if NET8_0_OR_GREATER
using System.Buffers;
using System.Text;
#endif

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// A byte-level test that tells, before a journal line is parsed, that it cannot match a -Search text, so a search over
    /// 200,000 lines parses only the few that can (issue 16). It answers "cannot match" only where that is certain:
    /// the text is ASCII, and the line is ASCII with no JSON escape, so its string values are its bytes and the
    /// ordinal case-insensitive comparison of <see cref="ResultQuery"/> is an ASCII case fold. Every other line is parsed
    /// and filtered exactly as before. Lines that can end an open intent or carry a run's start or end are parsed too, so
    /// the records a search returns are those a full parse returns. One instance serves one query on one thread.
    /// </summary>
    internal sealed class LineSearch
    {
        private readonly byte[] _lowerText;
        private byte[] _lowerLine = Array.Empty<byte>();

        private LineSearch(byte[] lowerText)
        {
            _lowerText = lowerText;
        }

        /// <summary>The test for <paramref name="search"/>, or null when it has a non-ASCII character (every line is parsed).</summary>
        public static LineSearch? For(string? search)
        {
            if (string.IsNullOrEmpty(search))
            {
                return null;
            }

            var lower = new byte[search!.Length];
            for (int i = 0; i < search.Length; i++)
            {
                char c = search[i];
                if (c >= 0x80)
                {
                    return null;
                }

                lower[i] = (byte)(c is >= 'A' and <= 'Z' ? c + ('a' - 'A') : c);
            }

            return new LineSearch(lower);
        }

        /// <summary>
        /// True only when no string or number in <paramref name="line"/> can contain the text and the line is a plain
        /// channel line (not a run start, run end or intent, which the caller must see).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public bool CannotMatch(ReadOnlySpan<byte> line)
        {
            if (_lowerLine.Length < line.Length)
            {
                _lowerLine = new byte[Math.Max(line.Length, Math.Min(2 * _lowerLine.Length, RunFile.MaxLineBytes))];
            }

            Span<byte> lower = _lowerLine.AsSpan(0, line.Length);
            if (!TryAsciiLower(line, lower))
            {
                return false;
            }

            // Escapes (\", \\, \uXXXX) could spell the text in other bytes; a line with any is parsed. The type words are
            // matched in the folded copy, which only ever parses more lines than needed, never fewer.
            return lower.IndexOf((byte)'\\') < 0 &&
                   lower.IndexOf(_lowerText) < 0 &&
                   lower.IndexOf("\"intent\""u8) < 0 &&
                   lower.IndexOf("\"run-start\""u8) < 0 &&
                   lower.IndexOf("\"run-end\""u8) < 0;
        }

        // False for a non-ASCII byte: a non-ASCII character can fold to an ASCII one under OrdinalIgnoreCase.
        private static bool TryAsciiLower(ReadOnlySpan<byte> source, Span<byte> destination)
        {
#if NET8_0_OR_GREATER
            return Ascii.ToLower(source, destination, out int _) == OperationStatus.Done;
#else
            for (int i = 0; i < source.Length; i++)
            {
                byte b = source[i];
                if (b >= 0x80)
                {
                    return false;
                }

                destination[i] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + ('a' - 'A')) : b;
            }

            return true;
#endif
        }
    }
}
