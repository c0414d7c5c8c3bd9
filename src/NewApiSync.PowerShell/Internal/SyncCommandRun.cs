using System;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Sync;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// One sync run driven from a cmdlet (Invoke-NewApiModelSync, Start-NewApiAutoSync): the work on a worker thread,
    /// results, errors, progress and ShouldProcess on the pipeline thread, failures mapped to stable ErrorIds.
    /// </summary>
    internal static class SyncCommandRun
    {
        /// <returns>The run's summary, or null when a scheduled run found another run in progress.</returns>
        public static NewApiSyncRun? Run(NewApiCmdlet cmdlet, NewApiConnection connection, SyncSettings settings, ModelSyncRequest request, bool scheduled)
        {
            RunProgressWriter? progress = null;
            try
            {
                NewApiSyncRun run = cmdlet.RunOnWorker(async (log, dispatcher, ct) =>
                {
                    progress = new RunProgressWriter(cmdlet, dispatcher, $"Syncing channel models on {connection.BaseUrl}");
                    var service = new ModelSyncService(connection, settings, log);
                    var callbacks = PipelineRunCallbacks.Create(cmdlet, dispatcher, progress, result => WriteResult(cmdlet, result));
                    return await service.RunAsync(request, callbacks, ct).ConfigureAwait(false);
                });
                cmdlet.WriteVerbose($"Sync run {run.RunId} finished in {run.Duration?.TotalSeconds:0.0} s: {run.Total} channel(s), {run.Succeeded} succeeded ({run.Changed} changed), {run.Failed} failed, {run.Skipped} skipped, {run.Cancelled} cancelled{(request.WhatIf ? "; -WhatIf wrote nothing and left no history" : string.Empty)}.");
                return run;
            }
            catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.RunInProgress && scheduled)
            {
                cmdlet.WriteWarning(ex.Message + " This scheduled run is skipped.");
                return null;
            }
            catch (NewApiException ex)
            {
                string errorId = ex.Kind switch
                {
                    NewApiErrorKind.Authentication or NewApiErrorKind.Forbidden => "NewApiAuthenticationFailed",
                    NewApiErrorKind.RunInProgress => "SyncRunInProgress",
                    _ => "SyncRunFailed",
                };
                cmdlet.ThrowTerminatingError(ErrorRecords.FromApi(ex, errorId, connection));
                return null;
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.Create("InvalidSyncOption", ErrorCategory.InvalidArgument, ex.Message, null, "Check the values given to Invoke-NewApiModelSync or saved with Set-NewApiSyncSetting.", ex));
                return null;
            }
            catch (OperationCanceledException ex)
            {
                cmdlet.ThrowIfStopping(ex);
                throw;
            }
            finally
            {
                progress?.Complete();
            }
        }

        private static void WriteResult(NewApiCmdlet cmdlet, NewApiSyncResult result)
        {
            cmdlet.WriteObject(result);
            if (result.Status == ChannelResultStatus.Failed)
            {
                cmdlet.WriteError(ErrorRecords.ForFailedChannel(result, "ChannelSyncFailed"));
            }
        }
    }
}
