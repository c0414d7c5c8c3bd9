using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell
{
    /// <summary>
    /// Base of every NewApiSync cmdlet. Owns the cancellation that Ctrl+C (StopProcessing) triggers, and runs engine
    /// work on worker threads while the pipeline thread writes what the work posts.
    /// </summary>
    public abstract class NewApiCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private CmdletLog? _log;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken CancelToken => _stopping.Token;

        /// <summary>
        /// The engine's log for this invocation (verbose/debug/warning), usable on the pipeline thread and, during
        /// <see cref="RunOnWorker{T}(Func{INewApiLog, PipelineDispatcher, CancellationToken, Task{T}})"/>, on its workers:
        /// give it to the one engine service a command builds. First read it on the pipeline thread.
        /// </summary>
        internal INewApiLog Log => PipelineLog;

        private CmdletLog PipelineLog => _log ??= new CmdletLog(this);

        /// <summary>
        /// Runs <paramref name="work"/> on a worker thread. Its log (verbose/debug/warning) and anything it posts are
        /// written on this (pipeline) thread as they arrive; returns the work's result or rethrows its exception.
        /// </summary>
        internal T RunOnWorker<T>(Func<INewApiLog, PipelineDispatcher, CancellationToken, Task<T>> work)
        {
            using var dispatcher = new PipelineDispatcher();
            CmdletLog log = PipelineLog;
            log.Dispatcher = dispatcher;
            try
            {
                Task<T> task = Task.Run(() => work(log, dispatcher, _stopping.Token));
                return dispatcher.Run(task, _stopping);
            }
            finally
            {
                log.Dispatcher = null;
            }
        }

        internal T RunOnWorker<T>(Func<INewApiLog, CancellationToken, Task<T>> work) => RunOnWorker((log, _, ct) => work(log, ct));

        /// <summary>True under -WhatIf (given, or inherited through $WhatIfPreference).</summary>
        protected bool IsWhatIf
        {
            get
            {
                if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? given))
                {
                    return given is SwitchParameter s ? s.IsPresent : given is true;
                }

                object? preference = GetVariableValue("WhatIfPreference");
                return preference is SwitchParameter p ? p.IsPresent : preference is true;
            }
        }

        /// <summary>Where journals and settings live for a connection (<see cref="Engine.Storage.DataDirectory.RootFor"/>).</summary>
        internal static string DataRootFor(NewApiConnection? connection) => Engine.Storage.DataDirectory.RootFor(connection);

        /// <summary>
        /// Stops the command with <paramref name="record"/>, always written <c>throw Terminate(record);</c>: PowerShell's
        /// ThrowTerminatingError always throws, but the compiler cannot know it, so the <c>throw</c> tells it (and the
        /// reader) that nothing after the call runs, in void and value-returning methods alike, inside a catch or not.
        /// </summary>
        internal Exception Terminate(ErrorRecord record)
        {
            ThrowTerminatingError(record);
            return new InvalidOperationException("ThrowTerminatingError returned."); // never reached
        }

        /// <summary>
        /// A parameter given on the command line wins over the saved setting; an omitted one leaves the setting in force
        /// (a switch given as -X:$false turns a saved $true off).
        /// </summary>
        internal T ParameterOrSetting<T>(string parameter, T given, T setting) =>
            MyInvocation.BoundParameters.ContainsKey(parameter) ? given : setting;

        /// <inheritdoc cref="ParameterOrSetting{T}"/>
        internal bool ParameterOrSetting(string parameter, SwitchParameter given, bool setting) =>
            ParameterOrSetting(parameter, given.IsPresent, setting);

        /// <summary>
        /// The one warning for a connection whose token would cross the network in clear (plain http:// to a host that
        /// is not this machine); <paramref name="address"/> says where the address came from.
        /// </summary>
        internal void WarnIfInsecure(NewApiConnection connection, string address)
        {
            if (connection.IsInsecureTransport)
            {
                WriteWarning($"{address} is plain http:// to another machine: the access token crosses the network unencrypted. Use https:// unless this is a trusted private network.");
            }
        }

        /// <summary>The saved settings under <paramref name="dataRoot"/>; a damaged file stops the command with what is wrong.</summary>
        internal Engine.Settings.SyncSettings LoadSettings(string dataRoot)
        {
            var store = new Engine.Settings.SyncSettingsStore(dataRoot);
            try
            {
                Engine.Storage.DataDirectory.ThrowIfNotFolder(dataRoot);
                return store.Load();
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                throw Terminate(ErrorRecords.ForDataFolder(ex, dataRoot));
            }
            catch (System.IO.InvalidDataException ex)
            {
                throw Terminate(ErrorRecords.Create("SettingsFileInvalid", ErrorCategory.InvalidData, ex.Message, store.FilePath,
                    $"Fix or delete {store.FilePath}, or run Set-NewApiSyncSetting -Reset to start again from the defaults.", ex));
            }
        }

        /// <summary>
        /// A cancelled run after Ctrl+C becomes PowerShell's own way of stopping, so nothing is reported as an error.
        /// </summary>
        internal void ThrowIfStopping(Exception ex)
        {
            if (ex is OperationCanceledException && _stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected override void StopProcessing() => _stopping.Cancel();

        public void Dispose()
        {
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
