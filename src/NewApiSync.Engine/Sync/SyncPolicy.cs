using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace NewApiSync.Engine.Sync
{
    /// <summary>What a sync may do to a channel's existing models (the SyncMode setting and parameter).</summary>
    public enum SyncMode
    {
        /// <summary>The channel's list becomes its upstream's (after filters): models upstream dropped are removed. The default.</summary>
        Replace,

        /// <summary>
        /// Only add what upstream newly lists; never remove. The removals a Replace run would make are reported as
        /// PendingRemovals instead, for an admin to review and apply with -SyncMode Replace.
        /// </summary>
        AddOnly,
    }

    /// <summary>
    /// The admin's sync policy: <see cref="Mode"/> and the KeepModel wildcards (models a sync never removes, such as
    /// models added by hand that the upstream does not list). Immutable; shared by a run's workers.
    /// </summary>
    public sealed class SyncPolicy
    {
        public static readonly SyncPolicy Default = new SyncPolicy(SyncMode.Replace, null);

        private readonly Regex[] _keep;

        /// <exception cref="ArgumentException">A KeepModel pattern is blank or malformed (an unclosed '[').</exception>
        public SyncPolicy(SyncMode mode, IEnumerable<string>? keepModel)
        {
            if (!Enum.IsDefined(typeof(SyncMode), mode))
            {
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "SyncMode must be Replace or AddOnly.");
            }

            Mode = mode;
            var keep = new List<string>();
            foreach (string? pattern in keepModel ?? Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(pattern))
                {
                    throw new ArgumentException("-KeepModel contains an empty pattern; give model names or wildcards such as 'my-*'.", nameof(keepModel));
                }

                keep.Add(pattern!.Trim());
            }

            KeepModel = keep.ToArray();
            _keep = KeepModel.Select(ModelFilter.ToRegex).ToArray();
        }

        public SyncMode Mode { get; }

        /// <summary>Wildcards (case-insensitive) of models a sync never removes.</summary>
        public IReadOnlyList<string> KeepModel { get; }

        /// <summary>True when <paramref name="model"/> matches a KeepModel pattern.</summary>
        public bool Protects(string model) => _keep.Any(r => r.IsMatch(model));

        public override string ToString() =>
            $"SyncMode {Mode}{(KeepModel.Count == 0 ? string.Empty : "; keep " + string.Join(", ", KeepModel))}";
    }
}
