using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Storage;
using Xunit;
using static NewApiSync.Engine.Tests.Journal.JournalSamples;

namespace NewApiSync.Engine.Tests.Journal
{
    public sealed class SiteRunLockTests : IDisposable
    {
        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        private SiteRunLock? TryAcquire(TimeSpan wait, CancellationToken cancellationToken = default) =>
            SiteRunLock.TryAcquire(_root.Path, BaseUrl, UserId, wait, cancellationToken);

        [Fact]
        public void A_Second_Run_For_The_Same_Site_Is_Refused_And_Told_Who_Holds_The_Lock()
        {
            using SiteRunLock first = TryAcquire(TimeSpan.Zero)!;
            Assert.NotNull(first);

            Assert.Null(TryAcquire(TimeSpan.Zero));
            Assert.Null(TryAcquire(TimeSpan.FromMilliseconds(300)));

            RunLockHolder holder = SiteRunLock.ReadHolder(_root.Path, BaseUrl, UserId)!;
            Assert.Equal(Environment.ProcessId, holder.ProcessId);
            Assert.Equal("sync run", holder.Purpose);
            Assert.InRange(holder.StartedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
            Assert.Matches($"^a sync run started at .+ by process {Environment.ProcessId} on .+ is still running$", holder.ToString());
            Assert.Equal(Path.Combine(DataDirectory.SiteLockDirectory(_root.Path, BaseUrl), "run.lock"), first.LockFilePath);
        }

        [Fact]
        public void Releasing_The_Lock_Lets_The_Next_Run_In_And_Clears_The_Holder_Record()
        {
            SiteRunLock first = TryAcquire(TimeSpan.Zero)!;
            first.Dispose();
            first.Dispose();

            Assert.Null(SiteRunLock.ReadHolder(_root.Path, BaseUrl, UserId));
            using SiteRunLock? second = TryAcquire(TimeSpan.Zero);
            Assert.NotNull(second);
        }

        [Fact]
        public async Task A_Waiting_Run_Gets_The_Lock_When_The_Holder_Releases_It()
        {
            SiteRunLock first = TryAcquire(TimeSpan.Zero)!;
            Task<SiteRunLock?> waiter = Task.Run(() => TryAcquire(TimeSpan.FromSeconds(20)));
            await Task.Delay(400);
            Assert.False(waiter.IsCompleted);

            first.Dispose();
            using SiteRunLock? second = await waiter;
            Assert.NotNull(second);
        }

        [Fact]
        public void Cancelling_The_Wait_Throws_OperationCanceled()
        {
            using SiteRunLock first = TryAcquire(TimeSpan.Zero)!;
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => TryAcquire(TimeSpan.FromMinutes(5), cancellation.Token));
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1));
        }

        [Fact]
        public void Different_Sites_Do_Not_Block_Each_Other_But_Two_Users_Of_One_Site_Do()
        {
            using SiteRunLock first = TryAcquire(TimeSpan.Zero)!;
            using SiteRunLock? otherUser = SiteRunLock.TryAcquire(_root.Path, BaseUrl, UserId + 1, TimeSpan.Zero, default);
            using SiteRunLock? otherSite = SiteRunLock.TryAcquire(_root.Path, "https://other.example", UserId, TimeSpan.Zero, default);
            Assert.Null(otherUser);
            Assert.NotNull(otherSite);
            Assert.Contains("as user " + UserId, SiteRunLock.ReadHolder(_root.Path, BaseUrl, UserId + 1)!.ToString());
        }

        [Theory]
        [InlineData("http://127.0.0.1:3000", "http://localhost:3000/")]
        [InlineData("http://LOCALHOST:3000", "http://[::1]:3000")]
        [InlineData("https://newapi.example.com", "HTTPS://NewApi.Example.com:443/")]
        public void One_Site_Spelled_Two_Ways_Has_One_Lock(string first, string second)
        {
            using SiteRunLock? held = SiteRunLock.TryAcquire(_root.Path, first, UserId, TimeSpan.Zero, default);
            using SiteRunLock? other = SiteRunLock.TryAcquire(_root.Path, second, UserId, TimeSpan.Zero, default);
            Assert.NotNull(held);
            Assert.Null(other);
        }

        [Fact]
        public void A_Negative_Wait_Is_Rejected()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => TryAcquire(TimeSpan.FromSeconds(-1)));
        }

        [Fact]
        public void A_Lock_Held_By_Another_Process_Is_Respected_And_Freed_When_That_Process_Dies()
        {
            // flock(1) takes the same exclusive flock .NET takes for FileShare.None on Unix, from a separate process.
            if (OperatingSystem.IsWindows() || !File.Exists("/usr/bin/flock"))
            {
                return;
            }

            string siteDirectory = DataDirectory.SiteLockDirectory(_root.Path, BaseUrl);
            Directory.CreateDirectory(siteDirectory);
            string lockPath = Path.Combine(siteDirectory, "run.lock");
            string ready = Path.Combine(_root.Path, "child-holds-lock");
            using var child = Process.Start("/usr/bin/flock", new[] { "-x", lockPath, "sh", "-c", $"touch '{ready}'; sleep 30" })!;
            try
            {
                Assert.True(JournalRunWriterTests.SpinUntil(() => File.Exists(ready)), "the child never took the lock");
                Assert.Null(TryAcquire(TimeSpan.FromMilliseconds(300)));
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
            }

            using SiteRunLock? after = TryAcquire(TimeSpan.FromSeconds(10));
            Assert.NotNull(after);
        }
    }
}
