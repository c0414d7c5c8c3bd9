using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Tests.Journal;
using Xunit;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Robustness
{
    /// <summary>Journal files a reader must survive: huge, endless, blocking, over-long lines and half-records.</summary>
    public sealed class DamagedJournalTests : IDisposable
    {
        private readonly TempDataRoot _root = new();
        private readonly List<string> _warnings = new();

        public void Dispose() => _root.Dispose();

        private static string RunPath(SyncJournal journal, string runId) => Path.Combine(journal.RunsDirectory, runId + ".jsonl");

        private static string LaterRunId(NewApiSyncRun run) => RunIds.New(run.StartedAt.AddMinutes(5));

        [Fact]
        public void A_Run_File_Over_2_GB_Is_Read_Without_Overflow()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 2, complete: false);
            string path = RunPath(journal, header.RunId);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                // Sparse: 2.2 GB of NUL bytes after the real lines, taking no disk space.
                stream.SetLength(stream.Length + 2_200_000_000L);
            }

            NewApiSyncRun run = Assert.Single(journal.ReadRuns());
            Assert.Equal(2, run.Succeeded);
            Assert.Equal(2, journal.ReadResults().Count());
            Assert.Null(journal.LastRun(RunKind.Sync, fullRunsOnly: true));
            Assert.Contains(_warnings, w => w.Contains("longer than"));
        }

        [Fact]
        public void An_Over_Long_Line_Is_Skipped_With_A_Warning_And_The_Others_Are_Kept()
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 2, complete: false);
            string path = RunPath(journal, header.RunId);
            string second = File.ReadAllLines(path)[1].Replace("\"channelId\":1", "\"channelId\":3");
            using (var stream = new FileStream(path, FileMode.Append))
            {
                byte[] padding = Encoding.ASCII.GetBytes(new string('x', 1024 * 1024));
                for (int i = 0; i < RunFile.MaxLineBytes / padding.Length + 1; i++)
                {
                    stream.Write(padding, 0, padding.Length);
                }

                byte[] tail = Encoding.UTF8.GetBytes("\n" + second + "\n");
                stream.Write(tail, 0, tail.Length);
            }

            Assert.Equal(new[] { 1, 2, 3 }, journal.ReadResults().Select(r => r.ChannelId).OrderBy(i => i));
            Assert.Contains(_warnings, w => w.Contains("line 4") && w.Contains("longer than 32 MiB"));
        }

        [Fact]
        public void A_Symbolic_Link_To_Dev_Zero_Is_Skipped_With_A_Warning()
        {
            if (IsWindows)
            {
                return; // FIFOs and /dev/zero are Unix things.
            }

            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 2);
            string link = RunPath(journal, LaterRunId(header));
            File.CreateSymbolicLink(link, "/dev/zero");

            NewApiSyncRun run = Assert.Single(journal.ReadRuns());
            Assert.Equal(header.RunId, run.RunId);
            Assert.Contains(_warnings, w => w.Contains(Path.GetFileName(link)) && w.Contains("symbolic link"));
        }

        [Fact]
        public void A_Fifo_Is_Skipped_With_A_Warning_Instead_Of_Hanging()
        {
            if (IsWindows)
            {
                return; // FIFOs and /dev/zero are Unix things.
            }

            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 2);
            string fifo = RunPath(journal, LaterRunId(header));
            using (Process mkfifo = Process.Start("mkfifo", fifo))
            {
                mkfifo.WaitForExit();
            }

            NewApiSyncRun run = Assert.Single(journal.ReadRuns());
            Assert.Equal(header.RunId, run.RunId);
            Assert.Equal(2, journal.ReadResults().Count());
            Assert.Equal(header.RunId, journal.LastRun(RunKind.Sync)!.RunId);
            Assert.Contains(_warnings, w => w.Contains(Path.GetFileName(fifo)) && w.Contains("not a regular file"));
        }

        [Theory]
        [InlineData("\"channelId\":1,", "no channelId")]
        [InlineData("\"status\":\"Succeeded\",", "no known status")]
        public void A_Channel_Line_Without_Its_Id_Or_Status_Is_Damage_Not_Channel_0_Succeeded(string removed, string warning)
        {
            SyncJournal journal = OpenJournal(_root.Path, _warnings);
            NewApiSyncRun header = WriteRun(journal, Epoch, 2, complete: false);
            string path = RunPath(journal, header.RunId);
            string[] lines = File.ReadAllLines(path);
            Assert.Contains(removed, lines[1]);
            lines[1] = lines[1].Replace(removed, string.Empty);
            File.WriteAllLines(path, lines);

            Assert.Equal(new[] { 2 }, journal.ReadResults().Select(r => r.ChannelId));
            Assert.Equal(1, Assert.Single(journal.ReadRuns()).Succeeded);
            Assert.Contains(_warnings, w => w.Contains("line 2") && w.Contains(warning));
        }

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
    }
}
