using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace NewApiSync.LoadContext
{
    /// <summary>
    /// The load context of the module's engine on PowerShell 7. The cmdlet assembly (bin/netstandard2.0, the manifest's
    /// nested module) sits in the default context beside PowerShell, because that is where Import-Module loads a binary
    /// module; everything it calls lives here instead: NewApiSync.Engine and NewApiSync.Sandbox, and through them
    /// Polly.Core and System.Threading.RateLimiting, each loaded from this assembly's folder (bin/net8.0). Another
    /// module's versions of those in the default context never meet ours.
    /// <para>
    /// The default context does not know the engine, so it asks its Resolving event, where <see cref="Attach"/>
    /// answers the two names the cmdlet assembly references and nothing else: another module's request for Polly.Core
    /// is never served our copy. The event comes before .NET's fallback for assemblies loaded from a path, which would
    /// otherwise take the netstandard2.0 engine beside the cmdlets into the default context.
    /// </para>
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        /// <summary>The assemblies the cmdlet assembly references directly; the rest are their dependencies.</summary>
        private static readonly string[] EntryAssemblies = { "NewApiSync.Engine", "NewApiSync.Sandbox" };

        private static readonly object Gate = new object();
        private static ModuleLoadContext? _instance;

        private readonly string _binFolder;

        private ModuleLoadContext(string binFolder)
            : base("NewApiSync", isCollectible: false)
        {
            _binFolder = binFolder;
        }

        /// <summary>
        /// Answers the default context's requests for the engine and the sandbox from this context. Called by the
        /// cmdlet assembly before it first touches either (its module initializer); calling it again does nothing.
        /// There is no detaching: the cmdlet assembly stays loaded after Remove-Module, and its metadata still names the
        /// engine (NewApiSync.PowerShell.Internal.ModuleInitializer says why that matters).
        /// </summary>
        public static void Attach()
        {
            lock (Gate)
            {
                if (_instance is null)
                {
                    string binFolder = Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location)
                        ?? throw new InvalidOperationException("The NewApiSync load context cannot tell which folder it was loaded from.");
                    _instance = new ModuleLoadContext(binFolder);
                    Default.Resolving += ResolveEntryAssembly;
                }
            }
        }

        private static Assembly? ResolveEntryAssembly(AssemblyLoadContext requester, AssemblyName assemblyName)
        {
            if (Array.IndexOf(EntryAssemblies, assemblyName.Name) < 0)
            {
                return null;
            }

            ModuleLoadContext? instance;
            lock (Gate)
            {
                instance = _instance;
            }

            return instance?.LoadFromAssemblyName(assemblyName);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // This assembly stays in the default context (it was loaded there); never a second copy here.
            if (string.Equals(assemblyName.Name, typeof(ModuleLoadContext).Assembly.GetName().Name, StringComparison.Ordinal))
            {
                return null;
            }

            string candidate = Path.Combine(_binFolder, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
