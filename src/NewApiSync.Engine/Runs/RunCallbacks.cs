using System;
using System.Threading.Tasks;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Runs
{
    /// <summary>
    /// How a run talks to whoever started it. Called from worker threads: the cmdlets marshal each call to the
    /// pipeline thread, where PowerShell allows output, progress and ShouldProcess.
    /// </summary>
    public sealed class RunCallbacks
    {
        /// <summary>A channel finished (streamed as it happens, not at the end).</summary>
        public Action<NewApiSyncResult>? Result { get; set; }

        public Action<RunProgress>? Progress { get; set; }

        /// <summary>A page of the channel listing arrived: channels listed so far, and the total the server reports (if any).</summary>
        public Action<int, int?>? Listed { get; set; }

        /// <summary>Called once the run's header is journaled, before the first channel starts (the run id is known from here).</summary>
        public Action<NewApiSyncRun>? Started { get; set; }

        /// <summary>
        /// Asks whether to write a change (ShouldProcess): target, action. False under -WhatIf or when the user says
        /// no. Null means yes.
        /// </summary>
        public Func<string, string, Task<bool>>? Confirm { get; set; }

        public Task<bool> ConfirmAsync(string target, string action) => Confirm is null ? Task.FromResult(true) : Confirm(target, action);
    }
}
