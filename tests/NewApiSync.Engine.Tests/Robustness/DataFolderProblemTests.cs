using System;
using System.IO;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Storage;
using NewApiSync.Engine.Tests.Journal;
using Xunit;

namespace NewApiSync.Engine.Tests.Robustness
{
    /// <summary>A data folder that cannot be used is described in words, and settings.json as a folder is named.</summary>
    public sealed class DataFolderProblemTests : IDisposable
    {
        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        [Fact]
        public void A_Data_Root_That_Is_A_File_Is_Refused_And_Described()
        {
            string file = Path.Combine(_root.Path, "file");
            File.WriteAllText(file, "x");
            var ex = Assert.Throws<IOException>(() => DataDirectory.ThrowIfNotFolder(file));
            Assert.Equal("it is a file, not a folder.", DataDirectory.DescribeProblem(ex, file));
            DataDirectory.ThrowIfNotFolder(_root.Path);
        }

        [Theory]
        [InlineData(28, "the disk is full")]
        [InlineData(0x70, "the disk is full")]
        [InlineData(30, "it is read-only")]
        public void Io_Errors_Are_Named_By_Their_Cause(int code, string expected)
        {
            var ex = new IOException("No space left on device", code);
            Assert.StartsWith(expected, DataDirectory.DescribeProblem(ex, _root.Path));
        }

        [Fact]
        public void Settings_Json_Being_A_Folder_Is_Invalid_Data_Naming_It()
        {
            Directory.CreateDirectory(Path.Combine(_root.Path, SyncSettingsStore.FileName));
            var ex = Assert.Throws<InvalidDataException>(() => new SyncSettingsStore(_root.Path).Load());
            Assert.Contains("settings.json' is a folder", ex.Message);
        }
    }
}
