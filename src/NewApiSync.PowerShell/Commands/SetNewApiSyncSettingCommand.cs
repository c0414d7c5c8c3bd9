using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Runs;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Sync;
using NewApiSync.PowerShell.Internal;
using NewApiSync.PowerShell.Completion;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Changes the saved sync settings: only the values given change. The file is validated and written atomically;
    /// it never holds a token.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "NewApiSyncSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SyncSettings))]
    public sealed class SetNewApiSyncSettingCommand : NewApiCmdlet
    {
        private static readonly string[] SettingNames =
        {
            nameof(AutoSync), nameof(Interval), nameof(Concurrency), nameof(MaxRetries), nameof(RequestsPerMinute), nameof(Burst),
            nameof(ChannelTimeoutSec), nameof(IncludeModel), nameof(ExcludeModel), nameof(StandardModel), nameof(RedirectAfterSync),
            nameof(PruneMissingTargets), nameof(HistoryRetention), nameof(ShrinkGuardPercent), nameof(SyncMode), nameof(KeepModel),
            nameof(ExcludeChannel), nameof(SkipDisabledChannels),
        };

        /// <summary>Settings to save as a whole (e.g. from Get-NewApiSyncSetting); values given as parameters win.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public SyncSettings? InputObject { get; set; }

        [Parameter]
        public bool AutoSync { get; set; }

        /// <summary>Time between scheduled runs: 5 minutes to 30 days; 1–24 hours recommended (e.g. '06:00:00').</summary>
        [Parameter]
        [IntervalTransformation]
        public TimeSpan Interval { get; set; }

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

        [Parameter]
        [ValidateRange(RunLimits.MinChannelTimeoutSec, RunLimits.MaxChannelTimeoutSec)]
        public int ChannelTimeoutSec { get; set; }

        [Parameter]
        [AllowEmptyCollection]
        public string[] IncludeModel { get; set; } = Array.Empty<string>();

        [Parameter]
        [AllowEmptyCollection]
        public string[] ExcludeModel { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Standard names for New-NewApiModelRedirect (the StandardModels setting); empty = the built-in list. Singular
        /// like New-NewApiModelRedirect -StandardModel; the earlier name stays an alias.
        /// </summary>
        [Parameter]
        [Alias("StandardModels")]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(StandardModelCompleter))]
        public string[] StandardModel { get; set; } = Array.Empty<string>();

        [Parameter]
        public bool RedirectAfterSync { get; set; }

        [Parameter]
        public bool PruneMissingTargets { get; set; }

        [Parameter]
        [ValidateRange(RunLimits.MinHistoryRetention, RunLimits.MaxHistoryRetention)]
        public int HistoryRetention { get; set; }

        /// <summary>A sync that would remove more than this percent of a channel's models (and at least 5) is held; 100 turns the guard off.</summary>
        [Parameter]
        [ValidateRange(RunLimits.MinShrinkGuardPercent, RunLimits.MaxShrinkGuardPercent)]
        public int ShrinkGuardPercent { get; set; }

        /// <summary>Replace (default) or AddOnly (never remove; removals are reported as pending).</summary>
        [Parameter]
        public SyncMode SyncMode { get => (SyncMode)_syncMode; set => _syncMode = (int)value; }

        // Kept as its number: PowerShell lays out this class before the module can answer for the engine, and a field
        // of an engine enum would load the engine there (Internal/ModuleInitializer.cs, "no engine value types").
        private int _syncMode;

        /// <summary>Models a sync never removes (wildcards).</summary>
        [Parameter]
        [AllowEmptyCollection]
        public string[] KeepModel { get; set; } = Array.Empty<string>();

        /// <summary>Channels syncs leave alone: ids, name wildcards, or 'tag:NAME'.</summary>
        [Parameter]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(ChannelNameCompleter))]
        public string[] ExcludeChannel { get; set; } = Array.Empty<string>();

        /// <summary>Whether syncs skip disabled channels.</summary>
        [Parameter]
        public bool SkipDisabledChannels { get; set; }

        /// <summary>Read and write the settings that go with this connection (the sandbox keeps its own).</summary>
        [Parameter]
        [ValidateNotNull]
        public NewApiConnection? Connection { get; set; }

        /// <summary>Start from the defaults instead of the saved file (which is not read, so a damaged one can be replaced).</summary>
        [Parameter]
        public SwitchParameter Reset { get; set; }

        /// <summary>Return the saved settings.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            string dataRoot = DataRootFor(Connection ?? ModuleSession.Current.DefaultConnection);
            var store = new SyncSettingsStore(dataRoot);
            SyncSettings updated = (InputObject ?? (Reset ? new SyncSettings() : LoadSettings(dataRoot))).Clone();
            var changes = new List<string>();
            foreach (string name in SettingNames.Where(MyInvocation.BoundParameters.ContainsKey))
            {
                object? value = MyInvocation.BoundParameters[name];
                string setting = SettingOf(name);
                typeof(SyncSettings).GetProperty(setting)!.SetValue(updated, value is SwitchParameter s ? s.IsPresent : value);
                changes.Add($"{setting} = {Describe(value)}");
            }

            IReadOnlyList<string> problems = updated.Validate();
            if (problems.Count > 0)
            {
                throw Terminate(ErrorRecords.Create("InvalidSyncSetting", ErrorCategory.InvalidArgument, string.Join(" ", problems), updated,
                    "Give values in the ranges shown; see Get-Help about_NewApiSync for the settings and their recommended values."));
            }

            foreach (string advice in updated.Recommendations())
            {
                WriteWarning(advice);
            }

            string action = (Reset ? "Reset the sync settings to the defaults" : "Save sync settings") + (changes.Count == 0 ? string.Empty : ": " + string.Join(", ", changes));
            if (!ShouldProcess(store.FilePath, action))
            {
                return;
            }

            try
            {
                Engine.Storage.DataDirectory.ThrowIfNotFolder(dataRoot);
                store.Save(updated);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                throw Terminate(ErrorRecords.ForDataFolder(ex, dataRoot));
            }

            WriteVerbose($"Saved the sync settings to {store.FilePath}.");
            if (PassThru)
            {
                WriteObject(updated);
            }
        }

        /// <summary>The setting a parameter saves: its own name, except -StandardModel (singular, as parameters are) for StandardModels.</summary>
        private static string SettingOf(string parameter) =>
            parameter == nameof(StandardModel) ? nameof(SyncSettings.StandardModels) : parameter;

        private static string Describe(object? value) => value switch
        {
            string[] names => names.Length == 0 ? "(none)" : string.Join(", ", names),
            TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
            SwitchParameter s => s.IsPresent.ToString(),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
        };
    }
}
