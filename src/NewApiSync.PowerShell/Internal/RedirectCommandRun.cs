using System;
using System.Collections.Generic;
using System.Linq;
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
                throw cmdlet.Terminate(ErrorRecords.Create("InvalidStandardModel", ErrorCategory.InvalidArgument, ex.Message, request.StandardModels, "Give standard model names such as 'gpt-4o' or 'claude-4.5-sonnet' (Get-NewApiStandardModel lists the built-in ones).", ex));
            }

            // Standard names some channel could serve; the rest, unless built in, are likely typos and are warned about once.
            var served = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            try
            {
                ChannelRunCommand.Run(cmdlet, connection, activity, writeRecord: null, scheduled: false,
                    (log, callbacks, dispatcher, ct) => new ModelRedirectService(connection, settings, log).RunAsync(request, callbacks, output => dispatcher.Post(() => Write(cmdlet, output, failedErrorId, served)), ct));
            }
            finally
            {
                if (request.Kind == RunKind.Redirect)
                {
                    WarnUnknown(cmdlet, service.StandardModelsFor(request), served);
                }
            }
        }

        private static void WarnUnknown(Cmdlet cmdlet, IReadOnlyList<string> standardModels, HashSet<string> served)
        {
            var builtIn = new HashSet<string>(StandardModelCatalog.Names, StringComparer.OrdinalIgnoreCase);
            string[] unknown = standardModels.Where(name => !builtIn.Contains(name) && !served.Contains(name)).ToArray();
            if (unknown.Length > 0)
            {
                cmdlet.WriteWarning($"No channel serves the standard model name{(unknown.Length == 1 ? string.Empty : "s")} {string.Join(", ", unknown.Select(n => "'" + DisplayText.Safe(n) + "'"))}, and {(unknown.Length == 1 ? "it is" : "they are")} not built in. Check the spelling: Get-NewApiStandardModel lists the built-in names.");
            }
        }

        private static void Write(Cmdlet cmdlet, NewApiModelRedirectResult output, string failedErrorId, HashSet<string> served)
        {
            served.UnionWith(output.Added.Keys);
            served.UnionWith(output.AlreadyServed);
            cmdlet.WriteObject(output);
            if (output.Status == RedirectStatus.Failed)
            {
                cmdlet.WriteError(ErrorRecords.ForFailedChannel(output.ChannelId, output.ChannelName, output.ErrorKind, output.Error, output.HttpStatus, output, failedErrorId));
            }
        }
    }
}
