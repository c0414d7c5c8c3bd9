using System.Runtime.CompilerServices;

namespace NewApiSync.Engine.Internal
{
    /// <summary>
    /// Method options for the few loops that run once per journal line or per model name. A command runs in a fresh
    /// process, where tiered compilation would run these loops as unoptimized code for most of the first query (issue 16:
    /// a cold -Search took 1.5–2 s, of which about 1 s was that); compiling them optimized at once costs a few milliseconds.
    /// </summary>
    internal static class HotPath
    {
#if NET8_0_OR_GREATER
        public const MethodImplOptions Optimized = MethodImplOptions.AggressiveOptimization;
#else
        public const MethodImplOptions Optimized = 0;
#endif
    }
}
