using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Runs
{
    /// <summary>One channel write a plan asks for: the fields to send, how to recognise them on the server, and the ShouldProcess action.</summary>
    public sealed class PlannedWrite
    {
        public PlannedWrite(ChannelUpdate update, Func<Channel, bool> isApplied, string action)
        {
            Update = update ?? throw new ArgumentNullException(nameof(update));
            IsApplied = isApplied ?? throw new ArgumentNullException(nameof(isApplied));
            Action = action ?? throw new ArgumentNullException(nameof(action));
        }

        public ChannelUpdate Update { get; }

        /// <summary>Whether a channel read back from the server already holds the update.</summary>
        public Func<Channel, bool> IsApplied { get; }

        /// <summary>What the write does, for ShouldProcess ("Update models (+2 −1)").</summary>
        public string Action { get; }
    }

    /// <summary>
    /// Plans one channel from a copy of it: fills the record's Old*/New*/Added/Removed/Reason/Status for that copy and
    /// returns the write, or null when nothing is to be written. Called again on the fresh copy before a write, so it must
    /// depend only on its arguments and on what the run already knows (e.g. the upstream list).
    /// </summary>
    public delegate PlannedWrite? ChannelPlan(Channel channel, NewApiSyncResult result);

    /// <summary>
    /// The one way every run (sync, redirect, clear, restore) writes a channel:
    /// first plan → ask → fresh read → plan again → intent (undo record on disk) → PUT → outcome.
    /// <list type="bullet">
    /// <item>A channel that would not change costs nothing extra: the first plan, made on the copy the run already has
    /// (the listing, a piped object, or a read), decides that. Nor does a declined or -WhatIf one: it is asked about first.</item>
    /// <item>A channel that would change is read again (GET /api/channel/{id}, through the run's token bucket and retries)
    /// just before its write, unless its copy was read in this same step and the prompt (if any) was answered at once; the
    /// write is planned on that copy, and Old* in the journal is exactly what it returned. When it differs from the first
    /// copy, the record says so (Replanned), and when the write it leads to differs from what was agreed to, the prompt
    /// asks again.</item>
    /// <item>Before the PUT, the intent (old and new values) is written and flushed to the journal; if that fails, nothing
    /// is sent and the run stops with JournalUnwritable. Once the intent is down, any failure keeps the intended New* on the
    /// record with MayHaveWritten, so Restore-NewApiChannel can undo a write whose outcome is unknown.</item>
    /// </list>
    /// The outcome line is written by <see cref="ChannelBatchRunner"/> when the channel's work returns or fails.
    /// </summary>
    public sealed class ChannelWritePipeline
    {
        private readonly RunContext _context;
        private readonly IRunRecorder _recorder;
        private readonly ChannelUpdater _updater;

        public ChannelWritePipeline(RunContext context, IRunRecorder recorder)
        {
            _context = context ?? throw new ArgumentNullException(nameof(context));
            _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
            _updater = new ChannelUpdater(context);
        }

        /// <summary>A copy older than a prompt that took this long to answer is read again before the write.</summary>
        private static readonly TimeSpan PromptedCopyIsStaleAfter = TimeSpan.FromSeconds(1);

        /// <summary>Fresh read and re-plan at most this often per channel (each round only when a person kept changing it mid-prompt).</summary>
        private const int MaxReplanRounds = 3;

        /// <param name="first">The copy the run has of the channel.</param>
        /// <param name="firstIsFresh">True when <paramref name="first"/> was read from the server in this step with nothing slow in between, so it is the fresh read.</param>
        /// <remarks>When ShouldProcess says no, the record is a -WhatIf preview or a declined change (RunPreview).</remarks>
        public async Task<NewApiSyncResult> RunAsync(Channel first, bool firstIsFresh, ChannelPlan plan, NewApiSyncResult result, RunCallbacks callbacks, CancellationToken cancellationToken)
        {
            if (first is null)
            {
                throw new ArgumentNullException(nameof(first));
            }

            Reset(result, first);
            PlannedWrite? write = plan(first, result);
            if (write is null)
            {
                return result;
            }

            // Ask first, on the first plan: a declined or -WhatIf channel costs no extra request, and the read that the write
            // is planned on then comes after the prompt, however long a person takes to answer it.
            long asked = _context.Time.GetTimestamp();
            if (!await callbacks.ConfirmAsync(first.ToString(), write.Action).ConfigureAwait(false))
            {
                return Declined(result, write.Action);
            }

            bool stale = !firstIsFresh || _context.Time.GetElapsedTime(asked) > PromptedCopyIsStaleAfter;
            Channel current = first;
            for (int round = 0; stale && round < MaxReplanRounds; round++)
            {
                Channel previous = current;
                current = await ReadFreshAsync(first.Id, result, cancellationToken).ConfigureAwait(false);
                string? difference = Difference(previous, current);
                Reset(result, current);
                PlannedWrite? replanned = plan(current, result);
                if (difference is not null)
                {
                    result.Replanned = true;
                    string note = $"The channel changed after it was first read ({difference}); the change was planned again on a fresh read.";
                    result.Reason = string.IsNullOrEmpty(result.Reason) ? note : note + " " + result.Reason;
                    _context.Log.Verbose($"{current}: {note}");
                }

                if (replanned is null)
                {
                    return result;
                }

                stale = false;
                if (!string.Equals(replanned.Action, write.Action, StringComparison.Ordinal))
                {
                    // What was agreed to is not what would be written now: ask again, and read again if that took a while.
                    asked = _context.Time.GetTimestamp();
                    if (!await callbacks.ConfirmAsync(current.ToString(), replanned.Action).ConfigureAwait(false))
                    {
                        return Declined(result, replanned.Action);
                    }

                    stale = _context.Time.GetElapsedTime(asked) > PromptedCopyIsStaleAfter;
                }

                write = replanned;
            }

            // The undo record goes to disk before anything is sent; the recorder throws JournalUnwritable when it cannot.
            _recorder.Intent(IntentOf(result));
            result.MayHaveWritten = true;
            await _updater.WriteAsync(write.Update, write.IsApplied, () => result.Attempts++, cancellationToken).ConfigureAwait(false);
            result.MayHaveWritten = false;
            result.Status = ChannelResultStatus.Succeeded;
            result.Changed = true;
            return result;
        }

        private async Task<Channel> ReadFreshAsync(int id, NewApiSyncResult result, CancellationToken cancellationToken)
        {
            // Attempts counts tries of the channel's work; the fresh read adds only its retries, like the write does.
            int reads = 0;
            Channel fresh = await _context.Retry.ExecuteAsync(
                async ct =>
                {
                    if (reads++ > 0)
                    {
                        result.Attempts++;
                    }

                    return await _context.Client.GetChannelAsync(id, ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
            return fresh;
        }

        /// <summary>
        /// ShouldProcess said no: under -WhatIf the record is the preview of <paramref name="action"/> (Changed, WhatIf, the
        /// models named), at a prompt answered No it is Skipped (see <see cref="RunPreview"/>).
        /// </summary>
        private static NewApiSyncResult Declined(NewApiSyncResult result, string action)
        {
            string change = char.ToLowerInvariant(action[0]) + action.Substring(1);
            if (!change.StartsWith("update models", StringComparison.Ordinal) && RunPreview.ModelChanges(result.AddedModels, result.RemovedModels) is string names)
            {
                change += " (" + names + ")";
            }

            return RunPreview.NotWritten(result, change);
        }

        /// <summary>What a record says while its write is in flight; it stands as the channel's record if no outcome follows.</summary>
        public static NewApiSyncResult IntentOf(NewApiSyncResult result) => new NewApiSyncResult
        {
            RunId = result.RunId,
            Kind = result.Kind,
            BaseUrl = result.BaseUrl,
            ChannelId = result.ChannelId,
            ChannelName = result.ChannelName,
            Status = ChannelResultStatus.Cancelled,
            Changed = false,
            MayHaveWritten = true,
            Replanned = result.Replanned,
            OldModels = result.OldModels,
            NewModels = result.NewModels,
            AddedModels = result.AddedModels,
            RemovedModels = result.RemovedModels,
            PendingRemovals = result.PendingRemovals,
            ProtectedModels = result.ProtectedModels,
            IgnoredModels = result.IgnoredModels,
            OldModelMapping = result.OldModelMapping,
            NewModelMapping = result.NewModelMapping,
            Reason = "The write was sent but the run ended before its outcome was recorded (the process was stopped or killed): the write may have happened. Restore-NewApiChannel can undo it.",
            ErrorKind = NewApiErrorKind.UncertainWrite,
            Attempts = Math.Max(1, result.Attempts),
            StartedAt = result.StartedAt,
            FinishedAt = result.StartedAt,
        };

        // A plan starts from the copy it is given: nothing of an earlier plan survives.
        private static void Reset(NewApiSyncResult result, Channel channel)
        {
            result.ChannelName = channel.Name;
            result.Status = ChannelResultStatus.Succeeded;
            result.Changed = false;
            result.OldModels = channel.Models;
            result.NewModels = channel.Models;
            result.AddedModels = Array.Empty<string>();
            result.RemovedModels = Array.Empty<string>();
            result.OldModelMapping = null;
            result.NewModelMapping = null;
            result.Reason = null;
        }

        /// <summary>How the fresh copy differs from the first one, in words, or null when it does not (for what a plan reads).</summary>
        public static string? Difference(Channel first, Channel fresh)
        {
            var parts = new System.Collections.Generic.List<string>();
            if (!first.Models.SequenceEqual(fresh.Models, StringComparer.Ordinal))
            {
                parts.Add($"models {ChannelModelList.Diff(first.ModelList, fresh.ModelList)}");
            }

            if (!string.Equals(first.ModelMappingRaw ?? string.Empty, fresh.ModelMappingRaw ?? string.Empty, StringComparison.Ordinal))
            {
                parts.Add("model_mapping edited");
            }

            if (first.Status != fresh.Status)
            {
                parts.Add($"status {first.Status} → {fresh.Status}");
            }

            return parts.Count == 0 ? null : string.Join(", ", parts);
        }
    }
}
