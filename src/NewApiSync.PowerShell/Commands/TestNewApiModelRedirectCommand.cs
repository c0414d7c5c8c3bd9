using System.Collections.Generic;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Redirect;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Checks channels' model_mapping the way New API will use it and outputs one object per problem: unreadable JSON,
    /// keys the channel does not list, targets it (or, with -Upstream, its upstream) no longer has, chains and cycles,
    /// and hand-made entries that cross model versions. Read-only, unless -Fix removes the broken entries (journaled,
    /// so Restore-NewApiChannel puts them back). Every problem left is also a non-terminating error, so a scheduled
    /// check fails when anything is wrong.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "NewApiModelRedirect", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = AllSet)]
    [OutputType(typeof(NewApiModelRedirectProblem))]
    public sealed class TestNewApiModelRedirectCommand : NewApiChannelRunCmdlet
    {
        public const string ProblemErrorId = "ModelRedirectProblem";

        /// <summary>Also fetch each channel's upstream list and flag targets the upstream no longer serves.</summary>
        [Parameter]
        public SwitchParameter Upstream { get; set; }

        /// <summary>Remove the broken entries from the server (not chains, which route; not an unreadable mapping).</summary>
        [Parameter]
        public SwitchParameter Fix { get; set; }

        protected override void EndProcessing()
        {
            NewApiConnection connection = ResolvedConnection;
            SyncSettings settings = LoadSettings(DataRootFor(connection));
            var service = new MappingCheckService(connection, settings, Log);
            var request = new MappingCheckRequest
            {
                Upstream = Upstream,
                Fix = Fix,
                WhatIf = IsWhatIf,
                Options = service.DefaultOptions(),
            };
            PointAtSelection(request);

            RunChannels<(NewApiSyncResult Record, IReadOnlyList<NewApiModelRedirectProblem> Problems)>(Fix ? "Repairing model redirects" : "Checking model redirects",
                (callbacks, output, ct) => service.RunAsync(request, callbacks, (record, problems) => output((record, problems)), ct),
                checkedChannel => Write(checkedChannel.Record, checkedChannel.Problems));
        }

        private void Write(NewApiSyncResult record, IReadOnlyList<NewApiModelRedirectProblem> problems)
        {
            if (record.Status == ChannelResultStatus.Failed)
            {
                WriteChannelError(record.ChannelId, record.ChannelName, record.ErrorKind, record.Error, record.HttpStatus, record, "ChannelCheckFailed");
                return;
            }

            foreach (NewApiModelRedirectProblem problem in problems)
            {
                WriteObject(problem);
                if (!problem.Fixed)
                {
                    WriteError(ErrorRecords.Create(ProblemErrorId, ErrorCategory.InvalidData, $"{problem}: {problem.Explanation}", problem, Advice(problem)));
                }
            }
        }

        private static string Advice(NewApiModelRedirectProblem problem) => problem.Kind switch
        {
            RedirectProblemKind.UnreadableMapping => $"Fix the text in New API, or run Clear-NewApiModelRedirect -Id {problem.ChannelId} (journaled; Restore-NewApiChannel brings the text back).",
            RedirectProblemKind.Chain => "Point the key straight at the final model in New API; -Fix leaves chains alone because they route.",
            _ => $"Run Test-NewApiModelRedirect -Id {problem.ChannelId}{(problem.Kind == RedirectProblemKind.TargetNotServed ? " -Upstream" : string.Empty)} -Fix to remove the entry (journaled; Restore-NewApiChannel puts it back), or correct it in New API.",
        };
    }
}
