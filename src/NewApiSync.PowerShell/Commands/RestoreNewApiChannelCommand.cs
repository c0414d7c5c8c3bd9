using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Restore;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.PowerShell.Completion;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Undoes journaled runs: writes back each channel's models and/or model_mapping as they were before the run, after
    /// checking the channel still holds what the run left (unless -Force). Itself journaled as a Restore run.
    /// </summary>
    [Cmdlet(VerbsData.Restore, "NewApiChannel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(NewApiSyncResult))]
    public sealed class RestoreNewApiChannelCommand : NewApiRunCmdlet
    {
        public const string InputObjectSet = "InputObject";
        public const string RunIdSet = "RunId";

        private readonly List<NewApiSyncResult> _records = new List<NewApiSyncResult>();

        /// <summary>Journal records from Get-NewApiSyncHistory.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public NewApiSyncResult[] InputObject { get; set; } = null!;

        /// <summary>The run to undo (Get-NewApiSyncHistory -Run lists them).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = RunIdSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RunIdCompleter))]
        public string RunId { get; set; } = null!;

        /// <summary>Only these channels of the run.</summary>
        [Parameter(ParameterSetName = RunIdSet)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(ChannelIdCompleter))]
        public int[]? ChannelId { get; set; }

        /// <summary>Restore channels that changed since the run too (overwrites those changes).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                _records.AddRange(InputObject);
            }
        }

        protected override void EndProcessing()
        {
            NewApiConnection connection = ResolvedConnection;
            SyncSettings settings = LoadSettings(DataRootFor(connection));
            // -RunId reads the journal here: its warnings about damaged lines must reach the user.
            var service = new ChannelRestoreService(connection, settings, Log);
            IReadOnlyList<NewApiSyncResult> records = ParameterSetName == RunIdSet ? ReadRun(service) : _records;
            if (records.Count == 0)
            {
                if (MyInvocation.ExpectingInput)
                {
                    WriteWarning("No journal record came down the pipeline, so Restore-NewApiChannel did nothing: nothing was read, written or journaled.");
                }
                else
                {
                    WriteVerbose("No journal records to restore.");
                }

                return;
            }

            try
            {
                service.CheckSameSite(records);
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("HistoryRecordOfAnotherSite", ErrorCategory.InvalidArgument, ex.Message, connection.BaseUrl,
                    "Connect to the site the records came from (Connect-NewApi), or pass that connection with -Connection.", ex));
            }

            var request = new ChannelRestoreRequest { Records = records, Force = Force.IsPresent, WhatIf = IsWhatIf, Options = service.DefaultOptions() };
            RunChannels("Restoring channels", (callbacks, ct) => service.RunAsync(request, callbacks, ct), "ChannelRestoreFailed");
        }

        private IReadOnlyList<NewApiSyncResult> ReadRun(ChannelRestoreService service)
        {
            IReadOnlyList<NewApiSyncResult>? records = null;
            try
            {
                records = service.ReadRun(RunId, ChannelId);
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidRunId", ErrorCategory.InvalidArgument, ex.Message, RunId, "Get-NewApiSyncHistory -Run lists the runs kept for this site.", ex));
            }

            if (records is null)
            {
                throw Terminate(ErrorRecords.Create("CannotFindRun", ErrorCategory.ObjectNotFound,
                    $"The journal of {service.Journal.SiteName} has no run '{RunId}'.", RunId, "Get-NewApiSyncHistory -Run lists the runs kept for this site."));
            }

            int[] missing = (ChannelId ?? Array.Empty<int>()).Except(records!.Select(r => r.ChannelId)).ToArray();
            if (missing.Length > 0)
            {
                WriteWarning($"Run {RunId} has no record of channel(s) {string.Join(", ", missing.Select(id => "#" + id))}: nothing to restore there.");
            }

            return records!;
        }
    }
}
