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
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(empty)!, recursive: true);
            }
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
