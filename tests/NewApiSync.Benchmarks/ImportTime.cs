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
    /// How long Import-Module takes, in the PowerShell 7.6 engine hosted here, against the ideal: importing an empty
    /// module of the same shape (manifest + psm1). "Cold" is the first import in the process (assembly loading and
    /// JIT, what a new pwsh pays); "warm" the median of later imports into fresh runspaces.
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
                    Note: "ideal: an empty module of the same shape, also cold");
                yield return new Figure("Import", "Import-Module NewApiSync, warm (median of fresh runspaces)", Report.Seconds(warm), Report.Seconds(emptyWarm), warm / emptyWarm,
                    Note: "ideal: an empty module of the same shape");

                // What a user pays: Import-Module timed inside a new pwsh (the repository's local tool), load context included.
                double? freshEmpty = FreshPwshMedian(empty, warmRounds);
                double? fresh = FreshPwshMedian(manifest, warmRounds);
                if (fresh is double f && freshEmpty is double fe)
                {
                    yield return new Figure("Import", "Import-Module NewApiSync in a fresh pwsh (median)", Report.Seconds(f), Report.Seconds(fe), f / fe,
                        Note: $"goal ≤ 0.15 s absolute ({(f <= 0.15 ? "met" : "missed")}); ideal: the empty module in a fresh pwsh");
                }
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(empty)!, recursive: true);
            }
        }

        /// <summary>
        /// The median over fresh `dotnet pwsh` processes of Import-Module's own time, measured inside each process so
        /// the process start is not counted; null when the local tool is not restored.
        /// </summary>
        private static double? FreshPwshMedian(string manifest, int rounds)
        {
            var seconds = new List<double>();
            for (int i = 0; i < rounds; i++)
            {
                var start = new ProcessStartInfo("dotnet")
                {
                    WorkingDirectory = RepositoryRoot(),
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (string argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", $"$clock = [Diagnostics.Stopwatch]::StartNew(); Import-Module -Name '{manifest}' -ErrorAction Stop; $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)" })
                {
                    start.ArgumentList.Add(argument);
                }

                using Process process = Process.Start(start)!;
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0 || !double.TryParse(output.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value))
                {
                    return null;
                }

                seconds.Add(value);
            }

            return Median(seconds);
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
