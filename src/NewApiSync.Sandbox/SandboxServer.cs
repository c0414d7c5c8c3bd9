using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace NewApiSync.Sandbox
{
    /// <summary>
    /// A local New API look-alike on a random loopback port (Start-NewApiSandbox, and every test suite). A plain
    /// TcpListener rather than HttpListener: it runs unprivileged on every OS and edition, and it can do what a test
    /// needs a real server to do badly (reset a connection, truncate a body, stall).
    /// </summary>
    public sealed class SandboxServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly SandboxApi _api;
        private readonly ConcurrentQueue<SandboxRequest> _requests = new ConcurrentQueue<SandboxRequest>();
        private readonly ConcurrentDictionary<TcpClient, byte> _connections = new ConcurrentDictionary<TcpClient, byte>();
        private readonly Task _acceptLoop;
        private int _inFlight;
        private int _maxInFlight;

        private SandboxServer(SandboxSite site, SandboxOptions options)
        {
            Site = site;
            Options = options;
            _api = new SandboxApi(site, options, Faults);
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        /// <summary>Starts a sandbox serving <paramref name="site"/> (the sample site when null).</summary>
        public static SandboxServer Start(SandboxSite? site = null, SandboxOptions? options = null) =>
            new SandboxServer(site ?? SandboxSite.CreateSample(), options ?? new SandboxOptions());

        public Uri BaseUri { get; }

        public string BaseUrl => BaseUri.AbsoluteUri.TrimEnd('/');

        public SandboxSite Site { get; }

        public SandboxOptions Options { get; }

        public SandboxFaults Faults { get; } = new SandboxFaults();

        public string AccessToken => Options.AccessToken;

        public int UserId => Options.UserId;

        /// <summary>Every request received so far, in arrival order.</summary>
        public IReadOnlyList<SandboxRequest> Requests => _requests.ToArray();

        /// <summary>The most requests that were being served at the same moment.</summary>
        public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

        /// <summary>Forgets the recorded requests and the concurrency high-water mark.</summary>
        public void ClearRequests()
        {
            while (_requests.TryDequeue(out _))
            {
            }

            Interlocked.Exchange(ref _maxInFlight, 0);
        }

        /// <summary>The recorded PUT /api/channel/ requests.</summary>
        public IReadOnlyList<SandboxRequest> Updates => Requests.Where(r => r.Route == SandboxRoute.UpdateChannel).ToArray();

        private async Task AcceptLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                client.NoDelay = true;
                _connections[client] = 0;
                _ = Task.Run(() => ServeConnectionAsync(client));
            }
        }

        private async Task ServeConnectionAsync(TcpClient client)
        {
            CancellationToken stopping = _stopping.Token;
            bool reset = false;
            try
            {
                using NetworkStream stream = client.GetStream();
                var pending = new MemoryStream();
                byte[] chunk = new byte[8192];
                while (!stopping.IsCancellationRequested)
                {
                    SandboxHttpRequest? request = await SandboxWire.ReadRequestAsync(stream, pending, stopping, chunk).ConfigureAwait(false);
                    if (request is null)
                    {
                        return;
                    }

                    var record = new SandboxRequest
                    {
                        Method = request.Method,
                        Path = request.Path,
                        Query = request.Query,
                        Body = request.Body,
                        Headers = request.Headers.Where(h => h.Key != "authorization").ToDictionary(h => h.Key, h => h.Value),
                        Authorized = request.Headers.TryGetValue("authorization", out string? auth) && _api.TokenMatches(auth),
                        ReceivedAt = DateTimeOffset.UtcNow,
                        Timestamp = Stopwatch.GetTimestamp(),
                    };
                    _requests.Enqueue(record);

                    bool closeAfterReply = false;
                    int now = Interlocked.Increment(ref _inFlight);
                    UpdateMax(now);
                    try
                    {
                        SandboxReply reply = _api.Handle(request, record);
                        if (reply.Delay > TimeSpan.Zero)
                        {
                            await Task.Delay(reply.Delay, stopping).ConfigureAwait(false);
                        }

                        if (reply.Reset)
                        {
                            // Part of a reply, then RST: the connection dies mid-response, which HttpClient cannot
                            // quietly retry (it does retry a connection that dies before any byte of the reply).
                            await SandboxWire.WritePartialReplyAsync(stream, stopping).ConfigureAwait(false);
                            reset = true;
                            return;
                        }

                        record.Status = reply.Status;
                        closeAfterReply = reply.CloseDelimited;
                        await SandboxWire.WriteReplyAsync(stream, reply, request.KeepAlive, stopping).ConfigureAwait(false);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _inFlight);
                    }

                    if (!request.KeepAlive || closeAfterReply)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
            {
                // The client went away (e.g. it timed out and closed), or the server is stopping.
            }
            finally
            {
                _connections.TryRemove(client, out _);
                Close(client, reset);
            }
        }

        private static void Close(TcpClient client, bool reset)
        {
            try
            {
                if (reset)
                {
                    // Linger 0 makes Close send RST instead of FIN: the client sees "connection reset by peer".
                    client.Client.LingerState = new LingerOption(true, 0);
                }

                client.Close();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }

        private void UpdateMax(int now)
        {
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
            }
        }

        public override string ToString() => $"New API sandbox at {BaseUrl} ({Site.Count} channels, {Options.Generation})";

        public void Dispose()
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            _listener.Stop();
            foreach (TcpClient client in _connections.Keys)
            {
                Close(client, reset: false);
            }

            try
            {
                _acceptLoop.Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
            }

            _stopping.Dispose();
        }
    }
}
