using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using NewApiSync.Engine.Results;

namespace NewApiSync.Engine.Journal
{
    /// <summary>One run's file in a site's runs folder, and the tolerant reading of it (see <see cref="JournalFormat"/>).</summary>
    internal sealed class RunFile
    {
        // A run-end line is a few hundred bytes; this much of the tail finds it without reading the whole file.
        private const int TailBytes = 64 * 1024;
        private const int HeaderChunkBytes = 16 * 1024;

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
        public static List<RunFile> NewestFirst(string runsDirectory)
        {
            var files = new List<RunFile>();
            if (!Directory.Exists(runsDirectory))
            {
                return files;
            }

            foreach (string path in Directory.EnumerateFiles(runsDirectory, "*" + JournalFormat.FileExtension))
            {
                files.Add(new RunFile(path));
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

        /// <summary>The run-start record (line 1), or null when the file is gone, empty or its first line is unreadable.</summary>
        public NewApiSyncRun? ReadHeader(Action<string> warn)
        {
            byte[]? firstLine;
            bool terminated;
            try
            {
                using FileStream stream = OpenShared();
                firstLine = ReadFirstLine(stream, out terminated);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
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
            catch (JsonException ex)
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
        /// error available to <paramref name="keep"/>. Null when the file has vanished (pruned meanwhile).
        /// </summary>
        public RunContents? Read(Func<JournalLine, bool> keep, bool withText, Action<string> warn)
        {
            byte[] data;
            try
            {
                using FileStream stream = OpenShared();
                data = ReadToEnd(stream);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }

            var contents = new RunContents();
            string? tornLastLine = null;
            int lineNumber = 0;
            int start = 0;
            while (start < data.Length)
            {
                int newline = Array.IndexOf(data, (byte)'\n', start);
                bool terminated = newline >= 0;
                int end = terminated ? newline : data.Length;
                lineNumber++;
                var line = new ReadOnlyMemory<byte>(data, start, end - start);
                start = end + 1;
                if (IsBlank(line.Span))
                {
                    continue;
                }

                try
                {
                    contents.Add(line, keep, withText);
                }
                catch (Exception ex) when (ex is JsonException || ex is InvalidOperationException || ex is FormatException)
                {
                    string problem = $"Journal file '{Path}' line {lineNumber.ToString(CultureInfo.InvariantCulture)}";
                    if (!terminated)
                    {
                        tornLastLine = problem + " is incomplete (its writer stopped mid-line); skipped.";
                    }
                    else
                    {
                        warn(problem + $" cannot be read ({ex.Message}); skipped.");
                    }
                }
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

        private static byte[]? ReadFirstLine(FileStream stream, out bool terminated)
        {
            using var line = new MemoryStream();
            byte[] chunk = new byte[HeaderChunkBytes];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                int newline = Array.IndexOf(chunk, (byte)'\n', 0, read);
                if (newline >= 0)
                {
                    line.Write(chunk, 0, newline);
                    terminated = true;
                    return line.ToArray();
                }

                line.Write(chunk, 0, read);
            }

            terminated = false;
            return line.ToArray();
        }

        private static byte[] ReadToEnd(FileStream stream)
        {
            // The length can grow while a writer appends; read what is there now.
            long length = stream.Length - stream.Position;
            var data = new byte[Math.Max(0, length)];
            int total = 0;
            int read;
            while (total < data.Length && (read = stream.Read(data, total, data.Length - total)) > 0)
            {
                total += read;
            }

            if (total < data.Length)
            {
                Array.Resize(ref data, total);
            }

            return data;
        }

        private NewApiSyncRun? TryReadEndFromTail()
        {
            byte[] tail;
            long length;
            try
            {
                using FileStream stream = OpenShared();
                length = stream.Length;
                int size = (int)Math.Min(length, TailBytes);
                stream.Seek(length - size, SeekOrigin.Begin);
                tail = new byte[size];
                int total = 0;
                int read;
                while (total < size && (read = stream.Read(tail, total, size - total)) > 0)
                {
                    total += read;
                }

                Array.Resize(ref tail, total);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }

            // Only a newline-terminated last line counts: the writer writes each line and its newline in one call.
            int end = tail.Length;
            if (end == 0 || tail[end - 1] != (byte)'\n')
            {
                return null;
            }

            end--;
            int newline = end == 0 ? -1 : Array.LastIndexOf(tail, (byte)'\n', end - 1, end);
            if (newline < 0 && tail.Length < length)
            {
                return null;
            }

            int start = newline + 1;
            try
            {
                using JsonDocument document = JsonDocument.Parse(new ReadOnlyMemory<byte>(tail, start, end - start));
                return JournalFormat.TypeOf(document.RootElement) == JournalFormat.RunEndType
                    ? JournalFormat.ReadRun(document.RootElement)
                    : null;
            }
            catch (JsonException)
            {
                // The full read reports it.
                return null;
            }
        }
    }
}
