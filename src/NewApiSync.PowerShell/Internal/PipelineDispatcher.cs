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
        private readonly BlockingCollection<Action> _queue = new BlockingCollection<Action>();

        /// <summary>Queues an action for the pipeline thread. Posts after the work has ended are dropped.</summary>
        public void Post(Action action)
        {
            try
            {
                _queue.TryAdd(action);
            }
            catch (InvalidOperationException)
            {
                // Adding was completed: the cmdlet has already returned.
            }
        }

        /// <summary>Runs <paramref name="func"/> on the pipeline thread and hands its result back to the worker.</summary>
        public Task<T> InvokeAsync<T>(Func<T> func)
        {
            var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(() =>
            {
                try
                {
                    result.TrySetResult(func());
                }
                catch (Exception ex)
                {
                    result.TrySetException(ex);
                }
            });
            return result.Task;
        }

        /// <summary>
        /// Called on the pipeline thread: runs posted actions until <paramref name="work"/> finishes, then returns its
        /// result. If an action throws (e.g. PipelineStoppedException when a downstream Select-Object -First is
        /// satisfied), the work is cancelled through <paramref name="cancel"/>, drained, and the exception rethrown.
        /// </summary>
        public T Run<T>(Task<T> work, CancellationTokenSource cancel)
        {
            work.ContinueWith(_ => _queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            Exception? pipelineFailure = null;
            foreach (Action action in _queue.GetConsumingEnumerable())
            {
                if (pipelineFailure is not null)
                {
                    continue;
                }

                try
                {
                    action();
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
    }
}
