namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// netstandard2.0 lacks this attribute; the compiler only needs it by name to emit a module initializer, and both
    /// .NET Framework and .NET run one (see NewApiSync.PowerShell.Internal.ModuleInitializer).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    internal sealed class ModuleInitializerAttribute : Attribute
    {
    }
}
