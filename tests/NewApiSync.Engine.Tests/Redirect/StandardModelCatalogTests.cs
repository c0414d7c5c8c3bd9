using System;
using System.Linq;
using NewApiSync.Engine.Redirect;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class StandardModelCatalogTests
    {
        [Fact]
        public void No_Catalog_Name_Is_Dated()
        {
            Assert.DoesNotContain(StandardModelCatalog.Names, n => ModelNameNormalizer.Normalize(n).IsDated);
        }

        [Fact]
        public void No_Two_Catalog_Names_Share_A_Version_Key()
        {
            var shared = StandardModelCatalog.Names
                .GroupBy(n => ModelNameNormalizer.Normalize(n).VersionKey)
                .Where(g => g.Count() > 1)
                .Select(g => string.Join(" = ", g));
            Assert.Empty(shared);
        }

        [Fact]
        public void Covers_The_Seven_Families_With_Their_Main_Aliases()
        {
            Assert.Equal(
                new[] { "Anthropic", "DeepSeek", "GLM", "Google", "Mistral", "OpenAI", "Qwen" },
                StandardModelCatalog.All.Select(e => e.Vendor).Distinct().OrderBy(v => v, StringComparer.Ordinal));
            string[] expected =
            {
                "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o3", "o3-mini", "o4-mini", "gpt-5",
                "gpt-5-mini", "claude-4.5-sonnet", "claude-4.5-haiku", "claude-4.1-opus", "gemini-2.5-pro",
                "gemini-2.5-flash", "gemini-2.5-flash-lite", "mistral-large", "mistral-medium", "mistral-small", "codestral",
                "deepseek-chat", "deepseek-reasoner", "qwen-max", "qwen-plus", "qwen-turbo", "qwen3-coder-plus", "glm-4.5",
                "glm-4.5-air", "glm-4.6",
            };
            Assert.Empty(expected.Except(StandardModelCatalog.Names));
        }

        [Fact]
        public void Names_Are_Plain_And_A_Planner_Accepts_Them_All()
        {
            Assert.All(StandardModelCatalog.Names, n => Assert.Equal(n.Trim().ToLowerInvariant(), n));
            Assert.Equal(StandardModelCatalog.Names, new RedirectPlanner(StandardModelCatalog.Names).StandardModels);
        }
    }
}
