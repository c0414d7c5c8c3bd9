using System;
using System.Globalization;
using System.Threading;

namespace NewApiSync.Engine.Results
{
    /// <summary>What a journaled run did.</summary>
    public enum RunKind
    {
        Sync,
        Redirect,
        Clear,
        Restore,
        /// <summary>Test-NewApiModelRedirect -Fix: broken model_mapping entries removed.</summary>
        Repair,
    }

    /// <summary>How a run chose its channels.</summary>
    public enum RunMode
    {
        /// <summary>Every channel of the site.</summary>
        All,
        /// <summary>Channels given by pipeline or -Id.</summary>
        Selected,
        /// <summary>The channels that failed, were cancelled or never reached in the last sync run.</summary>
        FailedOnly,
        /// <summary>A scheduled run started by -IfDue or Start-NewApiAutoSync.</summary>
        IfDue,
    }

    /// <summary>The outcome of one channel in a run.</summary>
    public enum ChannelResultStatus
    {
        Succeeded,
        Failed,
        Skipped,
        Cancelled,
    }

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
