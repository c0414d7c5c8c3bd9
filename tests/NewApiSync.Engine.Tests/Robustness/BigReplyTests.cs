using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Robustness
{
    /// <summary>Replies over the large-reply threshold: bounded, refused when no real reply is that long, else read whole.</summary>
    public sealed class BigReplyTests
    {
        private static byte[] ModelList(int names, int nameLength)
        {
            var text = new StringBuilder("{\"success\":true,\"message\":\"\",\"data\":[");
            for (int i = 0; i < names; i++)
            {
                text.Append(i == 0 ? "\"" : ",\"").Append(i.ToString("D8")).Append('-').Append('m', nameLength - 9).Append('"');
            }

            return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_Big_Model_List_Under_The_Limits_Is_Read_Whole(bool omitContentLength)
        {
            byte[] body = ModelList(19_000, 300);
            Assert.True(body.Length > NewApiClient.LargeReplyBytes);
            using var server = SandboxServer.Start();
            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.CustomReply) { BodyBytes = body, OmitContentLength = omitContentLength });
            using var client = Sandboxes.Client(server);
            var names = await client.FetchUpstreamModelsAsync(1, CancellationToken.None);
            Assert.Equal(19_000, names.Count);
            Assert.Equal("00018999-", names.Last().Substring(0, 9));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task A_Big_Reply_With_More_Items_Than_Any_Model_List_Is_Refused_As_Protocol(bool omitContentLength)
        {
            byte[] body = ModelList(250_000, 20);
            using var server = SandboxServer.Start();
            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.CustomReply) { BodyBytes = body, OmitContentLength = omitContentLength });
            using var client = Sandboxes.Client(server);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.FetchUpstreamModelsAsync(1, CancellationToken.None));
            Assert.Equal(NewApiErrorKind.Protocol, ex.Kind);
            Assert.Contains("more than 20,000 items", ex.Message);

            // The client is still usable afterwards: the large-reply slot was given back.
            Assert.NotEmpty(await client.FetchUpstreamModelsAsync(1, CancellationToken.None));
        }

        [Fact]
        public async Task A_Reply_Without_Content_Length_Over_The_Cap_Is_Refused_And_The_Slot_Given_Back()
        {
            using var server = SandboxServer.Start();
            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.CustomReply) { BodyBytes = new byte[9 * 1024 * 1024], OmitContentLength = true });
            using var client = Sandboxes.Client(server, new NewApiClientOptions { MaxResponseBytes = 8 * 1024 * 1024 });
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.FetchUpstreamModelsAsync(1, CancellationToken.None));
            Assert.Contains("larger than 8 MiB", ex.Message);
            Assert.NotEmpty(await client.FetchUpstreamModelsAsync(1, CancellationToken.None));
        }
    }
}
