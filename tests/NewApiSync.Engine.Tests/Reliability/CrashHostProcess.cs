using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using NewApiSync.Engine.Storage;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>
    /// tests/NewApiSync.CrashHost run as a child <c>dotnet</c> process. Its settings travel in environment variables only:
    /// the token must never be on a command line, where every user of the machine can read it.
    /// </summary>
    internal static class CrashHostProcess
    {
        public static Process Start(string dataRoot, string baseUrl, int userId, string? token, params string[] args)
        {
            var start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(DllPath());
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment[DataDirectory.EnvironmentVariable] = dataRoot;
            start.Environment["NEWAPISYNC_CRASH_URL"] = baseUrl;
            start.Environment["NEWAPISYNC_CRASH_USER"] = userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (token is not null)
            {
                start.Environment["NEWAPISYNC_CRASH_TOKEN"] = token;
            }

            return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        }

        /// <summary>Reads the child's stdout until a line starting with <paramref name="prefix"/>; throws with stderr if it exits first.</summary>
        public static string WaitForLine(Process child, string prefix)
        {
            string? line;
            while ((line = child.StandardOutput.ReadLine()) is not null)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }

            child.WaitForExit(10_000);
            throw new InvalidOperationException($"The crash host ended without printing '{prefix}': {child.StandardError.ReadToEnd()}");
        }

        public static void KillAndWait(Process child)
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            child.WaitForExit(30_000);
        }

        private static string DllPath()
        {
            string directory = typeof(CrashHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "CrashHostDirectory").Value!;
            string dll = Path.GetFullPath(Path.Combine(directory, "NewApiSync.CrashHost.dll"));
            return File.Exists(dll) ? dll : throw new FileNotFoundException("The crash host is not built (it builds with the test project).", dll);
        }

        // dotnet test sets DOTNET_HOST_PATH; the test host itself usually runs under dotnet as well.
        private static string DotnetHost()
        {
            IEnumerable<string?> candidates = new[]
            {
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
                Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath : null,
            };
            return candidates.FirstOrDefault(File.Exists) ?? "dotnet";
        }
    }
}
