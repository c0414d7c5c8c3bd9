using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using NewApiSync.Engine.Storage;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// Keeps two runs for one site (a scheduled and a manual one, in any processes) from writing at the same time.
    /// <para>
    /// The lock belongs to the site, not to a spelling of its URL or to one user: it lives in
    /// <see cref="DataDirectory.SiteLockDirectory"/>, named after the site's identity (<see cref="Api.SiteAddress.Identity"/>),
    /// so http://127.0.0.1:3000 and http://localhost:3000/, or two admins of one site, share it.
    /// </para>
    /// <para>
    /// The lock is an OS lock, not the file's existence: the holder keeps <c>&lt;lock folder&gt;/run.lock</c> open with
    /// FileShare.None (a share lock on Windows, an exclusive flock on Unix), which the OS releases when the process dies, so a
    /// crash never leaves a site locked. The file itself is never deleted: on Unix, deleting it while another process waits
    /// on the old inode would let two processes each lock a different file. Because nobody else can open run.lock while it
    /// is held, the holder also writes who it is to <c>run.lock.json</c> (atomically), which the loser reads for its message.
    /// </para>
    /// </summary>
    public sealed class SiteRunLock : IDisposable
    {
        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
        private static readonly JsonSerializerOptions HolderJson = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

        private FileStream? _lock;

        private SiteRunLock(FileStream lockStream, string holderPath, RunLockHolder holder)
        {
            _lock = lockStream;
            LockFilePath = lockStream.Name;
            HolderFilePath = holderPath;
            Holder = holder;
        }

        public string LockFilePath { get; }

        public string HolderFilePath { get; }

        /// <summary>This process, as written for others to read.</summary>
        public RunLockHolder Holder { get; }

        /// <summary>
        /// Takes the site's run lock, trying again every 200 ms until <paramref name="wait"/> has passed (TimeSpan.Zero: try
        /// once). Null when another run still holds it; <see cref="ReadHolder"/> then says who. Throws
        /// OperationCanceledException when <paramref name="cancellationToken"/> fires while waiting.
        /// </summary>
        public static SiteRunLock? TryAcquire(string dataRoot, string baseUrl, int userId, TimeSpan wait,
            CancellationToken cancellationToken = default, string purpose = "sync run")
        {
            if (wait < TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(wait), wait, "The wait for the run lock cannot be negative.");
            }

            string siteDirectory = DataDirectory.SiteLockDirectory(dataRoot, baseUrl);
            Directory.CreateDirectory(siteDirectory);
            string lockPath = Path.Combine(siteDirectory, "run.lock");
            var stopwatch = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                FileStream? stream = TryOpenExclusive(lockPath);
                if (stream != null)
                {
                    return Hold(stream, siteDirectory, purpose, userId);
                }

                TimeSpan left = wait - stopwatch.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                if (cancellationToken.WaitHandle.WaitOne(left < PollInterval ? left : PollInterval))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        /// <summary>Who holds the site's run lock, or null when nobody does (or the holder died before recording itself).</summary>
        public static RunLockHolder? ReadHolder(string dataRoot, string baseUrl, int userId)
        {
            string path = HolderPath(DataDirectory.SiteLockDirectory(dataRoot, baseUrl));
            try
            {
                return JsonSerializer.Deserialize<RunLockHolder>(File.ReadAllBytes(path), HolderJson);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is JsonException)
            {
                return null;
            }
        }

        /// <summary>Releases the lock (also released by the OS if the process dies).</summary>
        public void Dispose()
        {
            FileStream? stream = Interlocked.Exchange(ref _lock, null);
            if (stream is null)
            {
                return;
            }

            // Remove the record while still holding the lock, so it can never erase the next holder's record.
            try
            {
                File.Delete(HolderFilePath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }

            stream.Dispose();
        }

        private static SiteRunLock Hold(FileStream stream, string siteDirectory, string purpose, int userId)
        {
            using Process self = Process.GetCurrentProcess();
            var holder = new RunLockHolder
            {
                ProcessId = self.Id,
                StartedAt = DateTimeOffset.UtcNow,
                Purpose = purpose,
                UserId = userId,
                MachineName = Environment.MachineName,
            };
            byte[] record = JsonSerializer.SerializeToUtf8Bytes(holder, HolderJson);
            string holderPath = HolderPath(siteDirectory);
            try
            {
                stream.SetLength(0);
                stream.Write(record, 0, record.Length);
                stream.Flush(flushToDisk: true);
                DataDirectory.WriteAllBytesAtomic(holderPath, record);
            }
            catch
            {
                stream.Dispose();
                throw;
            }

            return new SiteRunLock(stream, holderPath, holder);
        }

        private static FileStream? TryOpenExclusive(string path)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                return null;
            }
        }

        private static string HolderPath(string siteDirectory) => Path.Combine(siteDirectory, "run.lock.json");
    }
}
