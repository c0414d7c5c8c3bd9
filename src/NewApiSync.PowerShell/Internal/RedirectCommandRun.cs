using System;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>A redirect or clear run from a cmdlet: its own output type, one non-terminating error per failed channel.</summary>
    internal static class RedirectCommandRun
    {
        public static void Run(NewApiCmdlet cmdlet, NewApiConnection connection, SyncSettings settings, ModelRedirectRequest request, string activity, string failedErrorId)
        {
            var service = new ModelRedirectService(connection, settings);
            try
            {
                // Blank or duplicate standard names are refused here, before anything is sent.
                service.Validate(request);
            }
            catch (ArgumentException ex)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.Create("InvalidStandardModel", ErrorCategory.InvalidArgument, ex.Message, request.StandardModels, "Give standard model names such as 'gpt-4o' or 'claude-4.5-sonnet' (Get-NewApiStandardModel lists the built-in ones).", ex));
            }

            ChannelRunCommand.Run(cmdlet, connection, activity, writeRecord: null, scheduled: false,
                (log, callbacks, dispatcher, ct) => new ModelRedirectService(connection, settings, log).RunAsync(request, callbacks, output => dispatcher.Post(() => Write(cmdlet, output, failedErrorId)), ct));
        }

        private static void Write(Cmdlet cmdlet, NewApiModelRedirectResult output, string failedErrorId)
        {
            cmdlet.WriteObject(output);
            if (output.Status == RedirectStatus.Failed)
            {
                cmdlet.WriteError(ErrorRecords.ForFailedChannel(output.ChannelId, output.ChannelName, output.ErrorKind, output.Error, output.HttpStatus, output, failedErrorId));
            }
        }
    }
}
