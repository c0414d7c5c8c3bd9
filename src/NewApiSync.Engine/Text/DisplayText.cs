using System.Globalization;
using System.Text;

namespace NewApiSync.Engine.Text
{
    /// <summary>
    /// Makes text from a server or a file safe to show on a terminal. Channel and model names, server messages and journal
    /// text can hold ESC/BEL sequences (which set the window title, clear the screen or recolour output) and bidi overrides
    /// (which make text read differently than it is). Messages, warnings, errors and format views show such characters
    /// escaped (<c>\x1B</c>, <c>\u202E</c>, <c>\n</c>); the objects themselves keep the raw data.
    /// </summary>
    public static class DisplayText
    {
        /// <summary>
        /// <paramref name="text"/> with every control character (C0, DEL, C1) and every bidi control (U+061C, U+200E/F,
        /// U+202A–U+202E, U+2066–U+2069) written as an escape; the same string when there is none. Null becomes empty.
        /// </summary>
        public static string Escape(string? text)
        {
            if (text is null)
            {
                return string.Empty;
            }

            if (!NeedsEscape(text))
            {
                return text;
            }

            var escaped = new StringBuilder(text.Length + 16);
            foreach (char c in text)
            {
                switch (c)
                {
                    case '\n': escaped.Append("\\n"); break;
                    case '\r': escaped.Append("\\r"); break;
                    case '\t': escaped.Append("\\t"); break;
                    default:
                        if (IsControl(c))
                        {
                            escaped.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                        }
                        else if (IsBidiControl(c))
                        {
                            escaped.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            escaped.Append(c);
                        }

                        break;
                }
            }

            return escaped.ToString();
        }

        /// <summary>True when <see cref="Escape"/> would change <paramref name="text"/>.</summary>
        public static bool NeedsEscape(string text)
        {
            foreach (char c in text)
            {
                if (IsControl(c) || IsBidiControl(c))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>C0 controls, DEL and C1 controls (ESC, BEL, CSI 0x9B among them).</summary>
        public static bool IsControl(char c) => c < 0x20 || (c >= 0x7F && c <= 0x9F);

        /// <summary>The characters that change the direction text is shown in.</summary>
        public static bool IsBidiControl(char c) =>
            c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
