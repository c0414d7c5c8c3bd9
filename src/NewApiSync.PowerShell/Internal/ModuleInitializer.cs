using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// Windows PowerShell 5.1 runs on .NET Framework, which has no binding redirects for a module's dependencies:
    /// System.Text.Json asks for System.Runtime.CompilerServices.Unsafe 4.0.4.1 while the folder holds a newer build,
    /// and the load fails. Resolving our own dependencies from our folder, whatever version was asked for, is the usual
    /// fix. PowerShell 7 needs none of this.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static readonly string BinFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;

        public void OnImport()
        {
            if (IsDotNetFramework())
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromModuleFolder;
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
            }
        }

        private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            string candidate = Path.Combine(BinFolder, name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }

        private static bool IsDotNetFramework() =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);
    }
}
