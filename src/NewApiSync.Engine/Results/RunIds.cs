using System;
using System.Globalization;
using System.Threading;

namespace NewApiSync.Engine.Results
{
    /// <summary>Run identifiers: sortable by start time, unique across processes.</summary>
    public static class RunIds
    {
        private static int _counter;

        /// <summary>e.g. 20261123T192900123Z-3f2a9c: UTC start time to the millisecond, then random hex.</summary>
        public static string New(DateTimeOffset startedAt)
        {
            int n = Interlocked.Increment(ref _counter);
            string suffix = (Guid.NewGuid().GetHashCode() ^ n).ToString("x8", CultureInfo.InvariantCulture).Substring(0, 6);
            return startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + suffix;
        }
    }
}
