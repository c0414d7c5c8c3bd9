using System;
using NewApiSync.Engine.Api;
using Polly;
using Polly.Retry;

namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// What every channel of one run shares: one client, one token bucket for all its requests (list pages, fetches,
    /// writes), and one retry policy. A 429 is not retried here: the client pauses every worker and retries it
    /// itself, so the server's limit never eats the retry budget meant for real failures.
    /// </summary>
    public sealed class RunContext : IDisposable
    {
        private RunContext(NewApiClient client, RunOptions options, INewApiLog log, ResiliencePipeline retry)
        {
            Client = client;
            Options = options;
            Log = log;
            Retry = retry;
        }

        public static RunContext Create(NewApiConnection connection, RunOptions options, INewApiLog? log = null)
        {
            if (connection is null)
            {
                throw new ArgumentNullException(nameof(connection));
            }

            options.Validate();
            log ??= NullNewApiLog.Instance;
            RequestThrottle throttle = RequestThrottle.TokenBucket(options.RequestsPerMinute, options.Burst, options.TimeProvider);
            var client = new NewApiClient(connection, new NewApiClientOptions { Throttle = throttle, Log = log, TimeProvider = options.TimeProvider });
            return new RunContext(client, options, log, BuildRetry(options, log));
        }

        public NewApiClient Client { get; }

        public RunOptions Options { get; }

        public INewApiLog Log { get; }

        /// <summary>Retries transient failures (network, timeout, 5xx, malformed replies, upstream refusals) with exponential backoff and jitter.</summary>
        public ResiliencePipeline Retry { get; }

        public TimeProvider Time => Options.TimeProvider;

        private static ResiliencePipeline BuildRetry(RunOptions options, INewApiLog log)
        {
            if (options.MaxRetries == 0)
            {
                return ResiliencePipeline.Empty; // Polly refuses zero retries; no strategy means "try once".
            }

            return new ResiliencePipelineBuilder { TimeProvider = options.TimeProvider }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<NewApiException>(IsRetryable),
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = TimeSpan.FromSeconds(30),
                    OnRetry = args =>
                    {
                        var ex = (NewApiException)args.Outcome.Exception!;
                        log.Verbose($"{ex.Request}: {ex.Kind} ({WithoutRequestPrefix(ex.Message)}); retry {args.AttemptNumber + 1} of {options.MaxRetries} in {args.RetryDelay.TotalSeconds:0.0} s.");
                        return default;
                    },
                })
                .Build();
        }

        /// <summary>Transient kinds, except 429 (the client's shared pause handles it) and the run-fatal ones.</summary>
        public static bool IsRetryable(NewApiException ex) => ex.IsTransient && ex.Kind != NewApiErrorKind.RateLimited;

        /// <summary>
        /// The message without its leading "request: " part (e.g. "GET /api/channel/7: "), which the retry line already
        /// names from <see cref="NewApiException.Request"/>.
        /// </summary>
        private static string WithoutRequestPrefix(string message)
        {
            int colon = message.IndexOf(": ", StringComparison.Ordinal);
            return colon > 0 && colon + 2 < message.Length ? message.Substring(colon + 2) : message;
        }

        public void Dispose()
        {
            Client.Throttle.Dispose();
            Client.Dispose();
        }
    }
}
