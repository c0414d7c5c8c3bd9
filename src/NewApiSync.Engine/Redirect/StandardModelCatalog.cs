using System;
using System.Collections.Generic;
using System.Linq;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// The built-in standard model names used when neither -StandardModel nor the StandardModels setting gives any:
    /// current models of the major families, as undated aliases, newest families first within each vendor. No name is
    /// dated and no two share a version key, so each names exactly one model (tests hold the list to that).
    /// </summary>
    public static class StandardModelCatalog
    {
        private static readonly IReadOnlyList<StandardModel> Entries = Array.AsReadOnly(
            Vendor("OpenAI", "gpt-5.1", "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5-codex", "gpt-4.1", "gpt-4.1-mini",
                "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "o3", "o3-pro", "o3-mini", "o4-mini", "o1")
            .Concat(Vendor("Anthropic", "claude-4.5-opus", "claude-4.5-sonnet", "claude-4.5-haiku", "claude-4.1-opus",
                "claude-4-opus", "claude-4-sonnet", "claude-3.7-sonnet", "claude-3.5-haiku"))
            .Concat(Vendor("Google", "gemini-3-pro-preview", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite",
                "gemini-2.0-flash", "gemini-2.0-flash-lite"))
            .Concat(Vendor("Mistral", "mistral-large", "mistral-medium", "mistral-small", "magistral-medium",
                "magistral-small", "codestral", "devstral-medium", "devstral-small", "ministral-8b", "ministral-3b"))
            .Concat(Vendor("DeepSeek", "deepseek-chat", "deepseek-reasoner", "deepseek-v3.2", "deepseek-v3.1", "deepseek-r1"))
            .Concat(Vendor("Qwen", "qwen3-max", "qwen-max", "qwen-plus", "qwen-turbo", "qwen-flash", "qwen3-coder-plus",
                "qwen3-coder-flash", "qwen3-235b-a22b", "qwen3-32b", "qwq-plus"))
            .Concat(Vendor("GLM", "glm-4.6", "glm-4.5", "glm-4.5-air", "glm-4.5-flash", "glm-4.5v"))
            .ToArray());

        /// <summary>Every entry, grouped by vendor.</summary>
        public static IReadOnlyList<StandardModel> All => Entries;

        /// <summary>Just the names, in catalog order (what a <see cref="RedirectPlanner"/> takes).</summary>
        public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

        private static IEnumerable<StandardModel> Vendor(string vendor, params string[] names) =>
            names.Select(name => new StandardModel(name, vendor));
    }
}
