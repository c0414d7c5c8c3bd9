namespace NewApiSync.Sandbox
{
    // Placeholder: the sandbox server is being written (issue 2).
    internal static class SandboxPlaceholder { }
}
