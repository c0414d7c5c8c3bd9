using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NewApiSync.Sandbox
{
    /// <summary>The channels a sandbox serves. Thread-safe: every read returns copies, every change happens under one lock.</summary>
    public sealed class SandboxSite
    {
        private readonly SortedDictionary<int, SandboxChannel> _channels = new SortedDictionary<int, SandboxChannel>();
        private readonly object _gate = new object();

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _channels.Count;
                }
            }
        }

        /// <summary>Adds a channel (its id must be new and positive) and returns it.</summary>
        public SandboxChannel Add(SandboxChannel channel)
        {
            if (channel is null)
            {
                throw new ArgumentNullException(nameof(channel));
            }

            lock (_gate)
            {
                if (channel.Id <= 0)
                {
                    channel.Id = _channels.Count == 0 ? 1 : _channels.Keys.Max() + 1;
                }

                if (_channels.ContainsKey(channel.Id))
                {
                    throw new ArgumentException($"Channel {channel.Id} already exists.", nameof(channel));
                }

                _channels.Add(channel.Id, channel);
                return channel;
            }
        }

        /// <summary>A copy of every channel, by id.</summary>
        public IReadOnlyList<SandboxChannel> Snapshot()
        {
            lock (_gate)
            {
                return _channels.Values.Select(c => c.Clone()).ToArray();
            }
        }

        /// <summary>
        /// The channels themselves, for reading only their id, status, priority and type: a list page orders and counts
        /// every channel but copies only its own (cloning the whole site for each page made listing 10,000 channels
        /// allocate 180 MB in the sandbox alone, issue 16). Use <see cref="Copy"/> for the rest.
        /// </summary>
        internal IReadOnlyList<SandboxChannel> Live()
        {
            lock (_gate)
            {
                return _channels.Values.ToArray();
            }
        }

        /// <summary>A copy of a channel from <see cref="Live"/>, taken under the site's lock.</summary>
        internal SandboxChannel Copy(SandboxChannel live)
        {
            lock (_gate)
            {
                return live.Clone();
            }
        }

        /// <summary>A copy of one channel, or null.</summary>
        public SandboxChannel? Get(int id)
        {
            lock (_gate)
            {
                return _channels.TryGetValue(id, out SandboxChannel? channel) ? channel.Clone() : null;
            }
        }

        /// <summary>Changes a channel in place under the site's lock (tests and the update route use this).</summary>
        public SandboxChannel? Change(int id, Action<SandboxChannel> change)
        {
            lock (_gate)
            {
                if (!_channels.TryGetValue(id, out SandboxChannel? channel))
                {
                    return null;
                }

                change(channel);
                return channel.Clone();
            }
        }

        /// <summary>Sets what a channel's upstream provider lists (fetch_models) from now on.</summary>
        public void SetUpstream(int id, params string[] models) => Require(Change(id, c => c.UpstreamModels = models), id);

        /// <summary>Makes a channel's upstream fail (message) or work again (null or empty: PowerShell passes $null as "").</summary>
        public void SetUpstreamError(int id, string? message) => Require(Change(id, c => c.UpstreamError = string.IsNullOrEmpty(message) ? null : message), id);

        private static void Require(SandboxChannel? changed, int id)
        {
            if (changed is null)
            {
                throw new ArgumentException($"The sandbox has no channel {id}.", nameof(id));
            }
        }

        /// <summary>
        /// A realistic small site: a dozen channels across OpenAI, Anthropic, Gemini, DeepSeek, Qwen, GLM, Mistral and
        /// OpenRouter-style names, with dated and vendor-prefixed upstream names, one upstream that fails, disabled
        /// channels and an existing mapping. Every upstream list differs from the stored one, so a sync has work to do.
        /// Tags: 5, 7 and 9 "cn", 3 and 10 "official", 6 "free", 11 "reseller". Settings (New API's own upstream update
        /// state): 3 has the server's check off; 10 has check and auto-sync on and ignores codestral-latest and
        /// <c>regex:^mistral-medium-\d+$</c>, so a sync adds only mistral-small-latest there.
        /// </summary>
        public static SandboxSite CreateSample()
        {
            var site = new SandboxSite();
            site.Add(new SandboxChannel
            {
                Id = 1, Type = 1, Name = "OpenAI official", Priority = 10, Weight = 10, BaseUrl = "https://api.openai.com",
                Models = "gpt-4o,gpt-4o-mini,gpt-4-turbo",
                UpstreamModels = new[] { "gpt-4o", "gpt-4o-2024-11-20", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-2025-04-14", "gpt-4.1-mini", "o3", "o4-mini", "gpt-5", "gpt-5-mini" },
            });
            site.Add(new SandboxChannel
            {
                Id = 2, Type = 14, Name = "Anthropic direct", Priority = 10, Weight = 5, BaseUrl = "https://api.anthropic.com",
                Models = "claude-3-5-sonnet-20241022,claude-sonnet-4-20250514",
                UpstreamModels = new[] { "claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-opus-4-1-20250805", "claude-sonnet-4-20250514" },
            });
            site.Add(new SandboxChannel
            {
                Id = 3, Type = 24, Name = "Gemini AI Studio", Priority = 5, Weight = 1, Tag = "official",
                Settings = "{\"upstream_model_update_check_enabled\":false}",
                Models = "gemini-2.0-flash,gemini-1.5-pro",
                UpstreamModels = new[] { "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash" },
            });
            site.Add(new SandboxChannel
            {
                Id = 4, Type = 43, Name = "DeepSeek", Priority = 5, BaseUrl = "https://api.deepseek.com",
                Models = "deepseek-chat",
                UpstreamModels = new[] { "deepseek-chat", "deepseek-reasoner" },
            });
            site.Add(new SandboxChannel
            {
                Id = 5, Type = 17, Name = "Qwen DashScope", Priority = 5, Tag = "cn",
                Models = "qwen-max,qwen-plus",
                UpstreamModels = new[] { "qwen-max", "qwen-plus-2025-01-25", "qwen-plus-2025-07-28", "qwen-turbo", "qwen3-coder-plus" },
            });
            site.Add(new SandboxChannel
            {
                Id = 6, Type = 20, Name = "OpenRouter free tier", Priority = 1, BaseUrl = "https://openrouter.ai/api", Tag = "free",
                Models = "openai/gpt-4o:free,gpt-4o",
                ModelMapping = "{\"gpt-4o\":\"openai/gpt-4o:free\"}",
                UpstreamModels = new[] { "openai/gpt-4o:free", "anthropic/claude-sonnet-4.5", "google/gemini-2.5-flash", "deepseek/deepseek-chat-v3.1:free", "meta-llama/llama-3.3-70b-instruct:free" },
            });
            site.Add(new SandboxChannel
            {
                Id = 7, Type = 40, Name = "SiliconFlow", Priority = 1, Tag = "cn",
                Models = "deepseek-ai/DeepSeek-V3",
                UpstreamModels = new[] { "deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-R1", "Qwen/Qwen3-235B-A22B", "zai-org/GLM-4.5" },
            });
            site.Add(new SandboxChannel
            {
                Id = 8, Type = 3, Name = "Azure East US (paused)", Status = 2, Priority = 0,
                Models = "gpt-4o,gpt-35-turbo",
                UpstreamModels = new[] { "gpt-4o", "gpt-4o-mini" },
            });
            site.Add(new SandboxChannel
            {
                Id = 9, Type = 26, Name = "Zhipu GLM", Priority = 3, Tag = "cn",
                Models = "glm-4.5,glm-4",
                ModelMapping = "{\"glm-4\":\"glm-4.5\"}",
                UpstreamModels = new[] { "glm-4.5", "glm-4.5-air", "glm-4.6" },
            });
            site.Add(new SandboxChannel
            {
                Id = 10, Type = 42, Name = "Mistral La Plateforme", Priority = 2, Tag = "official",
                // New API's own upstream check is on for this channel, adding by itself, and ignores two models.
                Settings = "{\"upstream_model_update_check_enabled\":true,\"upstream_model_update_auto_sync_enabled\":true,\"upstream_model_update_ignored_models\":[\"codestral-latest\",\"regex:^mistral-medium-\\\\d+$\"]}",
                Models = "mistral-large-latest",
                UpstreamModels = new[] { "mistral-large-latest", "mistral-medium-2508", "mistral-small-latest", "codestral-latest" },
            });
            site.Add(new SandboxChannel
            {
                Id = 11, Type = 1, Name = "OpenAI reseller (expired key)", Priority = 0, Tag = "reseller",
                Models = "gpt-4o-mini",
                UpstreamModels = new[] { "gpt-4o-mini" },
                UpstreamError = "获取模型列表失败: status code: 401",
            });
            site.Add(new SandboxChannel
            {
                Id = 12, Type = 14, Name = "Claude relay (auto-disabled)", Status = 3, Priority = 0,
                Models = "claude-3-5-haiku-20241022",
                UpstreamModels = new[] { "claude-haiku-4-5-20251001", "claude-3-5-haiku-20241022" },
            });
            return site;
        }

        /// <summary>
        /// A generated site for scale: <paramref name="count"/> channels of <paramref name="modelsPerChannel"/> models each,
        /// where every upstream list differs from the stored one by a few models (deterministic for a seed).
        /// </summary>
        public static SandboxSite CreateGenerated(int count, int modelsPerChannel, int seed)
        {
            if (count < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, "A generated site needs at least one channel.");
            }

            if (modelsPerChannel < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(modelsPerChannel), modelsPerChannel, "A channel needs at least one model.");
            }

            string[] vendors = { "openai", "anthropic", "google", "deepseek", "qwen", "zhipu", "mistral", "meta" };
            int[] types = { 1, 14, 24, 43, 17, 26, 42, 20 };
            var random = new Random(seed);
            var site = new SandboxSite();
            // Each vendor's names are made once and shared by its channels, as a real server holds its rows: the
            // generated site is in the measured process (issue 16: 10,000 channels held 300 MB of copies of 2,440 names).
            string[][] names = vendors.Select(vendor => Enumerable.Range(0, modelsPerChannel + 5).Select(m => ModelName(vendor, m)).ToArray()).ToArray();
            for (int i = 1; i <= count; i++)
            {
                int v = (i - 1) % vendors.Length;
                string prefix = vendors[v];
                int offset = random.Next(0, 5);
                var stored = new ArraySegment<string>(names[v], 0, modelsPerChannel);
                var upstream = new ArraySegment<string>(names[v], offset, modelsPerChannel).ToArray();
                site.Add(new SandboxChannel
                {
                    Id = i,
                    Type = types[v],
                    Name = string.Format(CultureInfo.InvariantCulture, "{0}-{1:D5}", prefix, i),
                    Priority = random.Next(0, 10),
                    Weight = random.Next(0, 10),
                    Models = string.Join(",", stored),
                    UpstreamModels = upstream,
                });
            }

            return site;
        }

        private static string ModelName(string vendor, int index) =>
            string.Format(CultureInfo.InvariantCulture, "{0}/model-{1:D4}", vendor, index);
    }
}
