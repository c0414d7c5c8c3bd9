using System;
using System.Management.Automation;
using System.Threading;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Text;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// The engine's story as verbose/debug/warning of one cmdlet invocation, from whichever thread tells it: written
    /// straight away on the pipeline thread, queued to it through the attached dispatcher while work runs on workers
    /// (<see cref="NewApiCmdlet.RunOnWorker{T}(Func{INewApiLog, PipelineDispatcher, CancellationToken, System.Threading.Tasks.Task{T}})"/>).
    /// So one engine service, built on the pipeline thread, serves both its pipeline-thread reads (the journal for
    /// -FailedOnly, -IfDue, a restore's records) and its run on the workers. Messages quote channel and model names from
    /// the server, so control and bidi characters are escaped on the way out (DisplayText.Escape): a hostile name cannot
    /// drive the terminal through a warning either.
    /// </summary>
    internal sealed class CmdletLog : INewApiLog
    {
        private readonly Cmdlet _cmdlet;
        private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
        private PipelineDispatcher? _dispatcher;

        /// <summary>Create it on the pipeline thread: what is told there is written directly.</summary>
        public CmdletLog(Cmdlet cmdlet) => _cmdlet = cmdlet;

        /// <summary>
        /// The dispatcher of the work in progress, or null. While one is set every message queues through it, in order
        /// with the output the work posts.
        /// </summary>
        public PipelineDispatcher? Dispatcher
        {
            set => Volatile.Write(ref _dispatcher, value);
        }

        public void Verbose(string message) => Write(_cmdlet.WriteVerbose, message);

        public void Debug(string message) => Write(_cmdlet.WriteDebug, message);

        public void Warning(string message) => Write(_cmdlet.WriteWarning, message);

        private void Write(Action<string> write, string message)
        {
            string text = DisplayText.Escape(message);
            PipelineDispatcher? dispatcher = Volatile.Read(ref _dispatcher);
            if (dispatcher is not null)
            {
                dispatcher.Post(() => write(text));
            }
            else if (Environment.CurrentManagedThreadId == _pipelineThread)
            {
                write(text);
            }

            // Otherwise a worker outlived its work: PowerShell would refuse the write, and the work's story is over (as
            // posts after the work has ended are dropped).
        }
    }
}
