using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Threading;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// Import and removal hooks of the module.
    /// <para>
    /// Windows PowerShell 5.1 runs on .NET Framework, which has no binding redirects for a module's dependencies:
    /// System.Text.Json asks for System.Runtime.CompilerServices.Unsafe 4.0.4.1 while the folder holds a newer build,
    /// and the load fails. So on 5.1 a failed load is answered from our bin folder, but only when one of our own
    /// assemblies asked: another module's requests are never served our copies. PowerShell 7 needs none of this; there
    /// the module lives in its own load context (src/NewApiSync.LoadContext).
    /// </para>
    /// <para>
    /// PowerShell resolves a type literal such as [NewApiSync.Engine.Results.NewApiSyncResult] only among the default
    /// load context's assemblies, so on PowerShell 7 every public type of the module is registered as a type
    /// accelerator under its full name while the module is imported.
    /// </para>
    /// <para>
    /// Remove-Module stops the sandbox the session started (its listener and throwaway folder would otherwise outlive
    /// the module) and, once no session holds the module, unhooks the resolver.
    /// </para>
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string BinFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;
        private static int _imports;

        public void OnImport()
        {
            if (Interlocked.Increment(ref _imports) != 1)
            {
                return;
            }

            if (IsDotNetFramework())
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveForModuleAssemblies;
            }
            else
            {
                TypeAccelerators.Register();
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            SandboxSession.StopForModuleRemoval(ModuleSession.Current);
            if (Interlocked.Decrement(ref _imports) != 0)
            {
                return;
            }

            if (IsDotNetFramework())
            {
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveForModuleAssemblies;
            }
            else
            {
                TypeAccelerators.Unregister();
            }
        }

        private static Assembly? ResolveForModuleAssemblies(object? sender, ResolveEventArgs args)
        {
            if (!IsModuleAssembly(args.RequestingAssembly))
            {
                return null;
            }

            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            string candidate = Path.Combine(BinFolder, name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }

        /// <summary>An assembly loaded from our bin folder: the cmdlets, the engine, the sandbox or a dependency of theirs.</summary>
        private static bool IsModuleAssembly(Assembly? assembly)
        {
            if (assembly is null || assembly.IsDynamic)
            {
                return false;
            }

            string? folder = Path.GetDirectoryName(assembly.Location);
            return folder is not null && string.Equals(Path.GetFullPath(folder), Path.GetFullPath(BinFolder), StringComparison.OrdinalIgnoreCase);
        }

        private static bool IsDotNetFramework() =>
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// The module's public types as accelerators named after their full names. PowerShell keeps its accelerator
        /// table in a non-public class; nothing is registered when it cannot be found, and only type literals suffer.
        /// </summary>
        private static class TypeAccelerators
        {
            private static readonly List<string> Registered = new List<string>();

            public static void Register()
            {
                Type? table = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
                MethodInfo? add = table?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
                if (add is null)
                {
                    return;
                }

                Assembly[] moduleAssemblies =
                {
                    typeof(ModuleInitializer).Assembly,
                    typeof(Engine.Api.NewApiConnection).Assembly,
                    typeof(Sandbox.SandboxServer).Assembly,
                };
                foreach (Assembly assembly in moduleAssemblies)
                {
                    foreach (Type type in assembly.GetExportedTypes())
                    {
                        add.Invoke(null, new object[] { type.FullName!, type });
                        Registered.Add(type.FullName!);
                    }
                }
            }

            public static void Unregister()
            {
                Type? table = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
                MethodInfo? remove = table?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
                foreach (string name in Registered)
                {
                    remove?.Invoke(null, new object[] { name });
                }

                Registered.Clear();
            }
        }
    }
}
