using System;
using System.Diagnostics;
using System.IO;

namespace NewApiSync.PowerShell.Tests.Hosting
{
    /// <summary>Runs one MSBuild target of src/NewApiSync.PowerShell (help generation, packaging) in a child dotnet process.</summary>
    public static class ModuleProjectBuild
    {
        public static string ProjectPath => Path.Combine(PowerShellSession.RepositoryRoot, "src", "NewApiSync.PowerShell", "NewApiSync.PowerShell.csproj");

        /// <summary>Runs <c>dotnet msbuild -t:target</c> with the given properties; returns the exit code and everything it printed.</summary>
        public static (int ExitCode, string Output) RunTarget(string target, params (string Name, string Value)[] properties)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("msbuild");
            start.ArgumentList.Add(ProjectPath);
            start.ArgumentList.Add("-t:" + target);
            start.ArgumentList.Add("-nologo");
            start.ArgumentList.Add("-p:Configuration=Release");
            foreach (var (name, value) in properties)
            {
                start.ArgumentList.Add($"-p:{name}={value}");
            }

            using Process process = Process.Start(start)!;
            // Both streams are drained at once, so neither can fill its pipe and stall the build.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet msbuild -t:{target} did not finish in 2 minutes.");
            }

            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
