using NewApiSync.Engine.Api;
using NewApiSync.Engine.Text;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// The engine's story written straight to the cmdlet, for engine calls made on the pipeline thread itself (reading the
    /// journal to choose -FailedOnly channels, -IfDue's schedule, a restore's records). Work on worker threads uses
    /// <see cref="CmdletLog"/> instead, which queues to the pipeline thread.
    /// </summary>
    internal sealed class PipelineThreadLog : INewApiLog
    {
        private readonly System.Management.Automation.Cmdlet _cmdlet;

        public PipelineThreadLog(System.Management.Automation.Cmdlet cmdlet) => _cmdlet = cmdlet;

        public void Verbose(string message) => _cmdlet.WriteVerbose(DisplayText.Escape(message));

        public void Debug(string message) => _cmdlet.WriteDebug(DisplayText.Escape(message));

        public void Warning(string message) => _cmdlet.WriteWarning(DisplayText.Escape(message));
    }
}
