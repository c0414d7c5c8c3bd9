using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using NewApiSync.Engine.Api;

namespace NewApiSync.Engine.Storage
{
    /// <summary>
    /// Where NewApiSync keeps its files: the data root (settings.json, sites/), one folder per site inside it, and the
    /// atomic write every small state file goes through.
    /// </summary>
    public static class DataDirectory
    {
        /// <summary>The environment variable that overrides the data root (tests, containers, portable installs).</summary>
        public const string EnvironmentVariable = "NEWAPISYNC_DATA";

        private const string AppFolderName = "NewApiSync";

        /// <summary>
        /// Where journals and settings live for <paramref name="connection"/>: its own folder (the sandbox's), else the
        /// user's (<see cref="ResolveRoot()"/>).
        /// </summary>
        public static string RootFor(NewApiConnection? connection) => connection?.DataDirectory ?? ResolveRoot();

        /// <summary>
        /// <c>$env:NEWAPISYNC_DATA</c> when set; else LocalApplicationData\NewApiSync on Windows;
        /// else <c>$XDG_DATA_HOME/NewApiSync</c>, falling back to <c>~/.local/share/NewApiSync</c>.
        /// </summary>
        public static string ResolveRoot() =>
            ResolveRoot(Environment.GetEnvironmentVariable, RuntimeInformation.IsOSPlatform(OSPlatform.Windows));

        internal static string ResolveRoot(Func<string, string?> getEnvironmentVariable, bool isWindows)
        {
            string? overridden = getEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(overridden))
            {
                return Path.GetFullPath(overridden!.Trim());
            }

