using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NewApiSync.Sandbox
{
    /// <summary>
    /// New API's admin routes as docs/newapi-admin-api.md describes them: the envelope, both list generations,
    /// both styles of auth failure, partial updates that skip zero values, and injected faults.
    /// </summary>
    internal sealed class SandboxApi
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        // Fields an admin (role 10) may change; anything else in an update needs root, as on newer servers.
        private static readonly HashSet<string> AdminFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "name", "models", "model_mapping", "group", "tag", "priority", "weight", "test_model",
        };

        private readonly SandboxSite _site;
        private readonly SandboxOptions _options;
        private readonly SandboxFaults _faults;
        private readonly Queue<DateTimeOffset> _window = new Queue<DateTimeOffset>();
        private readonly Random _random = new Random(7);

        public SandboxApi(SandboxSite site, SandboxOptions options, SandboxFaults faults)
        {
            _site = site;
            _options = options;
            _faults = faults;
        }

        public SandboxReply Handle(SandboxHttpRequest request, SandboxRequest record)
        {
            (SandboxRoute route, int? channelId) = Classify(request);
            record.Route = route;
            record.ChannelId = channelId;

            if (!request.Path.StartsWith("/api/", StringComparison.Ordinal))
            {
                return SandboxReply.Text(404, "text/plain", "404 page not found");
            }

            if (IsRateLimited())
            {
                return SandboxReply.RateLimited(_options.SendRetryAfter ? TimeSpan.FromSeconds(Math.Max(1, _options.RateLimitWindow.TotalSeconds / 6)) : (TimeSpan?)null);
            }

            int? faultChannel = channelId ?? (route == SandboxRoute.UpdateChannel ? PeekUpdateId(request) : null);
            SandboxFault? fault = _faults.Take(route, faultChannel);
            record.Fault = fault?.Kind;
            if (fault is { Kind: SandboxFaultKind.ChangeChannel } && faultChannel is int edited)
            {
                _site.Change(edited, c =>
                {
                    c.Models = fault.SetModels ?? c.Models;
                    c.ModelMapping = fault.SetModelMapping ?? c.ModelMapping;
                });
            }

            if (fault is not null && FaultReplyBefore(fault) is SandboxReply early)
            {
                return early;
            }

            SandboxReply reply = route == SandboxRoute.Status ? Status() : Authorize(request) ?? Route(route, channelId, request);
            if (fault is null)
            {
                return reply;
            }

            return fault.Kind switch
            {
                SandboxFaultKind.Delay => reply.WithDelay(fault.Delay),
                SandboxFaultKind.MalformedBody => SandboxReply.Text(200, "application/json", Encoding.UTF8.GetString(reply.Body, 0, Math.Max(1, reply.Body.Length / 2))),
                SandboxFaultKind.ResetAfterWrite => SandboxReply.ConnectionReset(),
                SandboxFaultKind.BadGatewayAfterWrite => BadGateway(),
                SandboxFaultKind.ApplyThenReplyLate => reply.WithDelay(fault.Delay),
                SandboxFaultKind.SuccessFalseAfterWrite => Envelope(200, false, fault.Message),
                _ => reply,
            };
        }

        private SandboxReply? FaultReplyBefore(SandboxFault fault) => fault.Kind switch
        {
            SandboxFaultKind.ServerError => Envelope(500, false, "internal server error"),
            SandboxFaultKind.HtmlBadGateway => BadGateway(),
            SandboxFaultKind.Reset => SandboxReply.ConnectionReset(),
            SandboxFaultKind.RateLimited => SandboxReply.RateLimited(fault.RetryAfter),
            SandboxFaultKind.SuccessFalse => Envelope(200, false, fault.Message),
            SandboxFaultKind.Unauthorized => Envelope(401, false, Say("无权进行此操作，access token 无效", "access token is invalid"), "AUTH_UNAUTHORIZED"),
            SandboxFaultKind.Forbidden => Envelope(403, false, Say("无权进行此操作，权限不足", "permission denied"), "AUTH_FORBIDDEN"),
            SandboxFaultKind.WrongShape => SandboxReply.Text(200, "application/json", "{\"success\":true,\"message\":\"\",\"data\":42}"),
            SandboxFaultKind.CustomReply => CustomReply(fault),
            SandboxFaultKind.Redirect => SandboxReply.Text(302, "text/html", "<a href=\"" + fault.Location + "\">Found</a>").WithLocation(fault.Location),
            _ => null,
        };

        private static SandboxReply CustomReply(SandboxFault fault)
        {
            SandboxReply reply = fault.BodyBytes is byte[] bytes ? new SandboxReply(fault.Status, fault.ContentType, bytes) : SandboxReply.Text(fault.Status, fault.ContentType, fault.Body);
            reply.CloseDelimited = fault.OmitContentLength;
            return reply;
        }

        private static SandboxReply BadGateway() =>
            SandboxReply.Text(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");

        private static (SandboxRoute, int?) Classify(SandboxHttpRequest request)
        {
            string path = request.Path;
            if (path == "/api/status")
            {
                return (SandboxRoute.Status, null);
            }

            if (request.Method == "PUT" && (path == "/api/channel/" || path == "/api/channel"))
            {
                return (SandboxRoute.UpdateChannel, null);
            }

            if (request.Method != "GET")
            {
                return (SandboxRoute.Any, null);
            }

            if (path == "/api/channel/" || path == "/api/channel")
            {
                return (SandboxRoute.ListChannels, null);
            }

            const string fetch = "/api/channel/fetch_models/";
            if (path.StartsWith(fetch, StringComparison.Ordinal))
            {
                return (SandboxRoute.FetchModels, ParseId(path.Substring(fetch.Length)));
            }

            const string channel = "/api/channel/";
            if (path.StartsWith(channel, StringComparison.Ordinal))
            {
                return (SandboxRoute.GetChannel, ParseId(path.Substring(channel.Length)));
            }

            return (SandboxRoute.Any, null);
        }

        private static int? ParseId(string text) => int.TryParse(text.TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : null;

        private static int? PeekUpdateId(SandboxHttpRequest request)
        {
            try
            {
                using var doc = JsonDocument.Parse(request.Body);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out JsonElement id) && id.TryGetInt32(out int value) ? value : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private bool IsRateLimited()
        {
            if (_options.RateLimitRequests <= 0)
            {
                return false;
            }

            DateTimeOffset now = DateTimeOffset.UtcNow;
            lock (_window)
            {
                while (_window.Count > 0 && now - _window.Peek() >= _options.RateLimitWindow)
                {
                    _window.Dequeue();
                }

                if (_window.Count >= _options.RateLimitRequests)
                {
                    return true;
                }

                _window.Enqueue(now);
                return false;
            }
        }

        private SandboxReply? Authorize(SandboxHttpRequest request)
        {
            request.Headers.TryGetValue("authorization", out string? authorization);
            if (string.IsNullOrWhiteSpace(authorization))
            {
                return Envelope(401, false, Say("无权进行此操作，未登录且未提供 access token", "not logged in and no access token provided"), "AUTH_UNAUTHORIZED");
            }

            if (!TokenMatches(authorization!))
            {
                // Older servers answer a bad token with 200 + success:false; newer ones with 401.
                return Envelope(_options.Legacy ? 200 : 401, false, Say("无权进行此操作，access token 无效", "access token is invalid"), _options.Legacy ? null : "AUTH_UNAUTHORIZED");
            }

            if (_options.RequireUserHeader)
            {
                request.Headers.TryGetValue("new-api-user", out string? user);
                if (string.IsNullOrWhiteSpace(user))
                {
                    return Envelope(401, false, Say("无权进行此操作，未提供 New-Api-User", "New-Api-User header not provided"), "AUTH_UNAUTHORIZED");
                }

                if (!int.TryParse(user, NumberStyles.Integer, CultureInfo.InvariantCulture, out int userId) || userId != _options.UserId)
                {
                    return Envelope(401, false, Say("无权进行此操作，New-Api-User 与登录用户不匹配", "New-Api-User does not match the token's user"), "AUTH_UNAUTHORIZED");
                }
            }

            if (_options.UserRole < 10)
            {
                return Envelope(_options.Legacy ? 200 : 403, false, Say("无权进行此操作，权限不足", "permission denied"), _options.Legacy ? null : "AUTH_FORBIDDEN");
            }

            return null;
        }

        internal bool TokenMatches(string authorization)
        {
            string presented = authorization.Trim();
            if (presented.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                presented = presented.Substring("Bearer ".Length).Trim();
            }

            return string.Equals(presented, _options.AccessToken, StringComparison.Ordinal);
        }

        private SandboxReply Route(SandboxRoute route, int? channelId, SandboxHttpRequest request) => route switch
        {
            SandboxRoute.ListChannels => List(request),
            SandboxRoute.GetChannel when channelId is int id => GetOne(id),
            SandboxRoute.FetchModels when channelId is int id => FetchModels(id),
            SandboxRoute.UpdateChannel => Update(request),
            _ => SandboxReply.Text(404, "text/plain", "404 page not found"),
        };

        private SandboxReply Status() =>
            Write(200, w =>
            {
                w.WriteBoolean("success", true);
                w.WriteString("message", string.Empty);
                w.WriteStartObject("data");
                w.WriteString("version", _options.Version);
                w.WriteString("system_name", "New API Sandbox");
                w.WriteEndObject();
            });

        private SandboxReply List(SandboxHttpRequest request)
        {
            int page = QueryInt(request, "p", _options.Legacy ? 0 : 1);
            int size = QueryInt(request, "page_size", 10);
            size = size <= 0 ? 10 : Math.Min(size, 100);
            bool idSort = string.Equals(request.QueryValue("id_sort"), "true", StringComparison.OrdinalIgnoreCase);
            string? status = request.QueryValue("status");

            // Ordered and counted on the live channels; only the page's own are copied (see SandboxSite.Live).
            IEnumerable<SandboxChannel> channels = _site.Live();
            if (string.Equals(status, "enabled", StringComparison.OrdinalIgnoreCase))
            {
                channels = channels.Where(c => c.Status == 1);
            }
            else if (string.Equals(status, "disabled", StringComparison.OrdinalIgnoreCase))
            {
                channels = channels.Where(c => c.Status != 1);
            }

            List<SandboxChannel> all = Order(channels, idSort).ToList();
            if (_options.EndlessChannelList)
            {
                // Made-up channels with ids no earlier page had, so paging never ends on its own.
                int first = 1_000_000 + (Math.Max(_options.Legacy ? 0 : 1, page) * size);
                all = Enumerable.Range(first, size).Select(id => new SandboxChannel { Id = id, Name = "endless-" + id, Models = "m" }).ToList();
                return _options.Legacy ? ChannelArray(all) : ChannelPage(all, all, Math.Max(1, page), size, _options.ReportedTotal);
            }

            int offset = _options.Legacy ? Math.Max(0, page) * size : (Math.Max(1, page) - 1) * size;
            List<SandboxChannel> items = all.Skip(offset).Take(size).Select(_site.Copy).ToList();
            return _options.Legacy ? ChannelArray(items) : ChannelPage(items, all, Math.Max(1, page), size, _options.ReportedTotal);
        }

        // Without id_sort the server orders by priority only, which is not stable across pages: ties come back in
        // an arbitrary order, so a client that forgets id_sort skips and repeats channels here as it would there.
        private IEnumerable<SandboxChannel> Order(IEnumerable<SandboxChannel> channels, bool idSort)
        {
            if (idSort)
            {
                // The site keeps channels in ascending id order (and filters keep it): newest first is that reversed,
                // with no sort per page (sorting the whole site for each page made listing quadratic, issue 16).
                return channels.Reverse();
            }

            int salt;
            lock (_random)
            {
                salt = _random.Next();
            }

            return channels.OrderByDescending(c => c.Priority).ThenBy(c => (c.Id * 2654435761u) ^ (uint)salt);
        }

        private SandboxReply GetOne(int id)
        {
            SandboxChannel? channel = _site.Get(id);
            return channel is null ? NotFound() : Write(200, w => { WriteEnvelopeStart(w); w.WritePropertyName("data"); WriteChannel(w, channel); });
        }

        private SandboxReply FetchModels(int id)
        {
            if (_options.FetchModelsDelay > TimeSpan.Zero)
            {
                // The provider's latency; served asynchronously by the server so other requests are not held up.
                return FetchModelsNow(id).WithDelay(_options.FetchModelsDelay);
            }

            return FetchModelsNow(id);
        }

        private SandboxReply FetchModelsNow(int id)
        {
            SandboxChannel? channel = _site.Get(id);
            if (channel is null)
            {
                return Envelope(200, false, Say("渠道不存在", "channel not found"));
            }

            if (channel.UpstreamError is string error)
            {
                return Envelope(200, false, error);
            }

            string[] models = channel.UpstreamModels;
            return Write(200, w =>
            {
                WriteEnvelopeStart(w);
                w.WriteStartArray("data");
                // Each name once, as the server lists them (a per-thread set: this runs once per channel per pass).
                HashSet<string> seen = _seenModels ??= new HashSet<string>(StringComparer.Ordinal);
                seen.Clear();
                foreach (string model in models)
                {
                    if (seen.Add(model))
                    {
                        w.WriteStringValue(model);
                    }
                }

                w.WriteEndArray();
            });
        }

        private SandboxReply Update(SandboxHttpRequest request)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(request.Body);
            }
            catch (JsonException ex)
            {
                return Envelope(200, false, "invalid request body: " + ex.Message.Split('\n')[0]);
            }

            using (doc)
            {
                JsonElement body = doc.RootElement;
                if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("id", out JsonElement idElement) || !idElement.TryGetInt32(out int id) || id <= 0)
                {
                    return Envelope(200, false, Say("无效的渠道 id", "invalid channel id"));
                }

                if (_options.RejectStatusInUpdate && body.TryGetProperty("status", out _))
                {
                    return Envelope(200, false, Say("不允许通过此接口修改渠道状态", "status cannot be changed through this endpoint"));
                }

                string? sensitive = body.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !AdminFields.Contains(n));
                if (sensitive is not null && _options.UserRole < 100)
                {
                    return Envelope(_options.Legacy ? 200 : 403, false, Say($"修改 {sensitive} 需要超级管理员权限", $"changing {sensitive} needs root permission"));
                }

                string? models = null, mapping = null, name = null, group = null, tag = null;
                try
                {
                    models = StringField(body, "models");
                    mapping = StringField(body, "model_mapping");
                    name = StringField(body, "name");
                    group = StringField(body, "group");
                    tag = StringField(body, "tag");
                }
                catch (InvalidOperationException ex)
                {
                    return Envelope(200, false, ex.Message);
                }

                SandboxChannel? updated = _site.Change(id, c =>
                {
                    // Gorm's Updates(struct) skips zero values: "" changes nothing.
                    if (!string.IsNullOrEmpty(models))
                    {
                        c.Models = models!;
                    }

                    if (!string.IsNullOrEmpty(mapping))
                    {
                        c.ModelMapping = mapping;
                    }

                    if (!string.IsNullOrEmpty(name))
                    {
                        c.Name = name!;
                    }

                    if (!string.IsNullOrEmpty(group))
                    {
                        c.Group = group!;
                    }

                    if (!string.IsNullOrEmpty(tag))
                    {
                        c.Tag = tag;
                    }

                    c.UpdateCount++;
                });

                return updated is null ? NotFound() : Write(200, w => { WriteEnvelopeStart(w); w.WritePropertyName("data"); WriteChannel(w, updated); });
            }
        }

        private static string? StringField(JsonElement body, string name)
        {
            if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidOperationException($"json: cannot unmarshal {value.ValueKind.ToString().ToLowerInvariant()} into Go struct field Channel.{name} of type string");
            }

            return value.GetString();
        }

        private SandboxReply NotFound() => Envelope(200, false, "record not found");

        private SandboxReply ChannelArray(IEnumerable<SandboxChannel> channels) =>
            Write(200, w =>
            {
                WriteEnvelopeStart(w);
                w.WriteStartArray("data");
                foreach (SandboxChannel channel in channels)
                {
                    WriteChannel(w, channel);
                }

                w.WriteEndArray();
            });

        private static SandboxReply ChannelPage(List<SandboxChannel> items, List<SandboxChannel> all, int page, int size, int? reportedTotal = null) =>
            Write(200, w =>
            {
                WriteEnvelopeStart(w);
                w.WriteStartObject("data");
                w.WriteStartArray("items");
                foreach (SandboxChannel channel in items)
                {
                    WriteChannel(w, channel);
                }

                w.WriteEndArray();
                w.WriteNumber("total", reportedTotal ?? all.Count);
                w.WriteNumber("page", page);
                w.WriteNumber("page_size", size);
                w.WriteStartObject("type_counts");
                foreach (var group in all.GroupBy(c => c.Type).OrderBy(g => g.Key))
                {
                    w.WriteNumber(group.Key.ToString(CultureInfo.InvariantCulture), group.Count());
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });

        /// <summary>A channel with the fields a real listing has (key always ""), so clients meet the real shape.</summary>
        private static void WriteChannel(Utf8JsonWriter w, SandboxChannel c)
        {
            w.WriteStartObject();
            w.WriteNumber("id", c.Id);
            w.WriteNumber("type", c.Type);
            w.WriteString("key", string.Empty);
            w.WriteString("openai_organization", (string?)null);
            w.WriteString("test_model", (string?)null);
            w.WriteNumber("status", c.Status);
            w.WriteString("name", c.Name);
            w.WriteNumber("weight", c.Weight);
            w.WriteNumber("created_time", c.CreatedTime);
            w.WriteNumber("test_time", 0);
            w.WriteNumber("response_time", 0);
            w.WriteString("base_url", c.BaseUrl);
            w.WriteString("other", string.Empty);
            w.WriteNumber("balance", 0);
            w.WriteNumber("balance_updated_time", 0);
            w.WriteString("models", c.Models);
            w.WriteString("group", c.Group);
            w.WriteNumber("used_quota", 0);
            w.WriteString("model_mapping", c.ModelMapping);
            w.WriteString("status_code_mapping", string.Empty);
            w.WriteNumber("priority", c.Priority);
            w.WriteNumber("auto_ban", 1);
            w.WriteString("other_info", string.Empty);
            w.WriteString("tag", c.Tag);
            w.WriteString("setting", (string?)null);
            w.WriteString("settings", c.Settings ?? string.Empty);
            w.WriteString("param_override", (string?)null);
            w.WriteStartObject("channel_info");
            w.WriteBoolean("is_multi_key", false);
            w.WriteNumber("multi_key_size", 0);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        private static void WriteEnvelopeStart(Utf8JsonWriter w)
        {
            w.WriteBoolean("success", true);
            w.WriteString("message", string.Empty);
        }

        /// <summary>A reply with no data: New API's envelope of a refusal or an error, <c>"data": null</c>.</summary>
        private static SandboxReply Envelope(int status, bool success, string message, string? code = null) =>
            Write(status, w =>
            {
                w.WriteBoolean("success", success);
                w.WriteString("message", message);
                if (code is not null)
                {
                    w.WriteString("code", code);
                }

                w.WriteNull("data");
            });

        private static SandboxReply Write(int status, Action<Utf8JsonWriter> body)
        {
            // One buffer per thread, reused: the sandbox runs inside the benchmarks it serves, and a writer's own growing
            // buffer plus a growing stream per reply were most of a 10,000-channel listing's allocations (issue 16).
            // Writing is synchronous, so the thread's buffer is free again when this returns.
            ReplyBuffer buffer = _replyBuffer ??= new ReplyBuffer();
            buffer.Clear();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                body(writer);
                writer.WriteEndObject();
            }

            byte[] bytes = buffer.ToArray();
            if (buffer.Capacity > 4 * 1024 * 1024)
            {
                // A huge reply's buffer is not kept.
                _replyBuffer = null;
            }

            return new SandboxReply(status, "application/json; charset=utf-8", bytes);
        }

        [ThreadStatic]
        private static ReplyBuffer? _replyBuffer;

        /// <summary>A growable byte buffer the JSON writer writes into directly (no second buffer of its own).</summary>
        private sealed class ReplyBuffer : System.Buffers.IBufferWriter<byte>
        {
            private byte[] _bytes = new byte[16 * 1024];
            private int _length;

            public int Capacity => _bytes.Length;

            public void Clear() => _length = 0;

            public byte[] ToArray()
            {
                var copy = new byte[_length];
                Buffer.BlockCopy(_bytes, 0, copy, 0, _length);
                return copy;
            }

            public void Advance(int count) => _length += count;

            public Memory<byte> GetMemory(int sizeHint = 0)
            {
                Reserve(sizeHint);
                return _bytes.AsMemory(_length);
            }

            public Span<byte> GetSpan(int sizeHint = 0)
            {
                Reserve(sizeHint);
                return _bytes.AsSpan(_length);
            }

            private void Reserve(int sizeHint)
            {
                int needed = _length + Math.Max(sizeHint, 256);
                if (needed > _bytes.Length)
                {
                    Array.Resize(ref _bytes, Math.Max(needed, _bytes.Length * 2));
                }
            }
        }

        [ThreadStatic]
        private static HashSet<string>? _seenModels;

        private string Say(string chinese, string english) => _options.ChineseMessages ? chinese : english;

        private static int QueryInt(SandboxHttpRequest request, string name, int fallback) =>
            int.TryParse(request.QueryValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
    }
}
