using System;
using System.Linq;
using Xunit;

namespace NewApiSync.PowerShell.Tests.Hosting
{
    /// <summary>Tests that change process-wide environment variables (or start sandboxes) never run beside each other.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class EnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    /// <summary>Sets environment variables for one test and restores them afterwards.</summary>
    public sealed class EnvironmentScope : IDisposable
    {
        private readonly (string Name, string? Value)[] _saved;

        public EnvironmentScope(params (string Name, string? Value)[] values)
        {
            _saved = values.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var (name, value) in values)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        /// <summary>Clears the NEWAPI_* variables, so a developer's own settings never leak into a test.</summary>
        public static EnvironmentScope WithoutNewApiVariables() =>
            new EnvironmentScope(("NEWAPI_BASE_URL", null), ("NEWAPI_ACCESS_TOKEN", null), ("NEWAPI_USER_ID", null));

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
