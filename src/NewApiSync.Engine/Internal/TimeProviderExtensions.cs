using System;
using System.Threading;
using System.Threading.Tasks;

namespace NewApiSync.Engine.Internal
{
    internal static class TimeProviderExtensions
    {
        /// <summary>A delay measured by <paramref name="time"/>, so tests can drive it with a fake clock.</summary>
        public static Task DelayAsync(this TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
        {
            if (delay <= TimeSpan.Zero)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return Task.CompletedTask;
            }
#if NETSTANDARD2_0
            return TimeProviderTaskExtensions.Delay(time, delay, cancellationToken);
#else
            return Task.Delay(delay, time, cancellationToken);
#endif
        }
    }
}
