using NewApiSync.Engine.Api;
using NewApiSync.Engine.Text;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>The engine's story, queued from any thread and written as verbose/debug/warning on the pipeline thread.</summary>
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
