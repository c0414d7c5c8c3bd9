using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NewApiSync.Engine.Journal
{
    /// <summary>
    /// Tells a journal file from things that only look like one in the runs folder: a symbolic link (to /dev/zero, which
    /// never ends, or anywhere else), a FIFO (whose open blocks until someone writes to it), a socket or a device. The
    /// journal writer only ever creates regular files, so anything else is damage to skip, and it must be recognised
    /// without a blocking open.
    /// </summary>
    internal static class JournalFileKind
    {
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private static readonly bool IsMac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>Why <paramref name="path"/> is not a regular file, or null when it is one (or is gone, which callers handle).</summary>
        public static string? NotRegularReason(string path)
        {
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"not readable ({ex.Message})";
            }

            if ((attributes & FileAttributes.Directory) != 0)
            {
                return "a folder, not a file";
            }

            if ((attributes & FileAttributes.ReparsePoint) != 0)
            {
                return "a symbolic link (the journal writes only regular files)";
            }

            return IsWindows ? null : UnixSpecialFileReason(path);
        }

        // open(2) with O_NONBLOCK returns at once even for a FIFO without a writer; a FIFO, socket or terminal cannot seek.
        private static string? UnixSpecialFileReason(string path)
        {
            int flags = IsMac ? MacNonBlock | MacCloseOnExec : LinuxNonBlock | LinuxCloseOnExec;
            int fd;
            try
            {
                fd = Open(path, flags);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }

            if (fd < 0)
            {
                // The ordinary open that follows reports why (gone, no permission).
                return null;
            }

            using var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            try
            {
                using var stream = new FileStream(handle, FileAccess.Read, 1);
                return stream.CanSeek ? null : "not a regular file (a pipe, socket or device)";
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or NotSupportedException)
            {
                return "not a regular file (" + ex.Message + ")";
            }
        }

        private const int LinuxNonBlock = 0x800, LinuxCloseOnExec = 0x80000;
        private const int MacNonBlock = 0x4, MacCloseOnExec = 0x1000000;

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int Open(byte[] nullTerminatedUtf8Path, int flags);

        private static int Open(string path, int flags) => Open(System.Text.Encoding.UTF8.GetBytes(path + "\0"), flags);
    }
}
