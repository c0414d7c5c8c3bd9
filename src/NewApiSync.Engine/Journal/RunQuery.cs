using System;
using System.Linq;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>Which runs of a site to read. Every filter left null matches everything; filters combine with AND.</summary>
    public class RunQuery
    {
        /// <summary>Only this run.</summary>
        public string? RunId { get; set; }

        /// <summary>Only runs of this kind.</summary>
        public RunKind? Kind { get; set; }

        /// <summary>Only the newest n runs (after the Kind and Since filters).</summary>
        public int? Last { get; set; }

        /// <summary>Only runs started at or after this time.</summary>
        public DateTimeOffset? Since { get; set; }

        /// <summary>Throws <see cref="ArgumentException"/> naming the first bad filter.</summary>
        public virtual void Validate()
        {
            if (Last is int last && last < 1)
            {
                throw new ArgumentException($"Last must be at least 1 (it is {last}).", nameof(Last));
            }

            if (RunId != null)
            {
                ValidateRunId(RunId, nameof(RunId));
            }
        }

        /// <summary>A RunId names a file, so it may hold only letters, digits, '-', '_' and '.' (not at the start).</summary>
        internal static void ValidateRunId(string runId, string parameterName)
        {
            if (runId.Length == 0 || runId.Length > 100 || runId[0] == '.' ||
                !runId.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_' or '.'))
            {
                throw new ArgumentException(
                    $"'{runId}' is not a run id: run ids look like 20261123T192900123Z-3f2a9c (letters, digits, '-', '_', '.').",
                    parameterName);
            }
        }
    }
}
