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
                // Channel names come from the server: the -WhatIf and -Confirm text shows them escaped.
                Confirm = (target, action) => dispatcher.InvokeAsync(() => cmdlet.ShouldProcess(Engine.Text.DisplayText.Escape(target), Engine.Text.DisplayText.Escape(action))),
            };
    }
}
