namespace NewApiSync.Engine.Api
{
    /// <summary>
    /// Where the engine tells its story. Implementations must be thread-safe: the cmdlets queue these messages
    /// and write them on the pipeline thread. Nothing passed here ever contains the access token.
    /// </summary>
    public interface INewApiLog
    {
        /// <summary>The story of a run: requests, waits for the rate limiter, retries and why.</summary>
        void Verbose(string message);

        /// <summary>HTTP status and timing per call.</summary>
        void Debug(string message);

        void Warning(string message);
    }

    /// <summary>A log that drops everything.</summary>
    public sealed class NullNewApiLog : INewApiLog
    {
        public static readonly NullNewApiLog Instance = new NullNewApiLog();

        public void Verbose(string message) { }

        public void Debug(string message) { }

        public void Warning(string message) { }
    }
}
