using System;
using NewApiSync.Engine.Redirect;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class ModelNameNormalizerTests
    {
        [Theory]
        [InlineData("gpt-4o", "gpt-4o")]
        [InlineData("  openai/gpt-4o:free ", "gpt-4o")]
        [InlineData("BigModel/deepseek/deepseek-chat", "deepseek-chat")]
        [InlineData("api/v1/models/x", "x")]
        [InlineData("meta-llama/llama-3.1-405b:premium:extended", "llama-3.1-405b")]
        [InlineData("GPT-4o", "GPT-4o")]
        [InlineData("openai/", "")]
        [InlineData(":free", "")]
        public void Core_Drops_Path_And_Variant(string name, string expectedCore)
        {
            Assert.Equal(expectedCore, ModelNameNormalizer.Normalize(name).Core);
        }

        [Theory]
        [InlineData("gpt-4o-2024-08-06", "gpt-4o", "2024-08-06")]
        [InlineData("qwen-plus_2025_07_28", "qwen-plus", "2025-07-28")]
        [InlineData("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash-preview", "2025-09")]
        [InlineData("claude-haiku-4-5-20251001", "claude-haiku-4-5", "2025-10-01")]
        [InlineData("claude-opus-4-20250514", "claude-opus-4", "2025-05-14")]
        [InlineData("some-model-202509", "some-model", "2025-09")]
        [InlineData("gpt-4-0613", "gpt-4", "--06-13")]
        [InlineData("gpt-3.5-turbo-0125", "gpt-3.5-turbo", "--01-25")]
        [InlineData("deepseek-v3-0324", "deepseek-v3", "--03-24")]
        [InlineData("deepseek-r1-0229", "deepseek-r1", "--02-29")]
        [InlineData("gemini-2.5-flash-preview-05-20", "gemini-2.5-flash-preview", "--05-20")]
        [InlineData("mistral-large-2411", "mistral-large", "2024-11")]
        [InlineData("qwen3-235b-a22b-instruct-2507", "qwen3-235b-a22b-instruct", "2025-07")]
        [InlineData("Vendor/GPT-4o-2024-08-06:free", "gpt-4o", "2024-08-06")]
        [InlineData("x-a2019-05-01", "x-a2019", "--05-01")]
        public void Removes_One_Trailing_Stamp_And_Parses_Its_Date(string name, string expectedNormalized, string expectedDate)
        {
            var parsed = ModelNameNormalizer.Normalize(name);
            Assert.True(parsed.IsDated);
            Assert.Equal(expectedNormalized, parsed.Normalized);
            Assert.Equal(expectedDate, parsed.Date.ToString());
        }

        [Theory]
        [InlineData("gpt-4o-mini")]
        [InlineData("o3")]
        [InlineData("qwen3-235b-a22b")]
        [InlineData("gpt-4-32k")]
        [InlineData("llama-3.1-405b")]
        [InlineData("glm-4.5")]
        [InlineData("claude-sonnet-4-5")]
        [InlineData("gemini-2.0-flash-001")]
        [InlineData("embedding-2048")]
        [InlineData("model-4096")]
        [InlineData("x-1232")]
        [InlineData("x-1300")]
        [InlineData("x-0230-but-not-last")]
        [InlineData("x-4011")]
        [InlineData("x-2019-05-01")]
        [InlineData("x-20190501")]
        [InlineData("x-201905")]
        [InlineData("x-13-2025")]
        [InlineData("x-120250929")]
        [InlineData("x-2025-0929")]
        [InlineData("2019-05-01")]
        [InlineData("x-02-30")]
        [InlineData("x-4-5")]
        [InlineData("0613")]
        [InlineData("-0613")]
        [InlineData("x0613")]
        public void Leaves_Versions_And_Non_Dates_Alone(string name)
        {
            var parsed = ModelNameNormalizer.Normalize(name);
            Assert.False(parsed.IsDated);
            Assert.Null(parsed.Date);
            Assert.Equal(name.ToLowerInvariant(), parsed.Normalized);
        }

        [Fact]
        public void Removes_Only_One_Stamp()
        {
            var parsed = ModelNameNormalizer.Normalize("model-2024-01-01-0613");
            Assert.Equal("model-2024-01-01", parsed.Normalized);
            Assert.Equal("--06-13", parsed.Date.ToString());
        }

        [Theory]
        [InlineData("claude-4.5-sonnet", "claude-sonnet-4-5")]
        [InlineData("claude-4.5-sonnet", "Claude_Sonnet_4.5")]
        [InlineData("claude-4.5-sonnet", "anthropic/claude-sonnet-4-5-20250929")]
        [InlineData("gpt-4.1", "openai/gpt-4.1:free")]
        [InlineData("glm-4.5", "zhipu/GLM-4.5")]
        [InlineData("a--b", "b_a")]
        [InlineData("claude-4.5-sonnet", "anthropic/Claude_Sonnet_4.5-20250929:thinking")]
        [InlineData("gpt-4.1", "openai/4.1--GPT")]
        [InlineData("qwen-plus", "qwen-plus-2025-07-28")]
        [InlineData("deepseek-v3", "DeepSeek-V3-0324")]
        public void Spellings_Of_One_Model_Share_A_Version_Key_And_Signature(string a, string b)
        {
            Assert.Equal(ModelNameNormalizer.Normalize(a).VersionKey, ModelNameNormalizer.Normalize(b).VersionKey);
            Assert.Equal(ModelNameNormalizer.VersionSignature(a), ModelNameNormalizer.VersionSignature(b));
        }

        [Theory]
        [InlineData("claude-4.5-sonnet", "claude-3.5-sonnet")]
        [InlineData("claude-4.5-sonnet", "claude-sonnet-4-6")]
        [InlineData("gemini-2.5-flash", "gemini-2.5-flash-lite")]
        [InlineData("gemini-2.5-flash", "gemini-3-flash")]
        [InlineData("gpt-4o-mini", "gpt-4.1-mini")]
        [InlineData("o3", "o3-mini")]
        [InlineData("gpt-4o", "gpt-4o-mini")]
        [InlineData("claude-4.1-opus", "claude-opus-4-20250514")]
        [InlineData("gemini-2.5-pro", "gemini-2.5-pro-preview")]
        [InlineData("ab-cd", "ab-ce")]
        public void Different_Models_Have_Different_Version_Keys_And_Signatures(string a, string b)
        {
            Assert.NotEqual(ModelNameNormalizer.Normalize(a).VersionKey, ModelNameNormalizer.Normalize(b).VersionKey);

            // Signatures may collide in principle; none of these do, so the planner's pre-check really filters.
            Assert.NotEqual(ModelNameNormalizer.VersionSignature(a), ModelNameNormalizer.VersionSignature(b));
        }

        [Theory]
        [InlineData("modèle-1")]
        [InlineData("KELVIN-\u212A")]
        public void Names_Beyond_Ascii_Have_No_Signature(string name)
        {
            Assert.Equal(ModelNameNormalizer.UnknownSignature, ModelNameNormalizer.VersionSignature(System.Text.RegularExpressions.Regex.Unescape(name)));
        }

        [Fact]
        public void Version_Key_Is_Sorted_Lowercase_Pieces()
        {
            Assert.Equal("4-5-claude-sonnet", ModelNameNormalizer.Normalize("Claude_Sonnet_4.5").VersionKey);
            Assert.Equal(string.Empty, ModelNameNormalizer.Normalize("openai/").VersionKey);
        }

        [Fact]
        public void Keeps_The_Original_Name()
        {
            var parsed = ModelNameNormalizer.Normalize(" openai/GPT-4o ");
            Assert.Equal(" openai/GPT-4o ", parsed.Original);
            Assert.Equal("GPT-4o", parsed.Core);
            Assert.Equal("gpt-4o", parsed.Normalized);
        }

        [Fact]
        public void Null_Is_Rejected()
        {
            Assert.Throws<ArgumentNullException>(() => ModelNameNormalizer.Normalize(null!));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("\t\n")]
        public void Blank_Is_Rejected(string name)
        {
            var ex = Assert.Throws<ArgumentException>(() => ModelNameNormalizer.Normalize(name));
            Assert.Equal("name", ex.ParamName);
        }
    }
}
