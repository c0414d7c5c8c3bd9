using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// Import and removal hooks of the module. This assembly is the manifest's nested module on both editions (one
    /// netstandard2.0 build in bin/netstandard2.0), so it decides where the engine comes from.
    /// <para>
    /// PowerShell 7: the engine, the sandbox and their dependencies come from bin/net8.0 through a load context of
    /// their own (src/NewApiSync.LoadContext), so another module's Polly.Core or System.Threading.RateLimiting never
    /// collides with ours. The load context must answer before anything here first touches the engine, so it is
    /// attached by the assembly's module initializer, which the runtime runs before any other code of this assembly.
    /// </para>
    /// <para>
    /// No engine value types in the public types' layout: Import-Module lists this assembly's public types before any
    /// of its code runs, and .NET then loads whatever their layout needs. A field of an engine enum (an auto-property's
    /// hidden one included), a generic constraint on an engine type or an engine base class would make it fetch the
    /// engine there, before the load context answers, and take the netstandard2.0 engine beside this assembly into
    /// the default context. Such parameters keep their value as a number instead; ModuleLayoutTests checks the rule.
    /// </para>
    /// <para>
    /// Windows PowerShell 5.1 runs on .NET Framework, which has no binding redirects for a module's dependencies:
    /// System.Text.Json asks for System.Runtime.CompilerServices.Unsafe 4.0.4.1 while the folder holds a newer build,
    /// and the load fails. So on 5.1 a failed load is answered from our bin folder, but only when one of our own
    /// assemblies asked: another module's requests are never served our copies.
    /// </para>
    /// <para>
    /// PowerShell resolves a type literal such as [NewApiSync.Engine.Results.NewApiSyncResult] only among the default
    /// load context's assemblies, so on PowerShell 7 every public type of the module is registered as a type
    /// accelerator under its full name while the module is imported.
    /// </para>
    /// <para>
    /// Remove-Module stops the sandbox the session started (its listener and throwaway folder would otherwise outlive
    /// the module) and, once no session holds the module, removes the type accelerators (PowerShell 7) or unhooks the
    /// resolver (5.1). On PowerShell 7 the load context stays attached: this assembly stays loaded in the default
    /// context, and PowerShell still resolves the engine types its metadata names (a command's OutputType, kept in a
    /// CommandInfo from before the removal) by name through that context; unanswered, the default context would take
    /// the netstandard2.0 engine beside this assembly for good, and a later import would meet two engines.
    /// </para>
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string BinFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? string.Empty;
        private static readonly bool OnDotNetFramework =
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        private static readonly object Gate = new object();
        private static int _imports;
        private static bool _resolverHooked;
        private static Type? _loadContext;

        /// <summary>Run by the runtime before any other code of this assembly (see the class remarks).</summary>
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void HookResolverBeforeFirstUse()
        {
            try
            {
                HookResolver();
            }
            catch (LoadContextUnavailableException)
            {
                // A throw here becomes "The type initializer for '<Module>' threw an exception", the only thing
                // Import-Module would show, and the runtime repeats it at every later use of this assembly in the
                // process, even once the file is repaired. OnImport, which runs next, tries again and reports the cause.
            }
        }

        // The count and what it guards change under one lock: runspaces import and remove the module concurrently
        // (ForEach-Object -Parallel), and the last removal must not take the accelerators (or, on 5.1, the resolver)
        // from a runspace that imported in the meantime.
        public void OnImport()
        {
            lock (Gate)
            {
                HookResolver();
                if (++_imports == 1 && !OnDotNetFramework)
                {
                    TypeAccelerators.Register();
                }
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            SandboxSession.StopForModuleRemoval(ModuleSession.Current);
            lock (Gate)
            {
                if (--_imports != 0)
                {
                    return;
                }

                if (OnDotNetFramework)
                {
                    UnhookResolver();
                }
                else
                {
                    TypeAccelerators.Unregister();
                }
            }
        }

        private static void HookResolver()
        {
            lock (Gate)
            {
                if (_resolverHooked)
                {
                    return;
                }

                if (OnDotNetFramework)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveForModuleAssemblies;
                }
                else
                {
                    AttachLoadContext();
                }

                _resolverHooked = true;
            }
        }

        /// <summary>Windows PowerShell 5.1 only: PowerShell 7 keeps the load context attached (see the class remarks).</summary>
        private static void UnhookResolver()
        {
            lock (Gate)
            {
                if (_resolverHooked)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= ResolveForModuleAssemblies;
                    _resolverHooked = false;
                }
            }
        }

        /// <summary>
        /// The load context is built for net8.0 (AssemblyLoadContext is not in netstandard2.0), so this build reaches it
        /// by name: one small assembly from bin/net8.0 enters the default context beside this one.
        /// </summary>
        private static void AttachLoadContext()
        {
            string path = Path.Combine(Path.GetDirectoryName(BinFolder) ?? BinFolder, "net8.0", "NewApiSync.LoadContext.dll");
            try
            {
                _loadContext ??= Assembly.LoadFrom(path).GetType("NewApiSync.LoadContext.ModuleLoadContext", throwOnError: true)!;
                MethodInfo attach = _loadContext.GetMethod("Attach", BindingFlags.Public | BindingFlags.Static)
                    ?? throw new MissingMethodException("NewApiSync.LoadContext.ModuleLoadContext", "Attach");
                attach.Invoke(null, null);
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is TypeLoadException || e is MissingMethodException || e is TargetInvocationException)
            {
                // A missing, damaged or foreign file: without its load context the module cannot reach its engine.
                throw new LoadContextUnavailableException(path, e is TargetInvocationException { InnerException: Exception inner } ? inner : e);
            }
        }

        /// <summary>
        /// Import-Module's error when bin/net8.0/NewApiSync.LoadContext.dll cannot be loaded: names the file and what to
        /// do, with its own ErrorId (PowerShell takes the record of an exception that carries one).
        /// </summary>
        private sealed class LoadContextUnavailableException : FileLoadException, IContainsErrorRecord
        {
            public LoadContextUnavailableException(string path, Exception cause)
                : base(MessageFor(path, cause), path, cause)
            {
                ErrorRecord = new ErrorRecord(this, "ModuleLoadContextUnavailable", ErrorCategory.ResourceUnavailable, path)
                {
                    ErrorDetails = new ErrorDetails(Message)
                    {
                        RecommendedAction = "Install the module again (Install-Module NewApiSync -Force), or copy its whole folder with bin/net8.0, then import it again.",
                    },
                };
            }

            public ErrorRecord ErrorRecord { get; }

            private static string MessageFor(string path, Exception cause) => File.Exists(path)
                ? $"NewApiSync cannot reach its engine: '{path}' is damaged or not the module's own file ({cause.GetType().Name}: {cause.Message.Trim()})."
                : $"NewApiSync cannot reach its engine: '{path}' is missing.";
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