            if (isWindows)
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), AppFolderName);
            }

            // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
            string? xdg = getEnvironmentVariable("XDG_DATA_HOME");
            if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
            {
                return Path.Combine(xdg!, AppFolderName);
            }

            string? home = getEnvironmentVariable("HOME");
            if (string.IsNullOrWhiteSpace(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            if (string.IsNullOrWhiteSpace(home))
            {
                throw new InvalidOperationException(
                    $"Cannot find a folder for NewApiSync's data: neither {EnvironmentVariable}, XDG_DATA_HOME nor HOME is set. Set {EnvironmentVariable} to a writable folder.");
            }

            return Path.Combine(home!, ".local", "share", AppFolderName);
        }

        /// <summary>
        /// Throws <see cref="IOException"/> when <paramref name="dataRoot"/> exists but is a file: every later step would
        /// fail with a bare "Not a directory".
        /// </summary>
        public static void ThrowIfNotFolder(string dataRoot)
        {
            if (File.Exists(dataRoot))
            {
                throw new IOException($"'{dataRoot}' is a file, not a folder.");
            }
        }

        /// <summary>What is wrong with the data folder, in words, from the exception a file operation in it threw.</summary>
        public static string DescribeProblem(Exception ex, string dataRoot)
        {
            if (File.Exists(dataRoot))
            {
                return "it is a file, not a folder.";
            }

            int code = ex.HResult & 0xFFFF;
            if (ex is IOException && (code == 28 || code == 0x70 || code == 0x27))
            {
                return "the disk is full (" + ex.Message + ").";
            }

            if (ex is UnauthorizedAccessException || (ex is IOException && code == 30))
            {
                return "it is read-only or not writable by this user (" + ex.Message + ").";
            }

            if (ex is DirectoryNotFoundException)
            {
                return "it, or a folder above it, does not exist and cannot be created (" + ex.Message + ").";
            }

            return ex.Message;
        }

        /// <summary>The site key (<see cref="SiteAddress.SiteKey"/>): it names the site's history folder.</summary>
        public static string SiteKey(string baseUrl, int userId) => SiteAddress.SiteKey(baseUrl, userId);

        /// <summary>The site key of versions before the site identity: the base URL as spelled (normalized, lower case), '#', user id.</summary>
        public static string LegacySiteKey(string baseUrl, int userId)
        {
            string normalized = SiteAddress.Parse(baseUrl).AbsoluteUri.TrimEnd('/');
            return normalized.ToLowerInvariant() + "#" + userId.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>The site as messages show it, "https://x.example (user 1)": the site key's '#' form is internal.</summary>
        public static string SiteName(string baseUrl, int userId) =>
            SiteAddress.Parse(baseUrl).AbsoluteUri.TrimEnd('/') + " (user " + userId.ToString(CultureInfo.InvariantCulture) + ")";

        /// <summary>
        /// A readable, filesystem-safe folder name for a site, e.g. <c>x.example_1-1a2b3c4d</c> for https://x.example user 1.
        /// The hash of the full site key keeps sites apart whose readable parts collide (http vs https, '.' vs '_').
        /// </summary>
        public static string SiteFolderName(string baseUrl, int userId) => FolderName(SiteKey(baseUrl, userId));

        /// <summary>The folder name versions before the site identity used for this spelling of the site (still read).</summary>
        public static string LegacySiteFolderName(string baseUrl, int userId) => FolderName(LegacySiteKey(baseUrl, userId));

        /// <summary>
        /// <c>&lt;dataRoot&gt;/sites/&lt;identity folder&gt;</c>, shared by every user of the site: its run lock lives here, so
        /// two admins (or a cron job and an admin, whatever URL each uses) never write to one site at once.
        /// </summary>
        public static string SiteLockDirectory(string dataRoot, string baseUrl)
        {
            if (string.IsNullOrWhiteSpace(dataRoot))
            {
                throw new ArgumentException("The data root is empty.", nameof(dataRoot));
            }

            return Path.Combine(Path.GetFullPath(dataRoot), "sites", FolderName(SiteAddress.Identity(baseUrl) + "#all-users", "all"));
        }

        /// <summary>The legacy site folder when it differs from <see cref="SiteDirectory"/> (its history stays readable), else null.</summary>
        public static string? LegacySiteDirectory(string dataRoot, string baseUrl, int userId)
        {
            string legacy = Path.Combine(Path.GetFullPath(dataRoot), "sites", LegacySiteFolderName(baseUrl, userId));
            return string.Equals(legacy, SiteDirectory(dataRoot, baseUrl, userId), StringComparison.Ordinal) ? null : legacy;
        }

        private static string FolderName(string key, string? owner = null)
        {
            int hash = key.LastIndexOf('#');
            Uri uri = new Uri(key.Substring(0, hash), UriKind.Absolute);
            string readable = uri.Host + (uri.IsDefaultPort ? string.Empty : "_" + uri.Port.ToString(CultureInfo.InvariantCulture)) + uri.AbsolutePath.TrimEnd('/');
            var name = new StringBuilder(readable.Length + 20);
            foreach (char c in readable)
            {
                name.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' ? c : '_');
            }

            // Keep the whole name well under every filesystem's component limit.
            if (name.Length > 64)
            {
                name.Length = 64;
            }

            name.Append('_').Append(owner ?? key.Substring(hash + 1)).Append('-').Append(ShortHash(key));
            return name.ToString();
        }

        /// <summary><c>&lt;dataRoot&gt;/sites/&lt;site folder&gt;</c> (not created).</summary>
        public static string SiteDirectory(string dataRoot, string baseUrl, int userId)
        {
            if (string.IsNullOrWhiteSpace(dataRoot))
            {
                throw new ArgumentException("The data root is empty.", nameof(dataRoot));
            }

            return Path.Combine(Path.GetFullPath(dataRoot), "sites", SiteFolderName(baseUrl, userId));
        }

        /// <summary>
        /// Replaces <paramref name="path"/> with <paramref name="contents"/> so that a crash leaves either the old file or the
        /// new one, never a mix: write a temp file in the same folder, flush it to disk, then rename it over the target.
        /// </summary>
        public static void WriteAllBytesAtomic(string path, byte[] contents)
        {
            string fullPath = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(fullPath)!;
            Directory.CreateDirectory(folder);
            string temp = Path.Combine(folder, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(contents, 0, contents.Length);
                    stream.Flush(flushToDisk: true);
                }

                MoveOver(temp, fullPath);
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }

        private static void MoveOver(string source, string target)
        {
#if NETSTANDARD2_0
            // No File.Move(overwrite) here: File.Replace is an atomic rename over an existing file (rename(2) on Unix,
            // ReplaceFile on Windows) but needs the target to exist, and File.Move only works when it does not.
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    if (File.Exists(target))
                    {
                        File.Replace(source, target, destinationBackupFileName: null);
                    }
                    else
                    {
                        File.Move(source, target);
                    }

                    return;
                }
                catch (IOException) when (attempt < 3)
                {
                    // Another writer created or removed the target between the check and the move: look again.
                }
            }
#else
            File.Move(source, target, overwrite: true);
#endif
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static string ShortHash(string text)
        {
            using var sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var hex = new StringBuilder(8);
            for (int i = 0; i < 4; i++)
            {
                hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            }

            return hex.ToString();
        }
    }
}
