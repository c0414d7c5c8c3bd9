using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Robustness
{
    /// <summary>The channel listing against servers that lie about their total or never stop paging.</summary>
    public sealed class ChannelPagingTests
    {
        [Theory]
        [InlineData(5)]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(100)]
        [InlineData(100000)]
        public async Task A_Lying_Total_Does_Not_End_The_Listing(int reportedTotal)
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(250, 2, seed: 3), new SandboxOptions { ReportedTotal = reportedTotal });
            using var client = Sandboxes.Client(server);
            var channels = await client.ListChannelsAsync(null, null, CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, 250), channels.Select(c => c.Id));
        }

        [Fact]
        public async Task A_Server_That_Never_Stops_Paging_Is_Cut_Off_At_The_Cap_With_A_Clear_Error()
        {
            using var server = SandboxServer.Start(options: new SandboxOptions { EndlessChannelList = true });
            using var client = Sandboxes.Client(server, new NewApiClientOptions { MaxListedChannels = 1_000 });
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.ListChannelsAsync(null, null, CancellationToken.None));
            Assert.Equal(NewApiErrorKind.Protocol, ex.Kind);
            Assert.Contains("more than 1,000 channels", ex.Message);
            Assert.InRange(server.Requests.Count(r => r.Route == SandboxRoute.ListChannels), 10, 12);
        }

        [Fact]
        public void The_Default_Cap_Is_The_Documented_100000()
        {
            Assert.Equal(100_000, new NewApiClientOptions().MaxListedChannels);
        }
    }
}
