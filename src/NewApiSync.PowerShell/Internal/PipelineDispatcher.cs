using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// PowerShell allows Write*, ShouldProcess and progress only on the pipeline thread. Work runs on worker
    /// threads and posts what it has to say here; the pipeline thread runs the posts until the work is done.
    /// </summary>
    internal sealed class PipelineDispatcher : IDisposable
    {
        // Each post with what to do when it will never run: a question (InvokeAsync) must still be answered, or the
        // worker awaiting it, and with it the whole command, waits forever.
        private readonly BlockingCollection<(Action Run, Action? Abandon)> _queue = new BlockingCollection<(Action Run, Action? Abandon)>();

        /// <summary>Queues an action for the pipeline thread. Posts after the work has ended are dropped.</summary>
        public void Post(Action action) => TryPost(action, abandon: null);

        /// <summary>
        /// Runs <paramref name="func"/> on the pipeline thread and hands its result back to the worker. When the pipeline
        /// has failed meanwhile (a downstream Select-Object -First is satisfied, Ctrl+C) the task is cancelled instead.
        /// </summary>
        public Task<T> InvokeAsync<T>(Func<T> func)
        {
            var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            bool queued = TryPost(
                () =>
                {
                    try
                    {
                        result.TrySetResult(func());
                    }
                    catch (Exception ex)
                    {
                        result.TrySetException(ex);
                    }
                },
                () => result.TrySetCanceled());
            if (!queued)
            {
                result.TrySetCanceled();
            }

            return result.Task;
        }

        /// <summary>
        /// Called on the pipeline thread: runs posted actions until <paramref name="work"/> finishes, then returns its
        /// result. If an action throws (e.g. PipelineStoppedException when a downstream Select-Object -First is
        /// satisfied), the work is cancelled through <paramref name="cancel"/>, drained (its pending questions answered
        /// as cancelled), and the exception rethrown.
        /// </summary>
        public T Run<T>(Task<T> work, CancellationTokenSource cancel)
        {
            work.ContinueWith(_ => _queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Exception? pipelineFailure = null;
            foreach ((Action run, Action? abandon) in _queue.GetConsumingEnumerable())
            {
                if (pipelineFailure is not null)
                {
                    abandon?.Invoke();
                    continue;
                }

                try
                {
                    run();
                }
                catch (Exception ex)
                {
                    pipelineFailure = ex;
                    cancel.Cancel();
                }
            }

            if (pipelineFailure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(pipelineFailure).Throw();
            }

            return work.GetAwaiter().GetResult();
        }

        public void Dispose() => _queue.Dispose();

        private bool TryPost(Action run, Action? abandon)
        {
            try
            {
                return _queue.TryAdd((run, abandon));
            }
            catch (InvalidOperationException)
            {
                // Adding was completed: the cmdlet has already returned.
                return false;
            }
        }
    }
}
