using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Channels;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace NewApiSync.Engine.Api
{
    /// <summary>
    /// The admin API of one New API site, as described in docs/newapi-admin-api.md, across its server generations.
    /// Every call goes through the run's <see cref="RequestThrottle"/>; a 429 pauses all callers and is retried here
    /// (it is not a failure of the channel); every other failure surfaces as a classified <see cref="NewApiException"/>.
    /// </summary>
    public sealed class NewApiClient : IDisposable
    {
        public const int MaxPageSize = 100;

        /// <summary>The most channels one listing accepts (documented in about_NewApiSync): a bound against a server that pages forever.</summary>
        public const int MaxListedChannels = 100_000;

        private static readonly string UserAgent = CreateUserAgent();

        private readonly NewApiConnection _connection;
        private readonly NewApiClientOptions _options;
        private readonly HttpClient _http;
        private readonly RequestThrottle _throttle;
        private readonly bool _ownsThrottle;
        private readonly ResiliencePipeline _rateLimitRetry;
        private readonly ResiliencePipeline _requestTimeout;

        public NewApiClient(NewApiConnection connection, NewApiClientOptions? options = null)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _options = options ?? new NewApiClientOptions();
            _ownsThrottle = _options.Throttle is null;
            _throttle = _options.Throttle ?? RequestThrottle.Unlimited(_options.TimeProvider);

            var handler = new HttpClientHandler
            {
                // A redirect is refused, not followed: the Authorization header must never travel to another host.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                UseCookies = false,
            };
            if (connection.SkipCertificateCheck)
            {
                handler.ServerCertificateCustomValidationCallback = static (_, _, _, _) => true;
            }

            _http = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

            _rateLimitRetry = _options.RateLimitRetries <= 0
                ? ResiliencePipeline.Empty // Polly refuses zero retries; no strategy is exactly "fail on the first 429".
                : new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider }
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<NewApiException>(ex => ex.Kind == NewApiErrorKind.RateLimited),
                    MaxRetryAttempts = _options.RateLimitRetries,
                    // The wait itself is the shared pause in the throttle, taken by every worker before its next request.
                    DelayGenerator = static _ => new ValueTask<TimeSpan?>(TimeSpan.Zero),
                    OnRetry = args =>
                    {
                        var ex = (NewApiException)args.Outcome.Exception!;
                        TimeSpan pause = ex.RetryAfter ?? Backoff(args.AttemptNumber);
                        _throttle.PauseAll(pause);
                        _options.Log.Verbose($"{ex.Request}: the server is rate limiting (429); every request waits {pause.TotalSeconds:0.#} s{(ex.RetryAfter is null ? " (backoff, no Retry-After)" : " (Retry-After)")}, then retries.");
                        return default;
                    },
                })
                .Build();

            _requestTimeout = new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider }
                .AddTimeout(connection.RequestTimeout)
                .Build();
        }

        public NewApiConnection Connection => _connection;

        public RequestThrottle Throttle => _throttle;

        /// <summary>GET /api/status (no authentication): the server's version, or null when it does not say.</summary>
        public async Task<string?> GetServerVersionAsync(CancellationToken cancellationToken)
        {
            using ApiReply reply = await SendAsync(HttpMethod.Get, "/api/status", null, authenticated: false, cancellationToken).ConfigureAwait(false);
            if (reply.Data.ValueKind == JsonValueKind.Object && reply.Data.TryGetProperty("version", out JsonElement version) && version.ValueKind == JsonValueKind.String)
            {
                return ChannelJson.TextOf(version);
            }

            return null;
        }

        /// <summary>
        /// One cheap authenticated call that needs the admin role: the first channel of the list. It proves the token,
        /// the user id (older servers reject a mismatched New-Api-User with 401) and the role, and learns the server's
        /// list shape. Older servers reject a bad token with 200 + success:false; that is reported as Authentication here.
        /// </summary>
        public async Task VerifyAccessAsync(CancellationToken cancellationToken)
        {
            try
            {
                using ApiReply reply = await SendAsync(HttpMethod.Get, "/api/channel/?p=1&page_size=1&id_sort=true", null, authenticated: true, cancellationToken).ConfigureAwait(false);
                _connection.Generation = reply.Data.ValueKind == JsonValueKind.Array ? ServerGeneration.Legacy : ServerGeneration.Paged;
            }
            catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.Rejected)
            {
                throw new NewApiException(NewApiErrorKind.Authentication,
                    $"The site refused the credentials ({Said(ex.ServerMessage)}{InEnglish(ex.ServerMessage)}). Check the access token (New API: Personal settings → System access token), that user {_connection.UserId} owns it, and that the user is an admin.", ex)
                {
                    Request = ex.Request,
                    HttpStatus = ex.HttpStatus,
                    ServerMessage = ex.ServerMessage,
                    ServerCode = ex.ServerCode,
                };
            }
        }

        /// <summary>
        /// Every channel of the site, paged by id so no page is skipped or repeated. Handles both list shapes: the
        /// current {items, total} with 1-based pages and the pre-2025-06 plain array with 0-based pages.
        /// <para>
        /// The server's <c>total</c> is never trusted to end the listing (a server reporting 5, 0 or -1 while holding 250
        /// channels would otherwise lose 150 of them from a "full" run): paging goes on until a short or empty page, or a
        /// page that adds no new id. A server that keeps sending full pages of new ids is cut off at
        /// <see cref="MaxListedChannels"/> with a Protocol error, so a run never pages forever.
        /// </para>
        /// </summary>
        /// <param name="status">null for all; "enabled" or "disabled" to let the server filter.</param>
        /// <param name="onPage">Called after each page with the number of channels so far and the total when known (and plausible).</param>
        public async Task<IReadOnlyList<Channel>> ListChannelsAsync(string? status, Action<int, int?>? onPage, CancellationToken cancellationToken)
        {
            var all = new List<Channel>();
            var seen = new HashSet<int>();
            string statusQuery = string.IsNullOrEmpty(status) ? string.Empty : "&status=" + Uri.EscapeDataString(status);
            bool legacy = _connection.Generation == ServerGeneration.Legacy;
            int page = legacy ? 0 : 1;
            bool sawFullPage = false;

            while (true)
            {
                string path = $"/api/channel/?p={page}&page_size={MaxPageSize}&id_sort=true{statusQuery}";
                using ApiReply reply = await SendAsync(HttpMethod.Get, path, null, authenticated: true, cancellationToken).ConfigureAwait(false);
                string request = "GET " + path;
                List<Channel> items;
                int? total = null;
                int pageSize = MaxPageSize;

                if (reply.Data.ValueKind == JsonValueKind.Array)
                {
                    if (!legacy)
                    {
                        // A pre-2025-06 server: pages are 0-based, so p=1 skipped the first page. Start again at p=0.
                        legacy = true;
                        _connection.Generation = ServerGeneration.Legacy;
                        _options.Log.Verbose("The server lists channels as a plain array with 0-based pages (a release before 2025-06).");
                        page = 0;
                        continue;
                    }

                    items = ChannelJson.ReadChannelArray(reply.Data, request);
                }
                else if (reply.Data.ValueKind == JsonValueKind.Object && reply.Data.TryGetProperty("items", out JsonElement itemsElement))
                {
                    _connection.Generation = ServerGeneration.Paged;
                    items = itemsElement.ValueKind == JsonValueKind.Null ? new List<Channel>() : ChannelJson.ReadChannelArray(itemsElement, request);
                    if (reply.Data.TryGetProperty("total", out JsonElement totalElement) && totalElement.ValueKind == JsonValueKind.Number && totalElement.TryGetInt32(out int t))
                    {
                        total = t;
                    }

                    // A server that caps pages below what was asked says so; its full pages are then not "short".
                    if (reply.Data.TryGetProperty("page_size", out JsonElement sizeElement) && sizeElement.ValueKind == JsonValueKind.Number &&
                        sizeElement.TryGetInt32(out int size) && size >= 1 && size < MaxPageSize)
                    {
                        pageSize = size;
                    }
                }
                else if (reply.Data.ValueKind == JsonValueKind.Null)
                {
                    items = new List<Channel>();
                }
                else
                {
                    throw ChannelJson.Protocol(request, $"the channel list is {reply.Data.ValueKind}, expected {{items, total}} or an array");
                }

                int fresh = 0;
                foreach (Channel channel in items)
                {
                    if (seen.Add(channel.Id))
                    {
                        all.Add(channel);
                        fresh++;
                    }
                }

                // Progress shows the server's total only while it is still plausible.
                onPage?.Invoke(all.Count, total is int shown && shown >= all.Count ? shown : null);

                if (total is int claimed && claimed != all.Count && (items.Count == 0 || items.Count < pageSize))
                {
                    _options.Log.Verbose($"The server reported {claimed} channel(s) in total but listed {all.Count}; the listing counts what it received.");
                }

                if (items.Count == 0)
                {
                    break;
                }

                if (fresh == 0)
                {
                    // The server ignored the page number and sent channels already listed: that is the end, not a loop.
                    _options.Log.Verbose($"{request}: the page adds no channel not already listed; the listing ends here.");
                    break;
                }

                int cap = _options.MaxListedChannels;
                if (all.Count > cap)
                {
                    throw new NewApiException(NewApiErrorKind.Protocol,
                        $"{request}: the site listed more than {cap.ToString("N0", CultureInfo.InvariantCulture)} channels and kept sending full pages of new ones; the listing was stopped there. NewApiSync handles at most {cap.ToString("N0", CultureInfo.InvariantCulture)} channels per site (a real site this size is unheard of: check that the address is the New API site itself).")
                    {
                        Request = request,
                        HttpStatus = 200,
                    };
                }

                if (items.Count >= pageSize)
                {
                    sawFullPage = true;
                }
                else if (sawFullPage || !legacy)
                {
                    // A short page after full ones is the last page; so is a short page of a server that said its page
                    // size. A short first legacy page may only mean the server uses smaller pages than we asked for;
                    // the next (empty, or repeated) page settles it.
                    break;
                }

                page++;
            }

            // Servers page by id in either direction; callers and users get a stable ascending order.
            all.Sort(static (a, b) => a.Id.CompareTo(b.Id));
            return all;
        }

        /// <summary>GET /api/channel/{id}. A channel that does not exist is NotFound (200 + success:false on real servers).</summary>
        public async Task<Channel> GetChannelAsync(int id, CancellationToken cancellationToken)
        {
            string path = $"/api/channel/{id.ToString(CultureInfo.InvariantCulture)}";
            try
            {
                using ApiReply reply = await SendAsync(HttpMethod.Get, path, null, authenticated: true, cancellationToken).ConfigureAwait(false);
                return ChannelJson.ReadChannel(reply.Data, "GET " + path);
            }
            catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.Rejected)
            {
                throw Reclassify(ex, NewApiErrorKind.NotFound, $"Channel {id} was not found on {_connection.BaseUrl} ({Said(ex.ServerMessage)}{InEnglish(ex.ServerMessage)}).");
            }
        }

        /// <summary>The longest model name accepted from an upstream list (documented in about_NewApiSync).</summary>
        public const int MaxModelNameLength = 512;

        /// <summary>
        /// The upstream models of <paramref name="channel"/>, without the names New API cannot store (see
        /// <see cref="ModelNameProblem"/>); those are skipped with one warning naming the channel.
        /// </summary>
        public async Task<IReadOnlyList<string>> FetchUpstreamModelsAsync(Channel channel, CancellationToken cancellationToken)
        {
            if (channel is null)
            {
                throw new ArgumentNullException(nameof(channel));
            }

            IReadOnlyList<string> names = await FetchUpstreamModelsAsync(channel.Id, cancellationToken).ConfigureAwait(false);
            List<string>? kept = null;
            var skipped = new List<string>();
            for (int i = 0; i < names.Count; i++)
            {
                string? problem = ModelNameProblem(names[i]);
                if (problem is null)
                {
                    kept?.Add(names[i]);
                    continue;
                }

                if (kept is null)
                {
                    kept = new List<string>(names.Count);
                    for (int j = 0; j < i; j++)
                    {
                        kept.Add(names[j]);
                    }
                }

                if (skipped.Count < 5)
                {
                    skipped.Add(problem.Length == 0 ? "a blank name" : problem);
                }
                else if (skipped.Count == 5)
                {
                    skipped.Add("…");
                }
            }

            if (kept is null)
            {
                return names;
            }

            int dropped = names.Count - kept.Count;
            _options.Log.Warning($"Channel '{channel.Name}' (#{channel.Id.ToString(CultureInfo.InvariantCulture)}): {dropped} upstream model name(s) skipped, because New API stores models as one comma-separated list: {string.Join("; ", skipped)}.");
            return kept;
        }

        /// <summary>
        /// Why New API cannot store <paramref name="name"/> as a model, or null when it can: a comma would split it into
        /// two models (so the channel would change on every sync), control characters (newline, tab) and names over
        /// <see cref="MaxModelNameLength"/> characters are not model names. An empty string means a blank name.
        /// </summary>
        public static string? ModelNameProblem(string name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return string.Empty;
            }

            if (name.Length > MaxModelNameLength)
            {
                return $"a name of {name.Length.ToString(CultureInfo.InvariantCulture)} characters (over {MaxModelNameLength.ToString(CultureInfo.InvariantCulture)}) starting '{Shorten(name)}'";
            }

            if (name.IndexOf(',') >= 0)
            {
                return $"'{Shorten(name)}' contains a comma";
            }

            foreach (char c in name)
            {
                if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
                {
                    return $"'{Shorten(name)}' contains a control character";
                }
            }

            return null;
        }

        private static string Shorten(string name) => Text.DisplayText.Escape(name.Length <= 60 ? name : name.Substring(0, 60) + "…");

        /// <summary>
        /// GET /api/channel/fetch_models/{id}: the server asks the provider with the channel's key. A provider failure
        /// arrives as 200 + success:false and is reported as Upstream.
        /// </summary>
        public async Task<IReadOnlyList<string>> FetchUpstreamModelsAsync(int id, CancellationToken cancellationToken)
        {
            string path = $"/api/channel/fetch_models/{id.ToString(CultureInfo.InvariantCulture)}";
            try
            {
                using ApiReply reply = await SendAsync(HttpMethod.Get, path, null, authenticated: true, cancellationToken).ConfigureAwait(false);
                return ChannelJson.ReadModelNames(reply.Data, "GET " + path);
            }
            catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.Rejected)
            {
                throw Reclassify(ex, NewApiErrorKind.Upstream, $"The upstream provider of channel {id} could not be asked for its models: {Said(ex.ServerMessage)}");
            }
        }

        /// <summary>
        /// PUT /api/channel/ with only <c>id</c> and the fields in <paramref name="update"/>. Returns the updated channel
        /// when the server sends it back, else null.
        /// </summary>
        public async Task<Channel?> UpdateChannelAsync(ChannelUpdate update, CancellationToken cancellationToken)
        {
            if (update is null)
            {
                throw new ArgumentNullException(nameof(update));
            }

            if (update.Models is null && update.ModelMapping is null && update.ModelMappingText is null)
            {
                throw new ArgumentException("The update changes nothing.", nameof(update));
            }

            if (update.ModelMapping is not null && update.ModelMappingText is not null)
            {
                throw new ArgumentException("An update carries the mapping either parsed or as text, not both.", nameof(update));
            }

            if (update.ModelMappingText is { Length: 0 })
            {
                // "model_mapping": "" is a zero value New API skips; an empty mapping is written as "{}".
                throw new ArgumentException("New API skips an empty model_mapping; send \"{}\" to empty it.", nameof(update));
            }

            if (update.Models is { Count: 0 })
            {
                // "models": "" is a zero value New API skips: it would silently change nothing.
                throw new ArgumentException("New API cannot clear a channel's model list; an update must keep at least one model.", nameof(update));
            }

            byte[] body = WriteUpdateBody(update);
            using ApiReply reply = await SendAsync(HttpMethod.Put, "/api/channel/", body, authenticated: true, cancellationToken).ConfigureAwait(false);
            return reply.Data.ValueKind switch
            {
                JsonValueKind.Object => ChannelJson.ReadChannel(reply.Data, "PUT /api/channel/"),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                // success:true with data that is neither the channel nor absent is not New API's reply (a proxy or a
                // broken server): whether the write happened is unknown, so say Protocol and let the caller read back.
                _ => throw ChannelJson.Protocol("PUT /api/channel/", $"the update reply's data is {reply.Data.ValueKind}, expected the channel or nothing"),
            };
        }

        internal static byte[] WriteUpdateBody(ChannelUpdate update)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", update.Id);
                if (update.Models is not null)
                {
                    writer.WriteString("models", update.Models.ToWireString());
                }

                if (update.ModelMapping is not null)
                {
                    writer.WriteString("model_mapping", update.ModelMapping.ToJson());
                }
                else if (update.ModelMappingText is not null)
                {
                    writer.WriteString("model_mapping", update.ModelMappingText);
                }

                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }

        private async Task<ApiReply> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, bool authenticated, CancellationToken cancellationToken)
        {
            string request = $"{method.Method} {pathAndQuery}";
            return await _rateLimitRetry.ExecuteAsync(
                async ct =>
                {
                    TimeSpan waited = await _throttle.AcquireAsync(ct).ConfigureAwait(false);
                    if (waited >= TimeSpan.FromMilliseconds(250))
                    {
                        _options.Log.Verbose($"{request}: waited {waited.TotalSeconds:0.0} s for the request rate limit.");
                    }

                    long epoch = _throttle.RateEpoch;
                    try
                    {
                        ApiReply reply = await SendOnceAsync(method, pathAndQuery, body, authenticated, request, ct).ConfigureAwait(false);
                        ReportRate(_throttle.OnReply(), raised: true);
                        return reply;
                    }
                    catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.RateLimited)
                    {
                        ReportRate(_throttle.OnRateLimited(epoch), raised: false);
                        throw;
                    }
                    catch (NewApiException ex) when (ex.HttpStatus is not null)
                    {
                        // The server answered, and not with a 429: the rate was fine.
                        ReportRate(_throttle.OnReply(), raised: true);
                        throw;
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }

        private void ReportRate(double? requestsPerMinute, bool raised)
        {
            if (requestsPerMinute is double rate)
            {
                _options.Log.Verbose(raised
                    ? $"No 429 for a while: the request rate goes up to {rate:0.#} requests/min."
                    : $"The server is rate limiting: requests slow down to {rate:0.#} requests/min (the rate it accepted lately), then speed up again after sustained success.");
            }
        }

        private async Task<ApiReply> SendOnceAsync(HttpMethod method, string pathAndQuery, byte[]? body, bool authenticated, string request, CancellationToken cancellationToken)
        {
            _options.Log.Verbose(request);
            long started = Stopwatch.GetTimestamp();
            int? status = null;
            try
            {
                return await _requestTimeout.ExecuteAsync(
                    async ct =>
                    {
                        using var message = new HttpRequestMessage(method, new Uri(_connection.BaseUrl + pathAndQuery, UriKind.Absolute));
                        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                        if (authenticated)
                        {
                            message.Headers.TryAddWithoutValidation("Authorization", _connection.CreateAuthorizationValue());
                            message.Headers.TryAddWithoutValidation("New-Api-User", _connection.UserId.ToString(CultureInfo.InvariantCulture));
                        }

                        if (body is not null)
                        {
                            message.Content = new ByteArrayContent(body);
                            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                        }

                        using HttpResponseMessage response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                        status = (int)response.StatusCode;
                        ReplyBody content = await ReadBoundedAsync(response, request, ct).ConfigureAwait(false);
                        try
                        {
                            // On success the reply owns the body (and its large-reply slot) until the caller disposes it.
                            return Interpret(response, content, request, body is not null);
                        }
                        catch
                        {
                            content.Dispose();
                            throw;
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (NewApiException)
            {
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (TimeoutRejectedException ex)
            {
                throw new NewApiException(NewApiErrorKind.Timeout, $"{request}: no reply within {_connection.RequestTimeout.TotalSeconds:0.#} s.", ex)
                {
                    Request = request,
                    RequestMayHaveBeenSent = true,
                };
            }
            catch (OperationCanceledException ex)
            {
                throw new NewApiException(NewApiErrorKind.Timeout, $"{request}: the request was abandoned before a reply arrived.", ex)
                {
                    Request = request,
                    RequestMayHaveBeenSent = true,
                };
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException or ObjectDisposedException)
            {
                bool neverSent = FindSocketError(ex) is SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NoData or SocketError.HostUnreachable or SocketError.NetworkUnreachable;
                throw new NewApiException(NewApiErrorKind.Network, $"{request}: {_connection.BaseUri.Authority} could not be reached or dropped the connection ({Innermost(ex).Message}).", ex)
                {
                    Request = request,
                    // Headers may have arrived before the connection died, but there was no reply to speak of.
                    RequestMayHaveBeenSent = !neverSent,
                };
            }
            finally
            {
                double ms = (Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency;
                _options.Log.Debug($"{request} -> {(status is int s ? s.ToString(CultureInfo.InvariantCulture) : "no reply")} in {ms:0} ms");
            }
        }

        /// <summary>Replies larger than this count against the process-wide budget of large replies.</summary>
        public const int LargeReplyBytes = 1024 * 1024;

        /// <summary>How many large replies the whole process reads and parses at once (documented in about_NewApiSync).</summary>
        public const int LargeReplySlots = 1;

        // Process-wide, not per client or per run: 16 workers each buffering and parsing a 70 MB reply peaked at 1.9 GB.
        // A reply takes a slot before it grows past LargeReplyBytes (at once, when its Content-Length says it will) and
        // keeps it until the caller has disposed the parsed reply, so one large body and its document exist at a time; the
        // others wait with their bodies still in the socket. Real replies are far below the threshold.
        private static readonly SemaphoreSlim LargeReplies = new SemaphoreSlim(LargeReplySlots, LargeReplySlots);

        private async Task<ReplyBody> ReadBoundedAsync(HttpResponseMessage response, string request, CancellationToken cancellationToken)
        {
            long limit = _options.MaxResponseBytes;
            long? declared = response.Content.Headers.ContentLength;
            if (declared is long tooBig && tooBig > limit)
            {
                throw TooLarge(request, (int)response.StatusCode);
            }

            bool holdsSlot = false;
            byte[] buffer;
            try
            {
                if (declared is long big && big > LargeReplyBytes)
                {
                    await LargeReplies.WaitAsync(cancellationToken).ConfigureAwait(false);
                    holdsSlot = true;
                }

                using Stream stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                // The exact size at once when the server declared it: no doubling, no copy at the end. (Not the shared
                // ArrayPool: it keeps big arrays per thread and per core, which is exactly the growth to avoid.)
                buffer = new byte[declared is long exact ? (int)Math.Max(1, exact) : 81920];
                int length = 0;
                while (true)
                {
                    if (length == buffer.Length || (declared is long known && length >= known))
                    {
                        if (declared is long done && length >= done)
                        {
                            break;
                        }

                        if (!holdsSlot && (long)buffer.Length * 2 > LargeReplyBytes)
                        {
                            await LargeReplies.WaitAsync(cancellationToken).ConfigureAwait(false);
                            holdsSlot = true;
                        }

                        Array.Resize(ref buffer, (int)Math.Min(limit + 1, (long)buffer.Length * 2));
                    }

                    int read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > limit)
                    {
                        throw TooLarge(request, (int)response.StatusCode);
                    }
                }

                var body = new ReplyBody(buffer, length, holdsSlot ? LargeReplies : null);
                holdsSlot = false;
                return body;
            }
            finally
            {
                if (holdsSlot)
                {
                    // Refused or failed half-way: its buffers are garbage now, as after a reply's normal end.
                    GC.Collect();
                    LargeReplies.Release();
                }
            }
        }

        private NewApiException TooLarge(string request, int status) =>
            new NewApiException(NewApiErrorKind.Protocol, $"{request}: the reply is larger than {_options.MaxResponseBytes / (1024 * 1024)} MiB and was refused.")
            {
                Request = request,
                HttpStatus = status,
            };

        private ApiReply Interpret(HttpResponseMessage response, ReplyBody content, string request, bool isWrite)
        {
            int status = (int)response.StatusCode;
            if (content.Length > LargeReplyBytes)
            {
                RefuseHugeDataArray(content, request, status);
            }

            JsonDocument? document = TryParse(content);
            string? serverMessage = null, serverCode = null;
            bool? success = null;
            JsonElement data = default;
            if (document is not null && document.RootElement.ValueKind == JsonValueKind.Object)
            {
                JsonElement root = document.RootElement;
                if (root.TryGetProperty("success", out JsonElement s) && (s.ValueKind == JsonValueKind.True || s.ValueKind == JsonValueKind.False))
                {
                    success = s.GetBoolean();
                }

                if (root.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String)
                {
                    serverMessage = ChannelJson.TextOf(m);
                }

                if (root.TryGetProperty("code", out JsonElement c) && c.ValueKind == JsonValueKind.String)
                {
                    serverCode = ChannelJson.TextOf(c);
                }

                if (root.TryGetProperty("data", out JsonElement d))
                {
                    data = d;
                }
            }

            if (status >= 200 && status < 300)
            {
                if (success is null)
                {
                    document?.Dispose();
                    throw new NewApiException(NewApiErrorKind.Protocol, $"{request}: the reply is not New API's JSON envelope{DescribeBody(response, content)}.")
                    {
                        Request = request,
                        HttpStatus = status,
                    };
                }

                if (success == false)
                {
                    document!.Dispose();
                    // Older servers refuse a bad token, a mismatched user or a low role with 200 + success:false and no
                    // code; their message is the only sign, and it must not read as "channel not found" or an upstream failure.
                    NewApiErrorKind kind = KindFromCode(serverCode) ?? KindFromMessage(serverMessage) ?? NewApiErrorKind.Rejected;
                    string refusal = kind switch
                    {
                        NewApiErrorKind.Authentication => $"{request}: the site refused the credentials: {Said(serverMessage)}{InEnglish(serverMessage)}.",
                        NewApiErrorKind.Forbidden => $"{request}: the user is not allowed to do this: {Said(serverMessage)}{InEnglish(serverMessage)}; channel management needs an admin or root user.",
                        _ => $"{request}: the server answered success:false: {Said(serverMessage)}",
                    };
                    throw new NewApiException(kind, refusal)
                    {
                        Request = request,
                        HttpStatus = status,
                        ServerMessage = serverMessage,
                        ServerCode = serverCode,
                    };
                }

                return new ApiReply(document!, data, content);
            }

            document?.Dispose();
            string said = string.IsNullOrEmpty(serverMessage) ? DescribeBody(response, content) : $" ({serverMessage}{InEnglish(serverMessage)})";
            var (errorKind, text) = status switch
            {
                401 => (NewApiErrorKind.Authentication, $"the site rejected the credentials{said}. Check the access token and user id (New API: Personal settings)."),
                403 => (NewApiErrorKind.Forbidden, $"the user is not allowed to do this{said}; channel management needs an admin or root user."),
                404 => (NewApiErrorKind.NotFound, $"not found{said}."),
                408 => (NewApiErrorKind.Timeout, $"the server timed out{said}."),
                429 => (NewApiErrorKind.RateLimited, "the server is rate limiting this client (429)."),
                // A body that is not JSON at all comes from something in front of New API (an nginx 502 page): the
                // issue is what answered, not the server's own failure, and the status alone would hide that.
                >= 500 when document is null && content.Length > 0 => (NewApiErrorKind.Protocol, $"HTTP {status} with a reply that is not New API's JSON{DescribeBody(response, content)}: a proxy in front of the site answered instead of New API."),
                >= 500 => (NewApiErrorKind.Server, $"the server failed with HTTP {status}{said}."),
                >= 300 and < 400 => (NewApiErrorKind.Protocol, $"the server redirected to {DescribeLocation(response)}; redirects are not followed so the token stays with this site. Connect with the final address."),
                _ => (NewApiErrorKind.Rejected, $"the server refused the request with HTTP {status}{said}."),
            };
            throw new NewApiException(KindFromCode(serverCode) ?? errorKind, $"{request}: {text}")
            {
                Request = request,
                HttpStatus = status,
                ServerMessage = serverMessage,
                ServerCode = serverCode,
                RetryAfter = status == 429 ? ReadRetryAfter(response) : null,
                RequestMayHaveBeenSent = isWrite && status >= 500,
            };
        }

        private static NewApiErrorKind? KindFromCode(string? code)
        {
            if (string.IsNullOrEmpty(code))
            {
                return null;
            }

            string upper = code!.ToUpperInvariant();
            if (upper.Contains("FORBIDDEN") || upper.Contains("PERMISSION"))
            {
                return NewApiErrorKind.Forbidden;
            }

            if (upper.StartsWith("AUTH", StringComparison.Ordinal) || upper.Contains("UNAUTHORIZED"))
            {
                return NewApiErrorKind.Authentication;
            }

            return null;
        }

        /// <summary>The server's message as shown to the user; an empty one says so instead of leaving a dangling colon.</summary>
        internal static string Said(string? serverMessage) =>
            string.IsNullOrWhiteSpace(serverMessage) ? "(the server gave no message)" : serverMessage!;

        // New API's Chinese refusals (servers before 2026-02 send only these), and what each means.
        private static readonly (string Chinese, string English)[] KnownRefusals =
        {
            ("New-Api-User 与登录用户不匹配", "the user id (New-Api-User) is not the user who owns the access token"),
            ("未提供 New-Api-User", "the user id (New-Api-User header) is missing"),
            ("未登录且未提供 access token", "no access token was accepted"),
            ("access token 无效", "the access token is invalid"),
            ("权限不足", "the user's role is too low; an admin or root user is needed"),
            ("渠道不存在", "the channel does not exist"),
        };

        /// <summary>" (in English: …)" for a known Chinese server message, else nothing.</summary>
        internal static string InEnglish(string? serverMessage)
        {
            if (string.IsNullOrEmpty(serverMessage))
            {
                return string.Empty;
            }

            foreach ((string chinese, string english) in KnownRefusals)
            {
                if (serverMessage!.IndexOf(chinese, StringComparison.Ordinal) >= 0)
                {
                    return $" (in English: {english})";
                }
            }

            return string.Empty;
        }

        /// <summary>
        /// The auth refusals of servers that send no code: New API's own messages start with 无权进行此操作 ("no
        /// permission to do this"); 权限不足 in it means the role is too low. Provider failures relayed by fetch_models
        /// start differently (获取模型列表失败), so they are never taken for a refused token.
        /// </summary>
        internal static NewApiErrorKind? KindFromMessage(string? message)
        {
            if (string.IsNullOrEmpty(message))
            {
                return null;
            }

            string text = message!.TrimStart();
            if (text.StartsWith("无权进行此操作", StringComparison.Ordinal))
            {
                return text.IndexOf("权限不足", StringComparison.Ordinal) >= 0 ? NewApiErrorKind.Forbidden : NewApiErrorKind.Authentication;
            }

            if (text.StartsWith("access token is invalid", StringComparison.OrdinalIgnoreCase) ||
                text.StartsWith("not logged in", StringComparison.OrdinalIgnoreCase) ||
                text.StartsWith("New-Api-User", StringComparison.OrdinalIgnoreCase))
            {
                return NewApiErrorKind.Authentication;
            }

            return null;
        }

        private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
        {
            RetryConditionHeaderValue? retryAfter = response.Headers.RetryAfter;
            if (retryAfter?.Delta is TimeSpan delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (retryAfter?.Date is DateTimeOffset date)
            {
                TimeSpan wait = date - _options.TimeProvider.GetUtcNow();
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }

        private TimeSpan Backoff(int attempt)
        {
            double seconds = _options.RateLimitBackoff.TotalSeconds * Math.Pow(2, Math.Min(attempt, 10));
            return TimeSpan.FromSeconds(Math.Min(60, seconds));
        }

        /// <summary>
        /// A big reply whose <c>data</c> array holds more items than any real one (a page has 100 channels, a model list
        /// at most <see cref="ChannelJson.MaxUpstreamModels"/> names) is refused before it becomes a JsonDocument, whose
        /// index alone is as large as the reply. The scan allocates nothing; malformed JSON is left to the parse.
        /// </summary>
        private static void RefuseHugeDataArray(ReplyBody content, string request, int status)
        {
            var reader = new Utf8JsonReader(content.Memory.Span, new JsonReaderOptions { MaxDepth = 64 });
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isData = reader.ValueTextEquals("data"u8);
                    reader.Read();
                    if (!isData || reader.TokenType != JsonTokenType.StartArray)
                    {
                        reader.Skip();
                        continue;
                    }

                    int items = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        reader.Skip();
                        if (++items > ChannelJson.MaxUpstreamModels)
                        {
                            throw new NewApiException(NewApiErrorKind.Protocol,
                                $"{request}: the reply's data holds more than {ChannelJson.MaxUpstreamModels.ToString("N0", CultureInfo.InvariantCulture)} items ({content.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes); no model list or channel page is that long, so it was refused.")
                            {
                                Request = request,
                                HttpStatus = status,
                            };
                        }
                    }

                    return;
                }
            }
            catch (JsonException)
            {
                // Not JSON, or cut short: the parse that follows says so.
            }
        }

        private static JsonDocument? TryParse(ReplyBody content)
        {
            if (content.Length == 0)
            {
                return null;
            }

            try
            {
                // Parses over the body's own buffer: the document keeps a reference, not a copy.
                return JsonDocument.Parse(content.Memory, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string DescribeBody(HttpResponseMessage response, ReplyBody content)
        {
            if (content.Length == 0)
            {
                return " (empty body)";
            }

            string? type = response.Content.Headers.ContentType?.MediaType;
            return type is null ? $" ({content.Length} bytes)" : $" ({type}, {content.Length} bytes)";
        }

        private static string DescribeLocation(HttpResponseMessage response)
        {
            Uri? location = response.Headers.Location;
            if (location is null)
            {
                return "another address";
            }

            return location.IsAbsoluteUri ? location.GetLeftPart(UriPartial.Path) : location.OriginalString.Split('?')[0];
        }

        private static NewApiException Reclassify(NewApiException ex, NewApiErrorKind kind, string message) =>
            new NewApiException(kind, message, ex)
            {
                Request = ex.Request,
                HttpStatus = ex.HttpStatus,
                ServerMessage = ex.ServerMessage,
                ServerCode = ex.ServerCode,
            };

        private static SocketError? FindSocketError(Exception ex)
        {
            for (Exception? e = ex; e is not null; e = e.InnerException)
            {
                if (e is SocketException socket)
                {
                    return socket.SocketErrorCode;
                }
            }

            return null;
        }

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException is not null)
            {
                ex = ex.InnerException;
            }

            return ex;
        }

        private static string CreateUserAgent()
        {
            Assembly assembly = typeof(NewApiClient).Assembly;
            string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
                ?? assembly.GetName().Version?.ToString() ?? "0";
            return $"NewApiSync/{version} (PowerShell module; +https://github.com/NewApiSync/NewApiSync)";
        }

        public void Dispose()
        {
            _http.Dispose();
            if (_ownsThrottle)
            {
                _throttle.Dispose();
            }
        }

        /// <summary>
        /// A parsed success envelope; disposing it frees the document behind <see cref="Data"/> and the body under it
        /// (with its large-reply slot).
        /// </summary>
        private readonly struct ApiReply : IDisposable
        {
            public ApiReply(JsonDocument document, JsonElement data, ReplyBody body)
            {
                Document = document;
                Data = data;
                Body = body;
            }

            public JsonDocument Document { get; }

            public JsonElement Data { get; }

            private ReplyBody Body { get; }

            public void Dispose()
            {
                Document?.Dispose();
                Body?.Dispose();
            }
        }

        /// <summary>A reply's bytes; a large one holds one of the process's large-reply slots until disposed.</summary>
        private sealed class ReplyBody : IDisposable
        {
            private SemaphoreSlim? _slot;

            public ReplyBody(byte[] buffer, int length, SemaphoreSlim? slot)
            {
                Memory = new ReadOnlyMemory<byte>(buffer, 0, length);
                _slot = slot;
            }

            public ReadOnlyMemory<byte> Memory { get; }

            public int Length => Memory.Length;

            public void Dispose()
            {
                SemaphoreSlim? slot = Interlocked.Exchange(ref _slot, null);
                if (slot is null)
                {
                    return;
                }

                // A large reply leaves tens of MB of large-object garbage (its buffer, the grown copies before it); the GC
                // would collect it only when its own budget says so, after the next large replies have added theirs.
                // Large replies are rare, so collecting now is cheap next to the growth it prevents.
                GC.Collect();
                slot.Release();
            }
        }
    }
}
