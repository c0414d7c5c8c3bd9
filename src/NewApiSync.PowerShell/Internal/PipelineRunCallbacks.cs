using System;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>Run callbacks that do their work on the pipeline thread: output, progress and ShouldProcess.</summary>
    internal static class PipelineRunCallbacks
    {
        public static RunCallbacks Create(NewApiCmdlet cmdlet, PipelineDispatcher dispatcher, RunProgressWriter progress, Action<NewApiSyncResult>? writeResult) =>
            new RunCallbacks
            {
                Result = writeResult is null ? null : result => dispatcher.Post(() => writeResult(result)),
                Progress = progress.Report,
                Listed = progress.ReportListing,
                // PowerShell prints the target and action itself (What if, -Verbose, the prompt): names are escaped first.
                Confirm = (target, action) => dispatcher.InvokeAsync(() => cmdlet.ShouldProcess(DisplayText.Safe(target), DisplayText.Safe(action))),
            };
    }
}
