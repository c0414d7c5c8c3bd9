using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace NewApiSync.Benchmarks
{
    /// <summary>
    /// How long Import-Module takes against the ideal, importing an empty script module (manifest + psm1, nothing to
    /// load). In the PowerShell 7.6 engine hosted here: "cold" is the first import in the process (assembly loading and
    /// JIT), "warm" the median of later imports into fresh runspaces. This process references the engine itself, so
    /// here the cmdlets bind to that copy and the load context is not used. What a user pays is the third figure:
    /// Import-Module timed inside new pwsh processes, the module and the empty one taking turns so that a busy moment
    /// of the machine falls on both, each with its own start-up profile.
    /// </summary>
    internal static class ImportTime
    {
        public static IEnumerable<Figure> Measure(int warmRounds = 7)
        {
            string manifest = Path.Combine(RepositoryRoot(), "out", "NewApiSync", "NewApiSync.psd1");
            if (!File.Exists(manifest))
            {
                yield return new Figure("Import", "Import-Module NewApiSync", "not measured", Note: "build NewApiSync.PS.sln first");
                yield break;
            }

            string empty = EmptyModule();
            try
            {
                // A throwaway runspace first, so the engine's own start-up is charged to neither module.
                WarmUpEngine();
                double emptyCold = Seconds(empty);
                double cold = Seconds(manifest);
                double emptyWarm = Median(Enumerable.Range(0, warmRounds).Select(_ => Seconds(empty)));
                double warm = Median(Enumerable.Range(0, warmRounds).Select(_ => Seconds(manifest)));
                yield return new Figure("Import", "Import-Module NewApiSync, cold (first in process)", Report.Seconds(cold), Report.Seconds(emptyCold), cold / emptyCold,
                    Note: "ideal: an empty script module, also cold; the engine comes from this process's own references");
                yield return new Figure("Import", "Import-Module NewApiSync, warm (median of fresh runspaces)", Report.Seconds(warm), Report.Seconds(emptyWarm), warm / emptyWarm,
                    Note: "ideal: an empty script module");

                // What a user pays: Import-Module timed inside a new pwsh (the repository's local tool), load context included.
                if (FreshPwshMedians(manifest, empty, FreshRounds) is (double f, double fe))
                {
                    yield return new Figure("Import", $"Import-Module NewApiSync in a fresh pwsh (median of {FreshRounds})", Report.Seconds(f), Report.Seconds(fe), f / fe,
                        Note: $"goal ≤ 0.15 s absolute ({(f <= 0.15 ? "met" : "missed")}); ideal: the empty script module in a fresh pwsh, in alternate processes");
                }
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(empty)!, recursive: true);
            }
        }

        private const int FreshRounds = 15;

        /// <summary>
        /// The medians over fresh `dotnet pwsh` processes of Import-Module's own time for <paramref name="manifest"/> and
        /// <paramref name="ideal"/>, measured inside each process so the process start is not counted, the two modules
        /// in alternate processes; null when the local tool is not restored.
        /// </summary>
        /// <remarks>
        /// pwsh keeps a start-up JIT profile (StartupProfileData-NonInteractive in its cache folder) written by the last
        /// process to exit and replayed by the next. Sharing one would make each module start from the other's profile,
        /// so each gets a cache folder of its own, as on a machine that imports the same module every day, and one
        /// unmeasured run first to write it.
        /// </remarks>
        private static (double Module, double Ideal)? FreshPwshMedians(string manifest, string ideal, int rounds)
        {
            string caches = Path.Combine(Path.GetTempPath(), "nas-import-cache-" + Guid.NewGuid().ToString("N"));
            string moduleCache = Path.Combine(caches, "module");
            string idealCache = Path.Combine(caches, "ideal");
            try
            {
                if (FreshPwshSeconds(manifest, moduleCache) is null || FreshPwshSeconds(ideal, idealCache) is null)
                {
                    return null;
                }

                var module = new List<double>();
                var idealSeconds = new List<double>();
                for (int i = 0; i < rounds; i++)
                {
                    if (FreshPwshSeconds(manifest, moduleCache) is not double m || FreshPwshSeconds(ideal, idealCache) is not double e)
                    {
                        return null;
                    }

                    module.Add(m);
                    idealSeconds.Add(e);
                }

                return (Median(module), Median(idealSeconds));
            }
            finally
            {
                if (Directory.Exists(caches))
                {
                    Directory.Delete(caches, recursive: true);
                }
            }
        }

        private static double? FreshPwshSeconds(string manifest, string cacheFolder)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepositoryRoot(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["XDG_CACHE_HOME"] = cacheFolder;
            foreach (string argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", $"$clock = [Diagnostics.Stopwatch]::StartNew(); Import-Module -Name '{manifest}' -ErrorAction Stop; $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)" })
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && double.TryParse(output.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value)
                ? value
                : null;
        }

        private static double Seconds(string manifest)
        {
            using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop");
            var clock = Stopwatch.StartNew();
            ps.Invoke();
            return clock.Elapsed.TotalSeconds;
        }

        private static void WarmUpEngine()
        {
            using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript("Get-Command -Name Import-Module | Out-Null").Invoke();
        }

        private static string EmptyModule()
        {
            string folder = Path.Combine(Path.GetTempPath(), "nas-empty-" + Guid.NewGuid().ToString("N"), "Empty");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "Empty.psm1"), "# nothing\n");
            File.WriteAllText(Path.Combine(folder, "Empty.psd1"), "@{ RootModule = 'Empty.psm1'; ModuleVersion = '1.0.0'; FunctionsToExport = @(); CmdletsToExport = @() }\n");
            return Path.Combine(folder, "Empty.psd1");
        }

        private static double Median(IEnumerable<double> values)
        {
            double[] sorted = values.OrderBy(v => v).ToArray();
            return sorted[sorted.Length / 2];
        }

        private static string RepositoryRoot()
        {
            for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "NewApiSync.PS.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("Cannot find the repository root above " + AppContext.BaseDirectory);
        }
    }
}
