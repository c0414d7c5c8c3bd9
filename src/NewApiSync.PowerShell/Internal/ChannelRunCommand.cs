using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// One channel run driven from a cmdlet (sync, redirect, clear, restore): the work on a worker thread; output,
    /// errors, progress and ShouldProcess on the pipeline thread; run-wide failures mapped to stable ErrorIds.
    /// </summary>
    internal static class ChannelRunCommand
    {
        /// <summary>Starts the run; given the log, the callbacks (already marshalled) and the dispatcher for extra output.</summary>
        public delegate Task<NewApiSyncRun> Start(INewApiLog log, RunCallbacks callbacks, PipelineDispatcher dispatcher, CancellationToken cancellationToken);

        /// <param name="writeRecord">Writes a channel's record on the pipeline thread; null when the run posts its own output.</param>
        /// <param name="scheduled">A scheduled run that finds the site busy warns and returns null instead of failing.</param>
        /// <returns>The run's summary, or null when a scheduled run found another run in progress.</returns>
        /// <param name="resume">How to finish the channels a stopped run left, for the warning after Ctrl+C.</param>
        public static NewApiSyncRun? Run(NewApiCmdlet cmdlet, NewApiConnection connection, string activity, Action<NewApiSyncResult>? writeRecord, bool scheduled, Start start, string resume = "Run the command again to finish them.")
        {
            RunProgressWriter? progress = null;
            try
            {
                NewApiSyncRun run = cmdlet.RunOnWorker(async (log, dispatcher, ct) =>
                {
                    progress = new RunProgressWriter(cmdlet, dispatcher, $"{activity} on {connection.BaseUrl}");
                    var callbacks = PipelineRunCallbacks.Create(cmdlet, dispatcher, progress, writeRecord);
                    return await start(log, callbacks, dispatcher, ct).ConfigureAwait(false);
                });
                cmdlet.WriteVerbose($"{run.Kind} run {run.RunId} finished in {run.Duration?.TotalSeconds:0.0} s: {run.Total} channel(s), {run.Succeeded} succeeded ({run.Changed} changed), {run.Failed} failed, {run.Skipped} skipped, {run.Cancelled} cancelled{(run.WhatIf ? "; -WhatIf wrote nothing and left no history" : string.Empty)}.");
                return run;
            }
            catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.RunInProgress && scheduled)
            {
                cmdlet.WriteWarning(ex.Message + " This scheduled run is skipped.");
                return null;
            }
            catch (NewApiException ex)
            {
                throw cmdlet.Terminate(ErrorRecords.FromApi(ex, "RunFailed", connection));
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                // The journal or the run lock could not be written: a data folder problem, not the site's.
                throw cmdlet.Terminate(ErrorRecords.ForDataFolder(ex, NewApiCmdlet.DataRootFor(connection)));
            }
            catch (ArgumentException ex)
            {
                throw cmdlet.Terminate(ErrorRecords.Create("InvalidRunOption", ErrorCategory.InvalidArgument, ex.Message, null, "Check the values given to the command or saved with Set-NewApiSyncSetting.", ex));
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C while output was being written: the dispatcher has let the run finish recording first.
                if (progress?.Last is RunProgress last)
                {
                    WarnStopped(cmdlet, last, resume);
                }

                throw;
            }
            catch (OperationCanceledException ex)
            {
                if (progress?.Last is RunProgress last)
                {
                    WarnStopped(cmdlet, last, resume);
                }

                cmdlet.ThrowIfStopping(ex);
                throw;
            }
            finally
            {
                progress?.Complete();
            }
        }

        /// <summary>
        /// One warning after Ctrl+C: how many channels the run did not finish and how to finish them. The pipeline is
        /// stopping, so WriteWarning would throw; the host's warning line still reaches the console and its transcript.
        /// </summary>
        private static void WarnStopped(NewApiCmdlet cmdlet, RunProgress last, string resume)
        {
            int finished = last.Succeeded + last.Skipped + last.Failed;
            int left = Math.Max(0, last.Total - finished);
            if (left == 0)
            {
                return;
            }

            string message = $"Stopped: {left} of {last.Total} channel(s) were not reached or were interrupted; nothing more was written to them. {resume}";
            try
            {
                cmdlet.Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception ex) when (ex is PSInvalidOperationException or NotImplementedException or System.Management.Automation.Host.HostException)
            {
                // A host without a console cannot show it; the journal still records every channel as Cancelled.
            }
        }

        /// <summary>
        /// Writes a journal record as the command's output, plus a non-terminating error when its channel failed.
        /// A refused token or role, or a journal that cannot take the undo record, is not the channel's fault: it stops
        /// the whole run with one error (NewApiAuthenticationFailed, NewApiPermissionDenied, JournalUnwritable), so the channel that met it
        /// writes no error of its own.
        /// </summary>
        public static void WriteRecord(Cmdlet cmdlet, NewApiSyncResult result, string failedErrorId, bool writeObject = true)
        {
            if (writeObject)
            {
                cmdlet.WriteObject(result);
            }

            if (result.Status == ChannelResultStatus.Failed && !(result.ErrorKind is NewApiErrorKind kind && NewApiException.IsFatalForRunKind(kind)))
            {
                cmdlet.WriteError(ErrorRecords.ForFailedChannel(result.ChannelId, result.ChannelName, result.ErrorKind, result.Error, result.HttpStatus, result, failedErrorId));
            }
        }
    }
}
