using NewApiSync.Engine.Api;
using NewApiSync.Engine.Tests.Support;
using Xunit;

namespace NewApiSync.Engine.Tests.Robustness
{
    /// <summary>A token travels in a header: characters that would inject headers or cannot be sent are refused up front.</summary>
    public sealed class AccessTokenCharacterTests
    {
        [Theory]
        [InlineData("secret-token\r\nX-Injected: 1")]
        [InlineData("secret-token\nX-Injected: 1")]
        [InlineData("secret\u0000token")]
        [InlineData("secret\ttoken")]
        [InlineData("secret\u001btoken")]
        [InlineData("secret\u0085token")]
        [InlineData("sécret-token")]
        public void A_Token_With_A_Control_Or_Non_Ascii_Character_Is_Refused_Without_Echoing_It(string token)
        {
            var ex = Assert.Throws<InvalidAccessTokenException>(() => new NewApiConnection("https://x.example", Sandboxes.Secure(token), 1));
            Assert.DoesNotContain("secret", ex.Message);
            Assert.DoesNotContain("token\r", ex.Message);
            Assert.Contains("position", ex.Message);
            Assert.DoesNotContain("Parameter", ex.Message);
        }

        [Theory]
        [InlineData("  secret-token\r\n")]
        [InlineData("Bearer secret-token")]
        public void Whitespace_Around_The_Token_And_A_Bearer_Prefix_Are_Accepted(string token)
        {
            var connection = new NewApiConnection("https://x.example", Sandboxes.Secure(token), 1);
            Assert.Equal(1, connection.UserId);
        }

        [Fact]
        public void A_Token_Of_Only_Whitespace_Is_Refused()
        {
            Assert.Throws<InvalidAccessTokenException>(() => new NewApiConnection("https://x.example", Sandboxes.Secure(" \r\n "), 1));
        }
    }
}
