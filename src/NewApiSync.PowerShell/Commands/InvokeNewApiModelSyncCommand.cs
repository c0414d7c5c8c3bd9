using System;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Site;
using NewApiSync.Engine.Sync;
using NewApiSync.PowerShell.Completion;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Brings channels' model lists in line with their upstream providers: all channels, piped or given ones, the ones
    /// the last run left unfinished (-FailedOnly), or a scheduled run when it is due (-IfDue).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "NewApiModelSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = AllSet)]
    [OutputType(typeof(NewApiSyncResult))]
    public sealed class InvokeNewApiModelSyncCommand : NewApiChannelRunCmdlet
    {
        public const string FailedOnlySet = "FailedOnly";
        public const string IfDueSet = "IfDue";

        /// <summary>Only the channels that failed, were cancelled or were never reached in the last sync run.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FailedOnlySet)]
        public SwitchParameter FailedOnly { get; set; }

        /// <summary>Run only when auto-sync is on and the interval has passed since the last full run (for schedulers).</summary>
        [Parameter(Mandatory = true, ParameterSetName = IfDueSet)]
        public SwitchParameter IfDue { get; set; }

        [Parameter]
        [ValidateRange(RunLimits.MinConcurrency, RunLimits.MaxConcurrency)]
        public int Concurrency { get; set; }

        [Parameter]
        [ValidateRange(RunLimits.MinRetries, RunLimits.MaxRetriesLimit)]
        public int MaxRetries { get; set; }

        [Parameter]
        [ValidateRange(RunLimits.MinRequestsPerMinute, RunLimits.MaxRequestsPerMinute)]
        public int RequestsPerMinute { get; set; }

        [Parameter]
        [ValidateRange(RunLimits.MinBurst, RunLimits.MaxBurst)]
        public int Burst { get; set; }

        /// <summary>A bound on one channel's whole processing, retries included; 0 = none.</summary>
        [Parameter]
        [ValidateRange(RunLimits.MinChannelTimeoutSec, RunLimits.MaxChannelTimeoutSec)]
        public int ChannelTimeoutSec { get; set; }

        /// <summary>Keep only upstream models matching one of these wildcards.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? IncludeModel { get; set; }

        /// <summary>Then drop upstream models matching one of these wildcards.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? ExcludeModel { get; set; }

        /// <summary>Replace (the list becomes upstream's) or AddOnly (never remove; removals are reported as PendingRemovals). Default: the SyncMode setting.</summary>
        [Parameter]
        public SyncMode SyncMode { get => (SyncMode)_syncMode; set => _syncMode = (int)value; }

        // Kept as its number: PowerShell lays out this class before the module can answer for the engine, and a field
        // of an engine enum would load the engine there (Internal/ModuleInitializer.cs, "no engine value types").
        private int _syncMode;

        /// <summary>Models a sync never removes (wildcards). Default: the KeepModel setting.</summary>
        [Parameter]
        [SupportsWildcards]
        [AllowEmptyCollection]
        public string[]? KeepModel { get; set; }

        /// <summary>Channels to leave alone: ids, name wildcards, or 'tag:NAME'. Default: the ExcludeChannel setting; @() excludes none.</summary>
        [Parameter]
        [SupportsWildcards]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(ChannelNameCompleter))]
        public string[]? ExcludeChannel { get; set; }

        /// <summary>Skip manually and automatically disabled channels. Default: the SkipDisabledChannels setting.</summary>
        [Parameter]
        public SwitchParameter SkipDisabledChannels { get; set; }

        /// <summary>Redirect each channel right after it syncs, in the same write (default: the RedirectAfterSync setting).</summary>
        [Parameter]
        public SwitchParameter RedirectAfterSync { get; set; }

        /// <summary>Remove mapping entries whose target is no longer served (default: the PruneMissingTargets setting).</summary>
        [Parameter]
        public SwitchParameter PruneMissingTargets { get; set; }

        /// <summary>Hold a channel when the sync would remove more than this percent of its models (and at least 5); default: the ShrinkGuardPercent setting.</summary>
        [Parameter]
        [ValidateRange(RunLimits.MinShrinkGuardPercent, RunLimits.MaxShrinkGuardPercent)]
        public int ShrinkGuardPercent { get; set; }

        /// <summary>Apply syncs the shrink guard would hold.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            // -FailedOnly names its own channels from the journal; every other set targets the pipeline when one is attached.
            if (ParameterSetName != FailedOnlySet && PipelineBroughtNothing())
            {
                return;
            }

            NewApiConnection connection = ResolvedConnection;
            SyncSettings settings = LoadSettings(DataRootFor(connection));
            // The journal is read here (-FailedOnly, -IfDue): its warnings about damaged files must reach the user.
            var service = new ModelSyncService(connection, settings, Log);
            var request = new ModelSyncRequest
            {
                WhatIf = IsWhatIf,
                Options = BuildOptions(service),
                Filter = BuildFilter(settings),
                Policy = BuildPolicy(settings),
                Exclusion = BuildExclusion(settings),
            };

            switch (HasSelection && ParameterSetName != FailedOnlySet ? IdSet : ParameterSetName)
            {
                case InputObjectSet:
                case IdSet:
                    PointAtSelection(request);
                    break;
                case FailedOnlySet:
                    var (last, unfinished) = service.FailedOnlyTargets();
                    if (last is null)
                    {
                        WriteWarning($"The journal has no sync run of {connection.BaseUrl} yet, so there is nothing to re-run. Run Invoke-NewApiModelSync first.");
                        return;
                    }

                    if (unfinished.Count == 0)
                    {
                        WriteWarning($"The last sync run ({last.RunId}, started {last.StartedAt:u}) left no failed, cancelled or unreached channel: nothing to re-run.");
                        return;
                    }

                    WriteVerbose($"Re-running {unfinished.Count} channel(s) left unfinished by run {last.RunId}.");
                    request.Mode = RunMode.FailedOnly;
                    request.ChannelIds = unfinished;
                    break;
                case IfDueSet:
                    AutoSyncSchedule schedule = service.Schedule();
                    DateTimeOffset now = schedule.Now;
                    WriteVerbose(schedule.Describe(now));
                    if (!schedule.IsDue(now))
                    {
                        // A warning, not verbose text: a cron job that never syncs must not look healthy in its mail.
                        WriteWarning(NotDueWarning(schedule, connection, now));
                        return;
                    }

                    request.Mode = RunMode.IfDue;
                    break;
                default:
                    request.Mode = RunMode.All;
                    break;
            }

            request.RedirectAfterSync = ParameterOrSetting(nameof(RedirectAfterSync), RedirectAfterSync, settings.RedirectAfterSync);
            request.PruneMissingTargets = ParameterOrSetting(nameof(PruneMissingTargets), PruneMissingTargets, settings.PruneMissingTargets);
            request.ShrinkGuardPercent = ParameterOrSetting<int?>(nameof(ShrinkGuardPercent), ShrinkGuardPercent, null);
            request.Force = Force.IsPresent;
            RunSync(service, request, scheduled: IfDue.IsPresent);
        }

        /// <summary>Why -IfDue did not sync: auto-sync is off, or the next run is not due yet (naming when it is).</summary>
        internal static string NotDueWarning(AutoSyncSchedule schedule, NewApiConnection connection, DateTimeOffset now)
        {
            if (!schedule.Enabled)
            {
                return $"Auto-sync is off for {connection.BaseUrl}, so -IfDue did not sync. Turn it on with Set-NewApiSyncSetting -AutoSync $true, or sync now without -IfDue.";
            }

            DateTimeOffset next = schedule.NextRunAt!.Value;
            TimeSpan left = next - now;
            string wait = left.TotalHours >= 1 ? $"{(int)left.TotalHours} h {left.Minutes} min" : $"{Math.Max(1, (int)Math.Ceiling(left.TotalMinutes))} min";
            return $"Not due yet: the next scheduled sync of {connection.BaseUrl} is due at {next.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz} (in {wait}; Interval {schedule.Settings.Interval}). Nothing was synced.";
        }

        private RunOptions BuildOptions(ModelSyncService service)
        {
            RunOptions options = service.DefaultOptions();
            options.Concurrency = ParameterOrSetting(nameof(Concurrency), Concurrency, options.Concurrency);
            options.MaxRetries = ParameterOrSetting(nameof(MaxRetries), MaxRetries, options.MaxRetries);
            options.RequestsPerMinute = ParameterOrSetting(nameof(RequestsPerMinute), RequestsPerMinute, options.RequestsPerMinute);
            options.Burst = ParameterOrSetting(nameof(Burst), Burst, options.Burst);
            options.ChannelTimeout = ParameterOrSetting(nameof(ChannelTimeoutSec), ChannelTimeoutSec > 0 ? TimeSpan.FromSeconds(ChannelTimeoutSec) : (TimeSpan?)null, options.ChannelTimeout);
            return options;
        }

        private SyncPolicy BuildPolicy(SyncSettings settings)
        {
            SyncMode mode = ParameterOrSetting(nameof(SyncMode), SyncMode, settings.SyncMode);
            try
            {
                return new SyncPolicy(mode, KeepModel ?? settings.KeepModel);
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidModelPattern", ErrorCategory.InvalidArgument, ex.Message, KeepModel, "Give model names or wildcards such as 'my-*'.", ex));
            }
        }

        private ChannelExclusion BuildExclusion(SyncSettings settings)
        {
            bool skipDisabled = ParameterOrSetting(nameof(SkipDisabledChannels), SkipDisabledChannels, settings.SkipDisabledChannels);
            try
            {
                return new ChannelExclusion(ExcludeChannel ?? settings.ExcludeChannel, skipDisabled);
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidChannelExclusion", ErrorCategory.InvalidArgument, ex.Message, ExcludeChannel, "Give channel ids (11), name wildcards ('*reseller*') or tags ('tag:free').", ex));
            }
        }

        private ModelFilter BuildFilter(SyncSettings settings)
        {
            try
            {
                return new ModelFilter(IncludeModel ?? settings.IncludeModel, ExcludeModel ?? settings.ExcludeModel);
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidModelPattern", ErrorCategory.InvalidArgument, ex.Message, IncludeModel ?? ExcludeModel, "Give model names or wildcards such as 'gpt-*'.", ex));
            }
        }
    }
}
