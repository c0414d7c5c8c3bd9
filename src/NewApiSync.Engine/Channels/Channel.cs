using System;
using System.Collections.Generic;
using System.Linq;

namespace NewApiSync.Engine.Channels
{
    /// <summary>
    /// One New API channel as listed by the admin API. It is read-only: updates are sent as a
    /// <see cref="ChannelUpdate"/> holding only the changed fields, never as a round-tripped channel.
    /// </summary>
    public sealed class Channel
    {
        public Channel(int id, string name, ChannelModelList models, string? modelMappingRaw)
        {
            Id = id;
            Name = name ?? string.Empty;
            ModelList = models ?? ChannelModelList.Empty;
            ModelMappingRaw = modelMappingRaw;
            var parsed = Channels.ModelMapping.Parse(modelMappingRaw);
            ModelMapping = parsed.Mapping;
            ModelMappingError = parsed.Error;
        }

        public int Id { get; }

        public string Name { get; }

        /// <summary>New API's provider type number (1 OpenAI, 3 Azure, 14 Anthropic, 24 Gemini, ...).</summary>
        public int Type { get; init; }

        /// <summary>A readable name for <see cref="Type"/>, or "Type N" when it is not one we know.</summary>
        public string TypeName => ChannelTypes.NameOf(Type);

        public ChannelStatus Status { get; init; }

        /// <summary>The models this channel serves, in stored order.</summary>
        /// <remarks>A <see cref="Results.NameList"/>, so Export-Csv writes the names rather than "System.String[]".</remarks>
        public Results.NameList Models => Results.NameList.Over(ModelList);

        /// <summary>The parsed model list (engine use).</summary>
        public ChannelModelList ModelList { get; }

        /// <summary>Standard → actual model names; empty when there is none; null when the stored text is invalid.</summary>
        public ModelMapping? ModelMapping { get; }

        /// <summary>The stored model_mapping text, exactly as the server returned it.</summary>
        public string? ModelMappingRaw { get; }

        /// <summary>Why the stored model_mapping is invalid, or null when it is valid or absent.</summary>
        public string? ModelMappingError { get; }

        public string? Group { get; init; }

        public string? Tag { get; init; }

        public long? Priority { get; init; }

        public long? Weight { get; init; }

        public string? BaseUrl { get; init; }

        /// <summary>
        /// New API's own upstream model update settings for this channel, read from its <c>settings</c> field (never
        /// written back). <see cref="UpstreamUpdateSettings.None"/> when the server has none.
        /// </summary>
        public UpstreamUpdateSettings UpstreamUpdate { get; init; } = UpstreamUpdateSettings.None;

        /// <summary>Whether the server itself checks this channel's upstream for new models; null when the server does not say.</summary>
        public bool? UpstreamCheck => UpstreamUpdate.CheckEnabled;

        /// <summary>Whether the server itself adds newly detected upstream models; null when the server does not say.</summary>
        public bool? UpstreamAutoSync => UpstreamUpdate.AutoSyncEnabled;

        /// <summary>Models the server's own upstream update ignores (names and <c>regex:</c> entries); a sync never adds them.</summary>
        public string[] UpstreamIgnoredModels => UpstreamUpdate.IgnoredModels.ToArray();

        /// <summary>
        /// Fields this module does not interpret, as raw JSON text, so nothing the server sent is lost to scripts.
        /// The channel key is never kept. These are never sent back.
        /// </summary>
        public IReadOnlyDictionary<string, string> AdditionalFields { get; init; } = EmptyFields;

        public override string ToString() => $"{Name} (#{Id})";

        private static readonly IReadOnlyDictionary<string, string> EmptyFields = new Dictionary<string, string>();
    }

    /// <summary>New API's channel type numbers (constant/channel.go) for display.</summary>
    public static class ChannelTypes
    {
        private static readonly Dictionary<int, string> Names = new Dictionary<int, string>
        {
            [1] = "OpenAI", [2] = "Midjourney", [3] = "Azure", [4] = "Ollama", [5] = "MidjourneyPlus",
            [8] = "Custom", [11] = "PaLM", [14] = "Anthropic", [15] = "Baidu", [16] = "Zhipu", [17] = "Ali",
            [18] = "Xunfei", [19] = "360", [20] = "OpenRouter", [23] = "Tencent", [24] = "Gemini",
            [25] = "Moonshot", [26] = "ZhipuV4", [27] = "Perplexity", [31] = "LingYiWanWu", [33] = "AWS",
            [34] = "Cohere", [35] = "MiniMax", [36] = "SunoAPI", [37] = "Dify", [38] = "Jina", [39] = "Cloudflare",
            [40] = "SiliconFlow", [41] = "VertexAI", [42] = "Mistral", [43] = "DeepSeek", [44] = "MokaAI",
            [45] = "VolcEngine", [46] = "BaiduV2", [47] = "Xinference", [48] = "xAI", [49] = "Coze",
        };

        public static string NameOf(int type) => Names.TryGetValue(type, out string? name) ? name : $"Type {type}";
    }
}
