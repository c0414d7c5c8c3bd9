using System;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// The scheduler in the foreground (containers, services): runs Invoke-NewApiModelSync -IfDue's decision every
    /// -CheckIntervalSec until Ctrl+C, writing one run summary (NewApiSyncRun) per run and an error per failed channel.
    /// Settings are re-read before every check, so Set-NewApiSyncSetting takes effect without a restart.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "NewApiAutoSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(NewApiSyncRun))]
    public sealed class StartNewApiAutoSyncCommand : NewApiRunCmdlet
    {
        /// <summary>How often to check whether a run is due.</summary>
        [Parameter]
        [ValidateRange(5, 3600)]
        public int CheckIntervalSec { get; set; } = 60;

        protected override void EndProcessing()
        {
            NewApiConnection connection = ResolvedConnection;
            string dataRoot = DataRootFor(connection);
            WriteVerbose($"Auto-sync of {connection.BaseUrl} started; checking every {CheckIntervalSec} s. Press Ctrl+C to stop.");
            while (!CancelToken.IsCancellationRequested)
            {
                SyncSettings settings = LoadSettings(dataRoot);
                var service = new ModelSyncService(connection, settings, Log);
                AutoSyncSchedule schedule = service.Schedule();
                if (!schedule.Enabled)
                {
                    throw Terminate(ErrorRecords.Create("AutoSyncDisabled", ErrorCategory.InvalidOperation,
                        "Auto-sync is off, so there is nothing to schedule.", connection, "Turn it on with Set-NewApiSyncSetting -AutoSync $true (and -Interval), then start again."));
                }

                DateTimeOffset now = schedule.Now;
                WriteVerbose(schedule.Describe(now));
                // -WhatIf previews the next run now rather than waiting, possibly hours, for it to be due.
                if (schedule.IsDue(now) || IsWhatIf)
                {
                    var request = new ModelSyncRequest
                    {
                        Mode = RunMode.IfDue,
                        WhatIf = IsWhatIf,
                        Options = service.DefaultOptions(),
                        Filter = new ModelFilter(settings.IncludeModel, settings.ExcludeModel),
                        Policy = new SyncPolicy(settings.SyncMode, settings.KeepModel),
                        Exclusion = new ChannelExclusion(settings.ExcludeChannel, settings.SkipDisabledChannels),
                        RedirectAfterSync = settings.RedirectAfterSync,
                        PruneMissingTargets = settings.PruneMissingTargets,
                    };
                    // One summary per run: a service log gets one line per run, not a table per channel (Get-NewApiSyncHistory has those).
                    NewApiSyncRun? run = RunSync(service, request, scheduled: true, writeResults: false);
                    if (run is not null)
                    {
                        WriteObject(run);
                    }

                    if (request.WhatIf)
                    {
                        // A preview leaves no history, so the schedule would say "due" forever: one preview is enough.
                        return;
                    }

                    if (run is not null)
                    {
                        continue;
                    }
                }

                // Not due, or another run holds the site: check again later.
                CancelToken.WaitHandle.WaitOne(schedule.WaitBeforeNextCheck(TimeSpan.FromSeconds(CheckIntervalSec)));
            }

            throw new PipelineStoppedException();
        }
    }
}
