using NewApiSync.Engine.Api;
using NewApiSync.Engine.Text;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// The engine's story, queued from any thread and written as verbose/debug/warning on the pipeline thread. Messages
    /// quote channel and model names from the server, so control and bidi characters are escaped on the way out
    /// (DisplayText.Escape): a hostile name cannot drive the terminal through a warning either.
    /// </summary>
    internal sealed class CmdletLog : INewApiLog
    {
        private readonly NewApiCmdlet _cmdlet;
        private readonly PipelineDispatcher _dispatcher;

        public CmdletLog(NewApiCmdlet cmdlet, PipelineDispatcher dispatcher)
        {
            _cmdlet = cmdlet;
            _dispatcher = dispatcher;
        }

        public void Verbose(string message) => _dispatcher.Post(() => _cmdlet.WriteVerbose(DisplayText.Escape(message)));

        public void Debug(string message) => _dispatcher.Post(() => _cmdlet.WriteDebug(DisplayText.Escape(message)));

        public void Warning(string message) => _dispatcher.Post(() => _cmdlet.WriteWarning(DisplayText.Escape(message)));
    }
}
