using System;
using System.IO;

namespace NewApiSync.Engine.Tests.Journal
{
    /// <summary>A fresh data root under the system temp folder for one test, deleted afterwards (never $HOME).</summary>
    public sealed class TempDataRoot : IDisposable
    {
        public TempDataRoot()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "newapisync-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
