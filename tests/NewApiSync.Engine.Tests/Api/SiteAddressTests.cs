using System;
using NewApiSync.Engine.Api;
using Xunit;

namespace NewApiSync.Engine.Tests.Api
{
    public sealed class SiteAddressTests
    {
        [Theory]
        [InlineData("https://newapi.example.com", "https://newapi.example.com/")]
        [InlineData("https://newapi.example.com/", "https://newapi.example.com/")]
        [InlineData("  https://NewApi.Example.com:8443/gateway/ ", "https://newapi.example.com:8443/gateway")]
        [InlineData("http://127.0.0.1:3000", "http://127.0.0.1:3000/")]
        public void Normalizes_Valid_Addresses(string text, string expected)
        {
            Assert.Equal(expected, SiteAddress.Parse(text).AbsoluteUri);
        }

        [Theory]
        [InlineData("", "empty")]
        [InlineData("   ", "empty")]
        [InlineData("newapi.example.com", "not an absolute URL")]
        [InlineData("/api/channel", "not an absolute URL")]
        [InlineData("ftp://newapi.example.com", "scheme 'ftp'")]
        [InlineData("file:///etc/passwd", "scheme 'file'")]
        [InlineData("https://user:pass@newapi.example.com", "user name or password")]
        [InlineData("https://newapi.example.com/?x=1", "query or fragment")]
        [InlineData("https://newapi.example.com/#top", "query or fragment")]
        public void Rejects_Bad_Addresses_With_A_Specific_Message(string text, string expected)
        {
            var ex = Assert.Throws<ArgumentException>(() => SiteAddress.Parse(text));
            Assert.Contains(expected, ex.Message);
        }

        [Theory]
        [InlineData("http://newapi.example.com", true)]
        [InlineData("https://newapi.example.com", false)]
        [InlineData("http://localhost:3000", false)]
        [InlineData("http://127.0.0.1:3000", false)]
        [InlineData("http://[::1]:3000", false)]
        [InlineData("http://10.0.0.5", true)]
        public void Plain_Http_Off_This_Machine_Is_Insecure(string text, bool insecure)
        {
            Assert.Equal(insecure, SiteAddress.IsInsecure(SiteAddress.Parse(text)));
        }
    }
}
