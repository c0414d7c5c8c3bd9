using System;
using NewApiSync.Engine.Api;

namespace NewApiSync.Engine.Results
{
    /// <summary>
    /// One channel's outcome in a run: what Invoke-NewApiModelSync emits and what the journal stores for every kind of
    /// run (sync, redirect, clear, restore), so history records pipe back into any command that takes -Id/ChannelId.
    /// Model mappings are kept as the stored JSON text so an invalid one can be journaled and restored exactly.
    /// </summary>
    public sealed class NewApiSyncResult
    {
        public string RunId { get; set; } = string.Empty;

        public RunKind Kind { get; set; } = RunKind.Sync;

        /// <summary>The site (normalized base URL) the channel belongs to.</summary>
        public string BaseUrl { get; set; } = string.Empty;

        public int ChannelId { get; set; }

        /// <summary>
        /// The channel's name; never null: a journal line another tool wrote with <c>"channelName": null</c> reads as
        /// empty, so the filters and views that search or show names need no null check of their own.
        /// </summary>
        public string ChannelName
        {
            get => _channelName;
            set => _channelName = value ?? string.Empty;
        }

        private string _channelName = string.Empty;

        public ChannelResultStatus Status { get; set; }

        /// <summary>
        /// True when the server now holds something different because of this run; in a -WhatIf preview, true when the
        /// run would change the channel.
        /// </summary>
        public bool Changed { get; set; }

        /// <summary>True on every record of a -WhatIf preview, which wrote nothing; previews are never journaled.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public bool WhatIf { get; set; }

        public NameList OldModels { get; set; } = NameList.Empty;

        public NameList NewModels { get; set; } = NameList.Empty;

        public NameList AddedModels { get; set; } = NameList.Empty;

        public NameList RemovedModels { get; set; } = NameList.Empty;

        /// <summary>
        /// Sync under SyncMode AddOnly: the models a Replace sync would have removed, kept for review. Apply them with
        /// Invoke-NewApiModelSync -SyncMode Replace -Id; Get-NewApiSyncHistory -PendingRemovals finds them.
        /// </summary>
        public NameList PendingRemovals { get; set; } = NameList.Empty;

        /// <summary>Sync: models upstream no longer lists that a KeepModel pattern kept.</summary>
        public NameList ProtectedModels { get; set; } = NameList.Empty;

        /// <summary>Sync: new upstream models not added because the server's own ignore list (the channel's settings) names them.</summary>
        public NameList IgnoredModels { get; set; } = NameList.Empty;

        /// <summary>
        /// Sync: how many sync runs in a row, this one included, the channel has failed (0 when this run did not fail it),
        /// counted from the journal.
        /// </summary>
        public int ConsecutiveFailures { get; set; }

        /// <summary>Sync: when the first run of the current failure streak started; null when the channel is not failing.</summary>
        public DateTimeOffset? FailingSince { get; set; }

        /// <summary>model_mapping text before the run (null when the run did not touch or read it).</summary>
        public string? OldModelMapping { get; set; }

        /// <summary>model_mapping text after the run (null when the run did not touch it).</summary>
        public string? NewModelMapping { get; set; }

        /// <summary>
        /// True when a write was sent but its success was never confirmed (the run was killed, cancelled or lost the reply,
        /// or the server refused a write it may still have applied): the server may hold NewModels/NewModelMapping.
        /// Restore-NewApiChannel treats such a record as a change that may have happened.
        /// </summary>
        public bool MayHaveWritten { get; set; }

        /// <summary>True when the channel changed between the first read and the fresh read just before the write, so the change was planned again on the fresh copy.</summary>
        public bool Replanned { get; set; }

        /// <summary>Why a channel was skipped or left unchanged (e.g. "The upstream returned no models").</summary>
        public string? Reason { get; set; }

        public int? HttpStatus { get; set; }

        public string? Error { get; set; }

        public NewApiErrorKind? ErrorKind { get; set; }

        /// <summary>Total tries for this channel, retries included.</summary>
        public int Attempts { get; set; }

        public DateTimeOffset StartedAt { get; set; }

        public DateTimeOffset FinishedAt { get; set; }

        public TimeSpan Duration => FinishedAt >= StartedAt ? FinishedAt - StartedAt : TimeSpan.Zero;

        /// <summary>The failure behind <see cref="Error"/> while the run is in progress; never stored.</summary>
        internal Api.NewApiException? Exception { get; set; }

        public override string ToString() => $"{ChannelName} (#{ChannelId}): {Status}";
    }
}
