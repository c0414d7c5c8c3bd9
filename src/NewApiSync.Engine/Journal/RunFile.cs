using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.Json;
using NewApiSync.Engine.Internal;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>One run's file in a site's runs folder, and the tolerant reading of it (see <see cref="JournalFormat"/>).</summary>
    internal sealed class RunFile
    {
        // A run-end line is a few hundred bytes; this much of the tail finds it without reading the whole file.
        private const int TailBytes = 64 * 1024;

        /// <summary>
        /// The longest journal line read (documented in about_NewApiSync). A channel line holds its models and mapping
        /// before and after, a few hundred KB at most; a longer line is damage and is skipped with a warning instead of being
        /// held in memory.
        /// </summary>
        public const int MaxLineBytes = 32 * 1024 * 1024;

        private RunFile(string path)
        {
            Path = path;
            RunId = System.IO.Path.GetFileNameWithoutExtension(path);
            NameTimestamp = ParseRunIdTime(RunId);
        }

        public string Path { get; }

        public string RunId { get; }

        /// <summary>The start time encoded in a RunIds.New id (to the millisecond, rounded down), or null for other names.</summary>
        public DateTimeOffset? NameTimestamp { get; }

        public static RunFile For(string runsDirectory, string runId) =>
            new(System.IO.Path.Combine(runsDirectory, runId + JournalFormat.FileExtension));

        /// <summary>The site's run files, newest first (RunIds sort by start time).</summary>
        public static List<RunFile> NewestFirst(string runsDirectory, Action<string>? warn = null)
        {
            var files = new List<RunFile>();
            if (!Directory.Exists(runsDirectory))
            {
                return files;
            }

            try
            {
                foreach (string path in Directory.EnumerateFiles(runsDirectory, "*" + JournalFormat.FileExtension))
                {
                    files.Add(new RunFile(path));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                warn?.Invoke($"The runs folder '{runsDirectory}' cannot be listed ({ex.Message}); its runs are not shown.");
            }

            files.Sort((a, b) => string.CompareOrdinal(b.RunId, a.RunId));
            return files;
        }

        /// <summary>
        /// True while a writer (in this or another process) still has the file open: it holds the file with FileShare.Read,
        /// so an exclusive open fails. A reader that happens to have the file open at the same moment also makes this true,
        /// which only delays calling a dead run Interrupted until the next read.
        /// </summary>
        public bool IsHeldByWriter()
        {
            try
            {
                using var probe = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.None);
                return false;
            }
            catch (FileNotFoundException)
            {
                return false;
            }
            catch (IOException)
            {
                return true;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>Deletes the file unless a writer holds it; false when it is held or already gone.</summary>
        public bool TryDeleteUnlessHeld()
        {
            try
            {
                // The exclusive open is the liveness check and the delete in one step, so no writer can slip in between.
                using var exclusive = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                return true;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>
        /// The run-start record (line 1), or null when the file is gone, empty, not a regular file, or its first line is
        /// unreadable. Never throws for a damaged file: every problem is a warning.
        /// </summary>
        public NewApiSyncRun? ReadHeader(Action<string> warn)
        {
            if (SkipIfNotRegular(warn))
            {
                return null;
            }

            byte[]? firstLine = null;
            bool terminated = false;
            bool overlong = false;
            try
            {
                using FileStream stream = OpenShared();
                // Every query reads each run's header: read a little, not the first megabyte of the file (issue 16).
                using var lines = new JournalLineReader(stream, stream.Length, MaxLineBytes, JournalLineReader.FirstLineChunkBytes);
                if (lines.Next())
                {
                    firstLine = lines.Line.ToArray();
                    terminated = lines.Terminated;
                    overlong = lines.Overlong;
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                warn($"Journal file '{Path}' cannot be read ({ex.Message}); skipped.");
                return null;
            }

            if (overlong)
            {
                warn($"Journal file '{Path}': the run-start line is longer than {MaxLineBytes / (1024 * 1024)} MiB, so it is not a journal line; skipped.");
                return null;
            }

            if (firstLine is null || firstLine.Length == 0)
            {
                // A writer that has just created the file has not written its header yet.
                if (!IsHeldByWriter())
                {
                    warn($"Journal file '{Path}' is empty (its run stopped before writing anything); skipped.");
                }

                return null;
            }

            try
            {
                using JsonDocument document = JsonDocument.Parse(firstLine);
                if (JournalFormat.TypeOf(document.RootElement) != JournalFormat.RunStartType)
                {
                    warn($"Journal file '{Path}' does not start with a run-start line; skipped.");
                    return null;
                }

                return JournalFormat.ReadRun(document.RootElement);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NotSupportedException or ArgumentException)
            {
                if (terminated || !IsHeldByWriter())
                {
                    warn($"Journal file '{Path}': the run-start line cannot be read ({ex.Message}); skipped.");
                }

                return null;
            }
        }

        /// <summary>
        /// The run's summary: its run-end line when there is one (read from the file's tail only), else counted from its
        /// channel lines, Interrupted unless a writer still holds the file.
        /// </summary>
        public NewApiSyncRun? ReadSummary(NewApiSyncRun header, Action<string> warn)
        {
            NewApiSyncRun? end = TryReadEndFromTail();
            if (end != null)
            {
                return WithHeader(end, header);
            }

            RunContents? contents = Read(_ => false, withText: false, warn);
            return contents?.Summary(header);
        }

        /// <summary>
        /// Reads every line. Channel lines for which <paramref name="keep"/> is true are deserialized into
        /// <see cref="RunContents.Results"/>; all of them are counted. <paramref name="withText"/> makes the channel name and
        /// error available to <paramref name="keep"/>. With a <paramref name="search"/>, channel lines whose bytes cannot
        /// hold the search text are not parsed at all (nor counted, nor checked for damage): only the results are complete.
        /// Null when the file has vanished (pruned meanwhile).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        public RunContents? Read(Func<JournalLine, bool> keep, bool withText, Action<string> warn, LineSearch? search = null)
        {
            if (SkipIfNotRegular(warn))
            {
                return null;
            }

            var contents = new RunContents();
            string? tornLastLine = null;
            try
            {
                using FileStream stream = OpenShared();
                // The length can grow while a writer appends; read what is there now, one line at a time, so neither a
                // file over 2 GB nor one that never ends is ever held in memory whole.
                using var lines = new JournalLineReader(stream, stream.Length, MaxLineBytes);
                while (lines.Next())
                {
                    // Built only for a line that has a problem: a search reads 200,000 lines.
                    string Problem() => $"Journal file '{Path}' line {lines.LineNumber.ToString(CultureInfo.InvariantCulture)}";
                    if (lines.Overlong)
                    {
                        warn(Problem() + $" is longer than {MaxLineBytes / (1024 * 1024)} MiB, so it is not a journal line; skipped.");
                        continue;
                    }

                    if (IsBlank(lines.Line.Span))
                    {
                        continue;
                    }

                    try
                    {
                        contents.Add(lines.Line, keep, withText, search);
                    }
                    catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NotSupportedException or ArgumentException)
                    {
                        if (!lines.Terminated)
                        {
                            tornLastLine = Problem() + " is incomplete (its writer stopped mid-line); skipped.";
                        }
                        else
                        {
                            warn(Problem() + $" cannot be read ({ex.Message}); skipped.");
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                warn($"Journal file '{Path}' cannot be read ({ex.Message}); what was read before is used.");
            }

            if (contents.End is null)
            {
                contents.WriterAlive = IsHeldByWriter();
            }

            contents.CloseOpenIntents(keep);

            // A live writer may be half-way through its next line; that is not damage.
            if (tornLastLine != null && !contents.WriterAlive)
            {
                warn(tornLastLine);
            }

            return contents;
        }

        // Symbolic links, FIFOs, sockets and devices are never journal files; reading them could block or never end.
        private bool SkipIfNotRegular(Action<string> warn)
        {
            string? reason = JournalFileKind.NotRegularReason(Path);
            if (reason is null)
            {
                return false;
            }

            warn($"Journal file '{Path}' is {reason}; skipped.");
            return true;
        }

        internal static NewApiSyncRun WithHeader(NewApiSyncRun end, NewApiSyncRun header)
        {
            end.PlannedChannelIds = header.PlannedChannelIds;
            end.Interrupted = false;
            return end;
        }

        private static DateTimeOffset? ParseRunIdTime(string runId)
        {
            const string format = "yyyyMMdd'T'HHmmssfff'Z'";
            if (runId.Length < 19 ||
                !DateTime.TryParseExact(runId.Substring(0, 19), format, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime utc))
            {
                return null;
            }

            return new DateTimeOffset(utc, TimeSpan.Zero);
        }

        private static bool IsBlank(ReadOnlySpan<byte> line)
        {
            foreach (byte b in line)
            {
                if (b != (byte)' ' && b != (byte)'\r' && b != (byte)'\t')
                {
                    return false;
                }
            }

            return true;
        }

        // Readers let the writer keep writing and a pruner delete the file under them.
        private FileStream OpenShared() =>
            new(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);

        private NewApiSyncRun? TryReadEndFromTail()
        {
            // Rented: every run summary reads a tail, and 200 fresh 64 KB arrays per query were most of its allocations.
            byte[] tail = ArrayPool<byte>.Shared.Rent(TailBytes);
            try
            {
                return TryReadEndFromTail(tail);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(tail);
            }
        }

        private NewApiSyncRun? TryReadEndFromTail(byte[] tail)
        {
            int total = 0;
            long length;
            try
            {
                using FileStream stream = OpenShared();
                length = stream.Length;
                int size = (int)Math.Min(length, TailBytes);
                stream.Seek(length - size, SeekOrigin.Begin);
                int read;
                while (total < size && (read = stream.Read(tail, total, size - total)) > 0)
                {
                    total += read;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not found, or unreadable: the full read reports it.
                return null;
            }

            // Only a newline-terminated last line counts: the writer writes each line and its newline in one call.
            int end = total;
            if (end == 0 || tail[end - 1] != (byte)'\n')
            {
                return null;
            }

            end--;
            int newline = end == 0 ? -1 : Array.LastIndexOf(tail, (byte)'\n', end - 1, end);
            if (newline < 0 && total < length)
            {
                return null;
            }

            int start = newline + 1;
            try
            {
                // The document is disposed before the caller returns the buffer; the run is deserialized into its own object.
                using JsonDocument document = JsonDocument.Parse(new ReadOnlyMemory<byte>(tail, start, end - start));
                return JournalFormat.TypeOf(document.RootElement) == JournalFormat.RunEndType
                    ? JournalFormat.ReadRun(document.RootElement)
                    : null;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NotSupportedException or ArgumentException)
            {
                // The full read reports it.
                return null;
            }
        }
    }
}
