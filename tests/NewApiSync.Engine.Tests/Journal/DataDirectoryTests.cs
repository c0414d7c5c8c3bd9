using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NewApiSync.Engine.Storage;
using Xunit;

namespace NewApiSync.Engine.Tests.Journal
{
    public sealed class DataDirectoryTests : IDisposable
    {
        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        private static Func<string, string?> Environment(params (string Name, string Value)[] variables)
        {
            Dictionary<string, string> values = variables.ToDictionary(v => v.Name, v => v.Value);
            return name => values.TryGetValue(name, out string? value) ? value : null;
        }

        [Fact]
        public void NEWAPISYNC_DATA_Wins_Over_Every_Platform_Default()
        {
            string root = Path.Combine(_root.Path, "custom");
            Assert.Equal(root, DataDirectory.ResolveRoot(Environment(("NEWAPISYNC_DATA", root), ("XDG_DATA_HOME", "/xdg"), ("HOME", "/home/u")), false));
            Assert.Equal(root, DataDirectory.ResolveRoot(Environment(("NEWAPISYNC_DATA", root)), true));
        }

        [Fact]
        public void Unix_Uses_XDG_DATA_HOME_Else_Local_Share_And_Ignores_A_Relative_XDG_Path()
        {
            Assert.Equal(Path.Combine("/xdg", "NewApiSync"), DataDirectory.ResolveRoot(Environment(("XDG_DATA_HOME", "/xdg"), ("HOME", "/home/u")), false));
            Assert.Equal(Path.Combine("/home/u", ".local", "share", "NewApiSync"), DataDirectory.ResolveRoot(Environment(("HOME", "/home/u")), false));
            Assert.Equal(Path.Combine("/home/u", ".local", "share", "NewApiSync"),
                DataDirectory.ResolveRoot(Environment(("XDG_DATA_HOME", "relative/dir"), ("HOME", "/home/u")), false));
        }

        [Fact]
        public void Windows_Uses_LocalApplicationData()
        {
            string expected = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData), "NewApiSync");
            Assert.Equal(expected, DataDirectory.ResolveRoot(Environment(("XDG_DATA_HOME", "/xdg")), true));
        }

        [Theory]
        [InlineData("https://x.example", 1, "x.example_1-")]
        [InlineData("https://X.Example:8443/gateway/", 12, "x.example_8443_gateway_12-")]
        [InlineData("http://127.0.0.1:3000", 1, "localhost_3000_1-")]
        [InlineData("http://10.0.0.5:3000", 1, "10.0.0.5_3000_1-")]
        public void Site_Folder_Names_Are_Readable_And_Safe(string baseUrl, int userId, string prefix)
        {
            string name = DataDirectory.SiteFolderName(baseUrl, userId);
            Assert.StartsWith(prefix, name);
            Assert.Matches("^[a-z0-9._-]+-[0-9a-f]{8}$", name);
            Assert.Equal(prefix.Length + 8, name.Length);
        }

        [Fact]
        public void Site_Folder_Names_Tell_Apart_What_Differs_And_Ignore_Spelling()
        {
            string name = DataDirectory.SiteFolderName("https://x.example", 1);
            Assert.Equal(name, DataDirectory.SiteFolderName(" HTTPS://X.EXAMPLE/ ", 1));
            Assert.NotEqual(name, DataDirectory.SiteFolderName("http://x.example", 1));
            Assert.NotEqual(name, DataDirectory.SiteFolderName("https://x.example", 2));
            Assert.NotEqual(DataDirectory.SiteFolderName("https://x.example/a_b", 1), DataDirectory.SiteFolderName("https://x.example/a.b", 1));
            Assert.Equal("https://x.example#1", DataDirectory.SiteKey("https://X.example/", 1));
        }

        [Fact]
        public void A_Very_Long_Site_Address_Still_Makes_A_Short_Folder_Name()
        {
            string name = DataDirectory.SiteFolderName("https://x.example/" + new string('p', 300), 1);
            Assert.True(name.Length <= 64 + 2 + 9, name);
        }

        [Fact]
        public void A_Bad_Base_Url_Is_Rejected_By_The_Site_Address_Rules()
        {
            Assert.Throws<ArgumentException>(() => DataDirectory.SiteFolderName("x.example", 1));
            Assert.Throws<ArgumentException>(() => DataDirectory.SiteDirectory(" ", "https://x.example", 1));
        }

        [Fact]
        public void Atomic_Writes_Create_Then_Replace_The_File_And_Leave_No_Temp_File()
        {
            string path = Path.Combine(_root.Path, "sub", "state.json");
            DataDirectory.WriteAllBytesAtomic(path, Encoding.UTF8.GetBytes("first"));
            DataDirectory.WriteAllBytesAtomic(path, Encoding.UTF8.GetBytes("second"));

            Assert.Equal("second", File.ReadAllText(path));
            Assert.Equal(new[] { "state.json" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }

        [Fact]
        public void A_Reader_Holding_The_Old_File_Keeps_Reading_The_Old_Contents()
        {
            string path = Path.Combine(_root.Path, "state.json");
            DataDirectory.WriteAllBytesAtomic(path, Encoding.UTF8.GetBytes("old"));
            if (OperatingSystem.IsWindows())
            {
                return; // Windows refuses to replace a file that is open without FileShare.Delete; Unix swaps the name.
            }

            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            DataDirectory.WriteAllBytesAtomic(path, Encoding.UTF8.GetBytes("new"));
            Assert.Equal("old", reader.ReadToEnd());
            Assert.Equal("new", File.ReadAllText(path));
        }
    }
}
