using System;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// Every output type's default table and list views (module/NewApiSync.Format.ps1xml): the columns an admin scans
    /// for, at most 120 columns wide, and full model lists in readable text, never a .NET type name.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class FormattingTests
    {
        /// <summary>Script text that leaves one instance of each output type in $item (sandbox started first).</summary>
        public static TheoryData<string, string, string[], string[]> Views => new TheoryData<string, string, string[], string[]>
        {
            {
                "Channel",
                "$item = Get-NewApiChannel -Id 1",
                new[] { "Id", "Name", "Type", "Status", "Models", "Priority", "Tag", "OpenAI official", "Enabled" },
                new[] { "Models", "gpt-4o, gpt-4o-mini, gpt-4-turbo", "ModelCount" }
            },
            {
                "NewApiConnection",
                "$item = $sbx",
                new[] { "BaseUrl", "UserId", "ServerVersion", "Generation", "Sandbox", "v0.9.6-sandbox", "True" },
                new[] { "BaseUrl", "RequestTimeout", "30.0s", "IsSandbox", "True" }
            },
            {
                "NewApiSyncResult",
                "$item = [NewApiSync.Engine.Results.NewApiSyncResult]::new(); $item.ChannelId = 7; $item.ChannelName = 'Claude relay'; " +
                "$item.Status = 'Failed'; $item.OldModels = 'a-1', 'b-2'; $item.NewModels = 'a-1', 'c-3', 'd-4'; $item.AddedModels = 'c-3', 'd-4'; " +
                "$item.RemovedModels = @('b-2'); $item.Attempts = 3; $item.Error = 'upstream said no'; " +
                "$item.StartedAt = [DateTimeOffset]::new(2026, 1, 2, 3, 4, 5, [TimeSpan]::Zero); $item.FinishedAt = $item.StartedAt.AddSeconds(2.5)",
                new[] { "Id", "ChannelName", "Status", "Changed", "Models", "Message", "Claude relay", "+2 -1", "upstream said no" },
                new[] { "OldModels", "a-1, b-2", "NewModels", "a-1, c-3, d-4", "AddedModels", "c-3, d-4", "RemovedModels", "b-2" }
            },
            {
                "NewApiSyncRun",
                "$item = [NewApiSync.Engine.Results.NewApiSyncRun]::new(); $item.RunId = '20260102T030405000Z-abc123'; $item.Kind = 'Sync'; " +
                "$item.Mode = 'FailedOnly'; $item.StartedAt = [DateTimeOffset]::new(2026, 1, 2, 3, 4, 5, [TimeSpan]::Zero); " +
                "$item.FinishedAt = $item.StartedAt.AddSeconds(90); $item.Total = 12; $item.Succeeded = 9; $item.Failed = 2; $item.Skipped = 1; " +
                "$item.Changed = 4; $item.PlannedChannelIds = 3, 5, 8",
                new[] { "RunId", "Kind", "Mode", "Started", "Duration", "Total", "OK", "Fail", "Skip", "Cancel", "Changed", "Interrupted", "20260102T030405000Z-abc123", "FailedOnly", "90.0s" },
                new[] { "Succeeded", "Failed", "Skipped", "Cancelled", "PlannedChannelIds", "3, 5, 8" }
            },
            {
                "NewApiModelRedirectResult",
                "$item = [NewApiSync.Engine.Results.NewApiModelRedirectResult]::new(); $item.ChannelId = 4; $item.ChannelName = 'Gemini'; $item.Status = 'Updated'; " +
                "$item.Added = [NewApiSync.Engine.Channels.ModelMapping]::Parse('{\"gemini-2.5-pro\":\"google/gemini-2.5-pro\"}').Mapping; " +
                "$item.Unmatched = [NewApiSync.Engine.Channels.ModelMapping]::Parse('{\"gpt-4o\":\"NoCandidate\",\"o3\":\"NoCandidate\"}').Mapping; " +
                "$item.AddedModels = @('gemini-2.5-pro')",
                new[] { "Id", "ChannelName", "Status", "Added", "Replaced", "Unmatched", "Message", "Gemini", "Updated" },
                new[] { "gemini-2.5-pro -> google/gemini-2.5-pro", "gpt-4o -> NoCandidate, o3 -> NoCandidate", "AddedModels" }
            },
            {
                "StandardModel",
                "$item = [NewApiSync.Engine.Redirect.StandardModelCatalog]::All | Where-Object Name -EQ 'claude-4.5-sonnet'",
                new[] { "Name", "Vendor", "claude-4.5-sonnet", "Anthropic" },
                new[] { "Name", "Vendor", "claude-4.5-sonnet", "Anthropic" }
            },
            {
                "SyncSettings",
                "$item = [NewApiSync.Engine.Settings.SyncSettings]::new(); $item.StandardModels = 'gpt-4o', 'claude-4.5-sonnet'; $item.ExcludeModel = @('*-preview')",
                new[] { "AutoSync", "Interval", "Concurrency", "RequestsPerMinute", "Burst", "HistoryRetention", "06:00:00" },
                new[] { "StandardModels", "gpt-4o, claude-4.5-sonnet", "ExcludeModel", "*-preview", "MaxRetries", "PruneMissingTargets" }
            },
        };

        [Theory]
        [MemberData(nameof(Views))]
        public void Table_And_List_Views_Show_What_Matters_And_No_Type_Names(string typeName, string create, string[] tableText, string[] listText)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            string table = Render(ViewKind.Table, create, typeName);
            string list = Render(ViewKind.List, create, typeName);
            string byDefault = Render(ViewKind.Default, create, typeName);

            Assert.All(tableText, text => Assert.Contains(text, table));
            Assert.All(listText, text => Assert.Contains(text, list));
            Assert.All(new[] { table, list, byDefault }, text => Assert.DoesNotContain("System.", text));
            Assert.All(table.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 120, "Too wide: " + line));
        }

        [Fact]
        public void Channel_Lists_Show_One_Row_Per_Channel_With_Its_Model_Count()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            string table = Render(ViewKind.Default, "$item = Get-NewApiChannel", "Channel");
            string[] openAiRow = table.Split('\n').Single(l => l.Contains("OpenAI official")).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("1", openAiRow[0]);
            Assert.Equal("3", openAiRow[openAiRow.ToList().IndexOf("Enabled") + 1]); // gpt-4o, gpt-4o-mini, gpt-4-turbo
            Assert.Equal(12, table.Split('\n').Count(l => l.TrimStart().Length > 0 && char.IsDigit(l.TrimStart()[0])));
        }

        [Fact]
        public void Settings_Show_As_A_List_By_Default()
        {
            string shown = Render(ViewKind.Default, "$item = [NewApiSync.Engine.Settings.SyncSettings]::new()", "SyncSettings");
            Assert.Matches(@"RequestsPerMinute\s+: 20\n", shown);
        }

        private enum ViewKind
        {
            /// <summary>What a user sees: the module's views, the first defined for a type winning.</summary>
            Default,
            Table,
            List,
        }

        /// <summary>
        /// Renders $item through Out-Host. Format-Table and Format-List live in Microsoft.PowerShell.Utility, which the
        /// hosted engine lacks, so a table or list is chosen by loading only the module's views of that kind before the
        /// module (views loaded first win).
        /// </summary>
        private static string Render(ViewKind kind, string create, string typeName)
        {
            string? onlyViews = kind == ViewKind.Default ? null : ViewsOfKind(kind == ViewKind.Table ? "TableControl" : "ListControl");
            try
            {
                using var session = new PowerShellSession(configure: state =>
                {
                    if (onlyViews is not null)
                    {
                        state.Formats.Add(new SessionStateFormatEntry(onlyViews));
                    }
                });
                session.Run("$sbx = Start-NewApiSandbox\n" + create);
                Assert.False(session.Last.HadErrors, string.Join("; ", session.Last.Errors));
                Assert.EndsWith("." + typeName, session.Scalar<string>("@($item)[0].GetType().FullName"));

                int before = session.Host.RecordingUI.Lines.Count;
                session.Run("$item | Out-Host");
                Assert.False(session.Last.HadErrors, string.Join("; ", session.Last.Errors));
                // Header styling (ANSI escapes) is the host's business, not the view's.
                string text = Regex.Replace(string.Join("\n", session.Host.RecordingUI.Lines.Skip(before)), "\x1b\\[[0-9;]*m", string.Empty);
                Assert.False(string.IsNullOrWhiteSpace(text), $"Nothing rendered for {typeName} ({kind})");
                return text;
            }
            finally
            {
                if (onlyViews is not null)
                {
                    File.Delete(onlyViews);
                }
            }
        }

        /// <summary>A copy of the module's format file holding only its views of one control kind.</summary>
        private static string ViewsOfKind(string control)
        {
            XDocument views = XDocument.Load(Path.Combine(PowerShellSession.RepositoryRoot, "module", "NewApiSync.Format.ps1xml"));
            views.Descendants("View").Where(v => v.Element(control) is null).ToList().ForEach(v => v.Remove());
            string path = Path.Combine(Path.GetTempPath(), $"NewApiSync.{control}.{Guid.NewGuid():N}.Format.ps1xml");
            views.Save(path);
            return path;
        }
    }
}
