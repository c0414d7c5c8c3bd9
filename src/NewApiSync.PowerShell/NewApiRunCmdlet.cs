using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell
{
    /// <summary>
    /// Base of the commands that make a run over channels (sync, auto-sync, redirect, clear, check, restore): the run on a
    /// worker thread; its output, errors, progress and ShouldProcess on the pipeline thread; run-wide failures mapped to
    /// stable ErrorIds; one warning after Ctrl+C naming what was left. A command builds its one engine service with
    /// <see cref="NewApiCmdlet.Log"/> and hands its run to <see cref="RunChannels{TOutput}"/>.
    /// </summary>
    public abstract class NewApiRunCmdlet : NewApiConnectedCmdlet
    {
        private const string RunAgain = "Run the command again to finish them.";

        /// <summary>
        /// Runs <paramref name="start"/> on a worker. The run gets callbacks for progress, the channel listing and
        /// ShouldProcess, and an output sink; each output is handed to <paramref name="write"/> on the pipeline thread.
        /// </summary>
        /// <param name="activity">The progress bar's activity, e.g. "Syncing channel models" (the site is added).</param>
        /// <param name="scheduled">A scheduled run that finds the site busy warns and returns null instead of failing.</param>
        /// <param name="resume">How to finish the channels a stopped run left, for the warning after Ctrl+C.</param>
        /// <returns>The run's summary, or null when a scheduled run found another run in progress.</returns>
        protected NewApiSyncRun? RunChannels<TOutput>(string activity, Func<RunCallbacks, Action<TOutput>, CancellationToken, Task<NewApiSyncRun>> start, Action<TOutput> write, bool scheduled = false, string resume = RunAgain)
        {
            NewApiConnection connection = ResolvedConnection;
            // Read before the run: the warning after a stop is written while the pipeline is stopping.
            bool whatIf = IsWhatIf;
            RunProgressWriter? progress = null;
            try
            {
                NewApiSyncRun run = RunOnWorker(async (_, dispatcher, ct) =>
                {
                    progress = new RunProgressWriter(this, dispatcher, $"{activity} on {connection.BaseUrl}");
                    var callbacks = new RunCallbacks
                    {
                        Progress = progress.Report,
                        Listed = progress.ReportListing,
                        // Channel names come from the server: the -WhatIf and -Confirm text shows them escaped.
                        Confirm = (target, action) => dispatcher.InvokeAsync(() => ShouldProcess(Engine.Text.DisplayText.Escape(target), Engine.Text.DisplayText.Escape(action))),
                    };
                    return await start(callbacks, output => dispatcher.Post(() => write(output)), ct).ConfigureAwait(false);
                });
                WriteVerbose($"{run.Kind} run {run.RunId} finished in {run.Duration?.TotalSeconds:0.0} s: {run.Total} channel(s), {run.Succeeded} succeeded ({run.Changed} changed), {run.Failed} failed, {run.Skipped} skipped, {run.Cancelled} cancelled{(run.WhatIf ? "; -WhatIf wrote nothing and left no history" : string.Empty)}.");
                return run;
            }
            catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.RunInProgress && scheduled)
            {
                WriteWarning(ex.Message + " This scheduled run is skipped.");
                return null;
            }
            catch (NewApiException ex)
            {
                throw Terminate(ErrorRecords.FromApi(ex, "RunFailed", connection));
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                // The journal or the run lock could not be written: a data folder problem, not the site's.
                throw Terminate(ErrorRecords.ForDataFolder(ex, DataRootFor(connection)));
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidRunOption", ErrorCategory.InvalidArgument, ex.Message, null, "Check the values given to the command or saved with Set-NewApiSyncSetting.", ex));
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C while output was being written: the dispatcher has let the run finish recording first.
                WarnStopped(progress?.Last, whatIf ? null : resume);
                throw;
            }
            catch (OperationCanceledException ex)
            {
                WarnStopped(progress?.Last, whatIf ? null : resume);
                ThrowIfStopping(ex);
                throw;
            }
            finally
            {
                progress?.Complete();
            }
        }

        /// <summary>A run whose output is its channels' journal records, each written by <see cref="WriteRecord"/> with <paramref name="failedErrorId"/>.</summary>
        /// <param name="writeObject">False writes only the failed channels' errors (Start-NewApiAutoSync outputs one summary per run instead).</param>
        protected NewApiSyncRun? RunChannels(string activity, Func<RunCallbacks, CancellationToken, Task<NewApiSyncRun>> start, string failedErrorId, bool writeObject = true, bool scheduled = false, string resume = RunAgain) =>
            RunChannels<NewApiSyncResult>(
                activity,
                (callbacks, output, ct) =>
                {
                    callbacks.Result = output;
                    return start(callbacks, ct);
                },
                result => WriteRecord(result, failedErrorId, writeObject),
                scheduled,
                resume);

        /// <summary>One sync run with Invoke-NewApiModelSync's output; Start-NewApiAutoSync runs its scheduled runs through it too.</summary>
        /// <param name="writeResults">False writes only the failed channels' errors (Start-NewApiAutoSync outputs one summary per run instead).</param>
        protected NewApiSyncRun? RunSync(ModelSyncService service, ModelSyncRequest request, bool scheduled, bool writeResults = true) =>
            RunChannels("Syncing channel models", (callbacks, ct) => service.RunAsync(request, callbacks, ct), "ChannelSyncFailed", writeResults, scheduled, "Invoke-NewApiModelSync -FailedOnly finishes them.");

        /// <summary>
        /// Writes a journal record as the command's output, plus a non-terminating error when its channel failed.
        /// A refused token or role, or a journal that cannot take the undo record, is not the channel's fault: it stops
        /// the whole run with one error (NewApiAuthenticationFailed, NewApiPermissionDenied, JournalUnwritable), so the channel that met it
        /// writes no error of its own.
        /// </summary>
        private void WriteRecord(NewApiSyncResult result, string failedErrorId, bool writeObject)
        {
            if (writeObject)
            {
                WriteObject(result);
            }

            if (result.Status == ChannelResultStatus.Failed)
            {
                WriteChannelError(result.ChannelId, result.ChannelName, result.ErrorKind, result.Error, result.HttpStatus, result, failedErrorId);
            }
        }

        /// <summary>
        /// The non-terminating error of a failed channel (sync, redirect, clear, check and restore alike), except for a
        /// run-wide failure (<see cref="NewApiException.IsFatalForRunKind"/>): the run stops with that one error, so under
        /// -ErrorAction Stop a script catches NewApiPermissionDenied, not the channel's ChannelRedirectFailed.
        /// </summary>
        protected void WriteChannelError(int channelId, string channelName, NewApiErrorKind? errorKind, string? error, int? httpStatus, object target, string failedErrorId)
        {
            if (errorKind is NewApiErrorKind kind && NewApiException.IsFatalForRunKind(kind))
            {
                return;
            }

            WriteError(ErrorRecords.ForFailedChannel(channelId, channelName, errorKind, error, httpStatus, target, failedErrorId));
        }

        /// <summary>
        /// One warning after Ctrl+C: how many channels the run did not finish and how to finish them. The pipeline is
        /// stopping, so WriteWarning would throw; the host's warning line still reaches the console and its transcript.
        /// </summary>
        /// <param name="resume">How to finish the channels; null for a -WhatIf preview, which wrote nothing and left no
        /// history, so there is nothing to finish (and -FailedOnly would re-run the last real run's failures).</param>
        private void WarnStopped(RunProgress? last, string? resume)
        {
            if (last is null)
            {
                return;
            }

            int finished = last.Succeeded + last.Skipped + last.Failed;
            int left = Math.Max(0, last.Total - finished);
            if (left == 0)
            {
                return;
            }

            string message = resume is null
                ? $"Stopped: the -WhatIf preview did not reach {left} of {last.Total} channel(s); nothing was written."
                : $"Stopped: {left} of {last.Total} channel(s) were not reached or were interrupted; nothing more was written to them. {resume}";
            try
            {
                Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception ex) when (ex is PSInvalidOperationException or NotImplementedException or System.Management.Automation.Host.HostException)
            {
                // A host without a console cannot show it; the journal still records every channel as Cancelled.
            }
        }
    }
}
