using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace NewApiSync.LoadContext
{
    /// <summary>
    /// The load context of the module's own assemblies on PowerShell 7. Any assembly whose file sits in the module's
    /// bin folder is loaded here, from that file; everything else (System.Management.Automation, the framework) comes
    /// from the default context, so the cmdlets and PowerShell share one set of PowerShell types.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private const string CmdletAssemblyName = "NewApiSync.PowerShell";

        private static readonly object Gate = new object();
        private static ModuleLoadContext? _instance;

        private readonly string _binFolder;

        private ModuleLoadContext(string binFolder)
            : base("NewApiSync", isCollectible: false)
        {
            _binFolder = binFolder;
        }

        /// <summary>
        /// True once the cmdlet assembly has been loaded in this process: a later import (Import-Module -Force, another
        /// runspace) may find an earlier copy of the module in its session to remove first.
        /// </summary>
        public static bool CmdletAssemblyLoaded
        {
            get
            {
                lock (Gate)
                {
                    return _instance is not null;
                }
            }
        }

        /// <summary>
        /// The cmdlet assembly, loaded in the module's context, for <c>Import-Module -Assembly</c>. Importing again
        /// (Import-Module -Force, a second runspace) returns the same assembly: a load context holds one copy of each.
        /// </summary>
        public static Assembly LoadCmdletAssembly()
        {
            lock (Gate)
            {
                if (_instance is null)
                {
                    string binFolder = Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location)
                        ?? throw new InvalidOperationException("The NewApiSync load context cannot tell which folder it was loaded from.");
                    _instance = new ModuleLoadContext(binFolder);
                }

                return _instance.LoadFromAssemblyName(new AssemblyName(CmdletAssemblyName));
            }
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
