using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace NewApiSync.Engine.Sync
{
    /// <summary>
    /// -IncludeModel / -ExcludeModel: PowerShell-style wildcards (<c>*</c>, <c>?</c>, <c>[a-z]</c>, backtick escapes),
    /// case-insensitive. A name is kept when it matches any include pattern (or there are none) and no exclude pattern.
    /// </summary>
    public sealed class ModelFilter
    {
        public static readonly ModelFilter None = new ModelFilter(Array.Empty<string>(), Array.Empty<string>());

        private readonly Regex[] _include;
        private readonly Regex[] _exclude;

        public ModelFilter(IEnumerable<string>? include, IEnumerable<string>? exclude)
        {
            Include = Normalize(include, "IncludeModel");
            Exclude = Normalize(exclude, "ExcludeModel");
            _include = Include.Select(ToRegex).ToArray();
            _exclude = Exclude.Select(ToRegex).ToArray();
        }

        public IReadOnlyList<string> Include { get; }

        public IReadOnlyList<string> Exclude { get; }

        public bool IsEmpty => _include.Length == 0 && _exclude.Length == 0;

        public bool Keeps(string model) =>
            (_include.Length == 0 || _include.Any(r => r.IsMatch(model))) && !_exclude.Any(r => r.IsMatch(model));

        public IEnumerable<string> Apply(IEnumerable<string> models) => IsEmpty ? models : models.Where(Keeps);

        public override string ToString() =>
            IsEmpty ? "no filter" : $"include {(Include.Count == 0 ? "*" : string.Join(", ", Include))}; exclude {(Exclude.Count == 0 ? "nothing" : string.Join(", ", Exclude))}";

        private static string[] Normalize(IEnumerable<string>? patterns, string name)
        {
            if (patterns is null)
            {
                return Array.Empty<string>();
            }

            var list = new List<string>();
            foreach (string? pattern in patterns)
            {
                if (string.IsNullOrWhiteSpace(pattern))
                {
                    throw new ArgumentException($"-{name} contains an empty pattern; give model names or wildcards such as 'gpt-*'.", name);
                }

                list.Add(pattern!.Trim());
            }

            return list.ToArray();
        }

        /// <summary>A PowerShell-style wildcard as a case-insensitive, anchored regex (KeepModel and ExcludeChannel use it too).</summary>
        internal static Regex ToRegex(string pattern)
        {
            var regex = new StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                switch (c)
                {
                    case '`' when i + 1 < pattern.Length:
                        regex.Append(Regex.Escape(pattern[++i].ToString()));
                        break;
                    case '*':
                        regex.Append(".*");
                        break;
                    case '?':
                        regex.Append('.');
                        break;
                    case '[':
                        int close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            throw new ArgumentException($"The model pattern '{pattern}' has a '[' without a closing ']'; to match the character itself, escape it as '`['.");
                        }

                        regex.Append('[').Append(pattern.Substring(i + 1, close - i - 1).Replace("\\", "\\\\")).Append(']');
                        i = close;
                        break;
                    default:
                        regex.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
    }
}
