using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Tests.Reliability;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Robustness
{
    /// <summary>Upstream names New API cannot store in its comma-separated models column are skipped, naming the channel.</summary>
    public sealed class UpstreamModelNameTests
    {
        [Fact]
        public async Task Names_With_A_Comma_Control_Characters_Or_Over_512_Characters_Are_Skipped_With_A_Warning()
        {
            using var server = SandboxServer.Start();
            string huge = new string('m', NewApiClient.MaxModelNameLength + 1);
            server.Site.SetUpstream(1, "gpt-4o", "a,b", "line\nbreak", "tab\there", "esc\u001b[2J", huge, "   ", new string('k', NewApiClient.MaxModelNameLength));
            var log = new CollectingLog();
            using var client = Sandboxes.Client(server, new NewApiClientOptions { Log = log });
            Channel channel = await client.GetChannelAsync(1, CancellationToken.None);

            var names = await client.FetchUpstreamModelsAsync(channel, CancellationToken.None);

            Assert.Equal(new[] { "gpt-4o", new string('k', NewApiClient.MaxModelNameLength) }, names);
            string warning = Assert.Single(log.Messages, m => m.Contains("skipped"));
            Assert.Contains($"Channel '{channel.Name}' (#1)", warning);
            Assert.Contains("6 upstream model name(s) skipped", warning);
            Assert.Contains("'a,b' contains a comma", warning);
            Assert.Contains("line\\nbreak", warning);
            Assert.Contains("esc\\x1B[2J", warning);
            Assert.DoesNotContain(huge, warning);
        }

        [Fact]
        public async Task Clean_Names_Come_Back_Unchanged_Without_A_Warning()
        {
            using var server = SandboxServer.Start();
            server.Site.SetUpstream(1, "gpt-4o", "claude-sonnet-4-5-20250929", "模型-中文");
            var log = new CollectingLog();
            using var client = Sandboxes.Client(server, new NewApiClientOptions { Log = log });
            Channel channel = await client.GetChannelAsync(1, CancellationToken.None);
            var names = await client.FetchUpstreamModelsAsync(channel, CancellationToken.None);
            Assert.Equal(new[] { "gpt-4o", "claude-sonnet-4-5-20250929", "模型-中文" }, names);
            Assert.DoesNotContain(log.Messages, m => m.Contains("skipped"));
        }
    }
}
