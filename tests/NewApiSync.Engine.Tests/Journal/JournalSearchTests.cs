using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using Xunit;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Journal
{
    /// <summary>
    /// -Search skips lines whose bytes cannot hold the text before parsing them (issue 16). Whatever it skips, a search
    /// must return exactly the records a full read returns filtered the way ResultQuery.Search is documented: a
    /// case-insensitive ordinal substring of the channel name, the id as text or the error.
    /// </summary>
    public sealed class JournalSearchTests : IDisposable
    {
        private static readonly string[] Names =
        {
            "channel-500", "Channel-5000", "CHANNEL-50", "OpenAI main", "quote \" name", "back\\slash", "tab\there",
            "Übersetzer-Kanal", "über-kanal", "渠道-500", "ſtream (long s)", "dotless ı", "Kelvin \u212A", "emoji 😀 ch",
            "<html> & 'apostrophe'", "intent", "run-end", "plain-ascii",
        };

        private readonly TempDataRoot _root = new();
        private readonly SyncJournal _journal;
        private readonly List<string> _warnings = new();

        public JournalSearchTests()
        {
            _journal = OpenJournal(_root.Path, _warnings);

            // A finished run with every name; some failed with errors of their own.
            NewApiSyncRun finished = Header(Epoch);
            using (JournalRunWriter writer = _journal.BeginRun(finished))
            {
                for (int i = 0; i < Names.Length; i++)
                {
                    NewApiSyncResult result = Result(finished, 100 + i, i % 3 == 0 ? ChannelResultStatus.Failed : ChannelResultStatus.Succeeded,
                        error: i % 3 == 0 ? "Quota exceeded for «" + Names[(i + 1) % Names.Length] + "»" : null);
                    result.ChannelName = Names[i];
                    writer.Append(result);
                }

                writer.Complete(writer.Summary(Epoch.AddMinutes(5)));
            }

            // A run that stopped with intents open: one settled by its outcome, two never (they become records).
            NewApiSyncRun interrupted = Header(Epoch.AddHours(1));
            using (JournalRunWriter writer = _journal.BeginRun(interrupted))
            {
                writer.AppendIntent(Named(Result(interrupted, 7, ChannelResultStatus.Cancelled), "channel-500 pending"));
                writer.Append(Named(Result(interrupted, 8, ChannelResultStatus.Succeeded), "unrelated"));
                writer.Append(Named(Result(interrupted, 7, ChannelResultStatus.Succeeded), "renamed"));
                writer.AppendIntent(Named(Result(interrupted, 9, ChannelResultStatus.Cancelled), "Ünïcødé pending"));
                writer.Append(Named(Result(interrupted, 10, ChannelResultStatus.Succeeded), "after the intent"));
                writer.AppendIntent(Named(Result(interrupted, 11, ChannelResultStatus.Cancelled), "plain pending"));
            }

            // Lines another tool wrote with JSON escapes for plain letters: the bytes do not show the text, the values do.
            NewApiSyncRun escaped = WriteRun(_journal, Epoch.AddHours(2), 3);
            string file = Path.Combine(_journal.RunsDirectory, escaped.RunId + ".jsonl");
            File.AppendAllText(file,
                "{\"type\":\"channel\",\"runId\":\"" + escaped.RunId + "\",\"kind\":\"Sync\",\"channelId\":41,\"channelName\":\"\\u0063hannel-500 escaped\",\"status\":\"Succeeded\"}\n" +
                "{\"type\":\"channel\",\"runId\":\"" + escaped.RunId + "\",\"kind\":\"Sync\",\"channelId\":42,\"channelName\":\"x\",\"status\":\"Failed\",\"error\":\"\\u0051UOTA \\u00fcber\"}\n",
                new UTF8Encoding(false));
        }

        public void Dispose() => _root.Dispose();

        public static IEnumerable<object[]> Searches() => new[]
        {
            "channel-500", "CHANNEL-5", "channel", "500", "10", "quota", "QUOTA", "über", "ÜBER", "ü", "Ü", "渠道", "\"", "\\", "\t",
            "s", "S", "k", "K", "i", "I", "😀", "<html>", "&", "'", "intent", "run-end", "pending", "PENDING", "escaped", "zzz", "«",
        }.Select(s => new object[] { s });

        [Theory]
        [MemberData(nameof(Searches))]
        public void Search_Returns_What_A_Full_Read_Filtered_By_The_Text_Returns(string search)
        {
            var everything = new ResultQuery { Last = 10 };
            string[] expected = _journal.ReadResults(everything)
                .Where(r => r.ChannelId.ToString(CultureInfo.InvariantCulture).IndexOf(search, StringComparison.OrdinalIgnoreCase) >= 0 ||
                            (r.ChannelName?.IndexOf(search, StringComparison.OrdinalIgnoreCase) ?? -1) >= 0 ||
                            (r.Error?.IndexOf(search, StringComparison.OrdinalIgnoreCase) ?? -1) >= 0)
                .Select(Describe)
                .ToArray();

            string[] found = _journal.ReadResults(new ResultQuery { Last = 10, Search = search }).Select(Describe).ToArray();

            Assert.Equal(expected, found);
            Assert.Empty(_warnings);
        }

        [Theory]
        [InlineData("channel-500", new[] { 41, 100, 101 })] // an escaped \u0063 still matches; 7's intent was settled by an outcome of another name
        [InlineData("über", new[] { 42, 106, 107, 108 })] // case-insensitive beyond ASCII, in names and errors (42's escaped)
        [InlineData("Ü", new[] { 9, 42, 106, 107, 108 })]
        [InlineData("pending", new[] { 9, 11 })] // intents that never got an outcome are records of their own
        [InlineData("\"", new[] { 103, 104 })] // 103's error quotes 104's name
        [InlineData("\\", new[] { 105 })]
        public void Search_Finds_Escaped_Unicode_And_Pending_Records(string search, int[] expected)
        {
            int[] found = _journal.ReadResults(new ResultQuery { Last = 10, Search = search }).Select(r => r.ChannelId).OrderBy(id => id).ToArray();
            Assert.Equal(expected, found);
        }

        [Fact]
        public void The_Line_Test_Only_Rejects_Plain_Ascii_Channel_Lines_Without_The_Text()
        {
            LineSearch search = LineSearch.For("Main")!;
            Assert.True(search.CannotMatch("{\"type\":\"channel\",\"channelId\":1,\"channelName\":\"other\"}"u8));
            Assert.False(search.CannotMatch("{\"type\":\"channel\",\"channelId\":1,\"channelName\":\"my MAIN\"}"u8));
            Assert.False(search.CannotMatch("{\"type\":\"channel\",\"channelId\":1,\"channelName\":\"\\u006dain\"}"u8));
            Assert.False(search.CannotMatch(Encoding.UTF8.GetBytes("{\"type\":\"channel\",\"channelId\":1,\"channelName\":\"ü\"}")));
            Assert.False(search.CannotMatch("{\"type\":\"intent\",\"channelId\":1,\"channelName\":\"other\"}"u8));
            Assert.False(search.CannotMatch("{\"type\":\"run-end\"}"u8));
            Assert.Null(LineSearch.For("ü"));
            Assert.Null(LineSearch.For(""));
        }

        private static NewApiSyncResult Named(NewApiSyncResult result, string name)
        {
            result.ChannelName = name;
            return result;
        }

        private static string Describe(NewApiSyncResult r) => $"{r.RunId}/{r.ChannelId}/{r.Status}/{r.ChannelName}/{r.Error}";
    }
}
