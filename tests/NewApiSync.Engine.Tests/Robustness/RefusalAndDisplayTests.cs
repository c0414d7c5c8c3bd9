using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Engine.Text;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Robustness
{
    /// <summary>Old servers' 200 + success:false refusals, and text made safe for a terminal.</summary>
    public sealed class RefusalAndDisplayTests
    {
        [Fact]
        public async Task A_Legacy_Refusal_Of_The_Token_Is_Authentication_Not_A_Missing_Channel()
        {
            using var server = SandboxServer.Start(options: new SandboxOptions { Generation = SandboxGeneration.Legacy });
            using var client = Sandboxes.Client(server, token: "wrong");
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(1, CancellationToken.None));
            Assert.Equal(NewApiErrorKind.Authentication, ex.Kind);
            Assert.True(ex.IsFatalForRun);
            Assert.Contains("access token 无效", ex.Message);
            Assert.Contains("in English: the access token is invalid", ex.Message);

            var fetch = await Assert.ThrowsAsync<NewApiException>(() => client.FetchUpstreamModelsAsync(1, CancellationToken.None));
            Assert.Equal(NewApiErrorKind.Authentication, fetch.Kind);
        }

        [Fact]
        public async Task A_Legacy_Low_Role_Is_Forbidden()
        {
            using var server = SandboxServer.Start(options: new SandboxOptions { Generation = SandboxGeneration.Legacy, UserRole = 1 });
            using var client = Sandboxes.Client(server);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(1, CancellationToken.None));
            Assert.Equal(NewApiErrorKind.Forbidden, ex.Kind);
        }

        [Fact]
        public async Task A_Provider_Failure_Is_Still_Upstream_And_An_Empty_Message_Says_So()
        {
            using var server = SandboxServer.Start();
            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.SuccessFalse) { Message = "获取模型列表失败: status code: 401" });
            using var client = Sandboxes.Client(server);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.FetchUpstreamModelsAsync(1, CancellationToken.None));
            Assert.Equal(NewApiErrorKind.Upstream, ex.Kind);

            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.SuccessFalse) { Message = "" });
            var empty = await Assert.ThrowsAsync<NewApiException>(() => client.FetchUpstreamModelsAsync(1, CancellationToken.None));
            Assert.EndsWith("(the server gave no message)", empty.Message);
        }

        [Theory]
        [InlineData("plain name", "plain name")]
        [InlineData("a\u001b]0;pwned\u0007b", "a\\x1B]0;pwned\\x07b")]
        [InlineData("x\u001b[2Jy", "x\\x1B[2Jy")]
        [InlineData("line\nnext\ttab\r", "line\\nnext\\ttab\\r")]
        [InlineData("abc\u202Egpj.exe", "abc\\u202Egpj.exe")]
        [InlineData("\u2066iso\u2069", "\\u2066iso\\u2069")]
        [InlineData("c1\u009b31m", "c1\\x9B31m")]
        [InlineData("中文 ok", "中文 ok")]
        public void Escape_Shows_Control_And_Bidi_Characters_As_Escapes(string raw, string shown)
        {
            Assert.Equal(shown, DisplayText.Escape(raw));
        }

        [Fact]
        public void Escape_Returns_The_Same_String_When_Nothing_Needs_Escaping()
        {
            string text = "gpt-4o";
            Assert.Same(text, DisplayText.Escape(text));
            Assert.Equal(string.Empty, DisplayText.Escape(null));
        }
    }
}
