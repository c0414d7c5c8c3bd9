using System;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// Writes a channel update through the run's retry policy, handling the uncertain write: when the reply is lost
    /// after the request may have reached the server (reset, timeout, 5xx, garbled body), the channel is read back,
    /// and the write counts as done if the new values are there; otherwise it is retried.
    /// </summary>
    public sealed class ChannelUpdater
    {
        private readonly RunContext _context;

        public ChannelUpdater(RunContext context) => _context = context ?? throw new ArgumentNullException(nameof(context));

        /// <param name="update">Only the fields being changed.</param>
        /// <param name="isApplied">Whether a channel read back from the server already holds the update.</param>
        /// <param name="onRetry">Called before every try after the first, for the result's Attempts.</param>
        public async Task<Channel?> WriteAsync(ChannelUpdate update, Func<Channel, bool> isApplied, Action onRetry, CancellationToken cancellationToken)
        {
            bool unverifiable = false;
            int tries = 0;
            try
            {
                return await _context.Retry.ExecuteAsync(
                    async ct =>
                    {
                        if (tries++ > 0)
                        {
                            onRetry();
                        }

                        try
                        {
                            Channel? written = await _context.Client.UpdateChannelAsync(update, ct).ConfigureAwait(false);
                            unverifiable = false;
                            return written;
                        }
                        catch (NewApiException ex) when (IsUncertain(ex))
                        {
                            _context.Log.Verbose($"{ex.Request}: the reply to the write of channel #{update.Id} was lost ({ex.Kind}); reading the channel back to see whether it arrived.");
                            Channel current;
                            try
                            {
                                current = await _context.Client.GetChannelAsync(update.Id, ct).ConfigureAwait(false);
                            }
                            catch (NewApiException readFailure) when (!readFailure.IsFatalForRun)
                            {
                                unverifiable = true;
                                throw;
                            }

                            unverifiable = false;
                            if (isApplied(current))
                            {
                                _context.Log.Verbose($"Channel #{update.Id} holds the new values: the write had arrived.");
                                return current;
                            }

                            throw;
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (NewApiException ex) when (unverifiable && !ex.IsFatalForRun)
            {
                throw new NewApiException(NewApiErrorKind.UncertainWrite, $"The write of channel #{update.Id} may or may not have been applied: its reply was lost and the channel could not be read back ({ex.Message}).", ex)
                {
                    Request = ex.Request,
                    HttpStatus = ex.HttpStatus,
                };
            }
        }

        /// <summary>A failure after which the server may hold the write even though no success reply arrived.</summary>
        public static bool IsUncertain(NewApiException ex) =>
            ex.Kind is NewApiErrorKind.Network or NewApiErrorKind.Timeout or NewApiErrorKind.Server or NewApiErrorKind.Protocol &&
            (ex.RequestMayHaveBeenSent || ex.Kind == NewApiErrorKind.Protocol);
    }
}
