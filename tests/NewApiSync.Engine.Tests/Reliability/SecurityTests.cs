using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Results;
using NewApiSync.Engine.Settings;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;
using static NewApiSync.Engine.Tests.Reliability.ReliabilityRuns;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>The token stays secret everywhere, never follows a redirect, and TLS is checked unless the user opts out.</summary>
    public sealed class SecurityTests : IDisposable
    {
        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        [Fact]
        public async Task The_Token_Is_Nowhere_In_Logs_Errors_Journal_Settings_Or_What_The_Server_Recorded()
        {
            using var server = SandboxServer.Start(SandboxSite.CreateSample());
            string token = server.AccessToken;
            string wrongToken = "sbx-wrong-" + Guid.NewGuid().ToString("N");
            var log = new CollectingLog();
            var errors = new List<Exception>();

            // A run with every kind of trouble, so every logging and error path speaks.
            foreach (SandboxFaultKind kind in new[] { SandboxFaultKind.ServerError, SandboxFaultKind.HtmlBadGateway, SandboxFaultKind.Reset, SandboxFaultKind.MalformedBody, SandboxFaultKind.WrongShape, SandboxFaultKind.ResetAfterWrite, SandboxFaultKind.BadGatewayAfterWrite })
            {
                server.Faults.Add(new SandboxFault(kind == SandboxFaultKind.ResetAfterWrite || kind == SandboxFaultKind.BadGatewayAfterWrite ? SandboxRoute.UpdateChannel : SandboxRoute.FetchModels, kind, 2));
            }

            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.RateLimited) { RetryAfter = TimeSpan.Zero });
            SyncJournal journal = SyncJournal.ForSite(_root.Path, server.BaseUrl, server.UserId);
            NewApiSyncRun run = await SyncIntoJournalAsync(Sandboxes.Connect(server), journal, Fast(maxRetries: 1), log);
            Assert.True(run.Failed > 0 && run.Changed > 0, run.ToString());
            new SyncSettingsStore(_root.Path).Save(new SyncSettings { AutoSync = true, IncludeModel = new[] { "gpt-*" } });

            // Errors of every origin: a bad token, a missing channel, a run stopped by authentication, a refused host.
            using (NewApiClient bad = Sandboxes.Client(server, new NewApiClientOptions { Log = log }, token: wrongToken))
            {
                errors.Add(await Assert.ThrowsAsync<NewApiException>(() => bad.VerifyAccessAsync(default)));
            }

            using (NewApiClient client = Sandboxes.Client(server, new NewApiClientOptions { Log = log }))
            {
                errors.Add(await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(99_999, default)));
                server.Faults.FailNext(SandboxRoute.GetChannel, SandboxFaultKind.Forbidden);
                errors.Add(await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(1, default)));
            }

            server.Faults.FailNext(SandboxRoute.FetchModels, SandboxFaultKind.Unauthorized);
            errors.Add(await Assert.ThrowsAsync<NewApiException>(() => SyncIntoJournalAsync(Sandboxes.Connect(server), journal, Fast(), log)));
            using (var refused = new NewApiClient(new NewApiConnection("http://127.0.0.1:9", Sandboxes.Secure(token), 1) { RequestTimeout = TimeSpan.FromSeconds(5) }, new NewApiClientOptions { Log = log }))
            {
                errors.Add(await Assert.ThrowsAsync<NewApiException>(() => refused.ListChannelsAsync(null, null, default)));
            }

            errors.AddRange(journal.ReadResults().Where(r => r.Error is not null).Select(r => new Exception(r.Error)));
            Assert.True(log.Messages.Count > 50, $"only {log.Messages.Count} log messages");

            foreach (string secret in new[] { token, wrongToken })
            {
                // The whole token, and any long piece of it (a token cut by truncation is still a leak).
                string piece = secret.Substring(4, 16);
                foreach (string text in log.Messages.Concat(errors.Select(e => e.ToString())).Append(Sandboxes.Connect(server).ToString()))
                {
                    Assert.DoesNotContain(piece, text);
                }

                foreach (string file in Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories))
                {
                    Assert.DoesNotContain(piece, File.ReadAllText(file));
                }

                foreach (SandboxRequest request in server.Requests)
                {
                    Assert.DoesNotContain(piece, request.Path + "?" + request.Query + "\n" + request.Body + "\n" + string.Join("\n", request.Headers.Select(h => h.Key + ": " + h.Value)));
                }
            }

            // The scan looked at something real: a journal, the settings file, the sandbox's record of the requests.
            Assert.NotEmpty(Directory.EnumerateFiles(journal.RunsDirectory, "*.jsonl"));
            Assert.True(File.Exists(new SyncSettingsStore(_root.Path).FilePath));
            Assert.Contains(server.Requests, r => r.Authorized);
        }

        [Fact]
        public async Task A_Redirect_To_Another_Host_Fails_And_Nothing_Reaches_That_Host()
        {
            using var server = SandboxServer.Start();
            using var elsewhere = new LoopbackListener();
            // "localhost" is another host name than the sandbox's 127.0.0.1, as a redirect to a different site would be.
            server.Faults.Add(new SandboxFault(SandboxRoute.Any, SandboxFaultKind.Redirect, count: 10) { Location = $"http://localhost:{elsewhere.Port}/api/channel/" });
            using NewApiClient client = Sandboxes.Client(server);

            NewApiException ex = await Assert.ThrowsAsync<NewApiException>(() => client.ListChannelsAsync(null, null, default));
            Assert.Equal(NewApiErrorKind.Protocol, ex.Kind);
            Assert.Equal(302, ex.HttpStatus);
            Assert.Contains("redirect", ex.Message);
            await Assert.ThrowsAsync<NewApiException>(() => client.UpdateChannelAsync(new ChannelUpdate(1) { Models = ChannelModelList.Parse("a") }, default));

            await Task.Delay(300); // a follow-up request, had one been sent, would have connected by now
            Assert.Equal(0, elsewhere.Connections);
            Assert.Equal(2, server.Requests.Count(r => r.Fault == SandboxFaultKind.Redirect));
        }

        [Fact]
        public async Task Tls_Certificates_Are_Checked_Unless_The_User_Opts_Out()
        {
            using X509Certificate2 certificate = SelfSigned();
            int served = 0;
            using var tls = new LoopbackListener(TlsEnvelope(certificate, () => Interlocked.Increment(ref served)));
            string url = $"https://127.0.0.1:{tls.Port}";

            using (var strict = new NewApiClient(new NewApiConnection(url, Sandboxes.Secure("sbx-tls-token"), 1) { RequestTimeout = TimeSpan.FromSeconds(10) }))
            {
                NewApiException ex = await Assert.ThrowsAsync<NewApiException>(() => strict.GetServerVersionAsync(default));
                Assert.Equal(NewApiErrorKind.Network, ex.Kind);
            }

            using var lax = new NewApiClient(new NewApiConnection(url, Sandboxes.Secure("sbx-tls-token"), 1) { RequestTimeout = TimeSpan.FromSeconds(10), SkipCertificateCheck = true });
            Assert.Equal("tls-sandbox", await lax.GetServerVersionAsync(default));
            Assert.Equal(1, Volatile.Read(ref served));
        }

        [Theory]
        [InlineData("http://newapi.example.com", true)]
        [InlineData("http://10.0.0.5:3000", true)]
        [InlineData("http://[2001:db8::1]", true)]
        [InlineData("https://newapi.example.com", false)]
        [InlineData("http://127.0.0.1:3000", false)]
        [InlineData("http://localhost:3000", false)]
        [InlineData("http://[::1]:3000", false)]
        public void Plain_Http_Is_Flagged_Only_Off_This_Machine(string url, bool insecure)
        {
            Assert.Equal(insecure, SiteAddress.IsInsecure(SiteAddress.Parse(url)));
            Assert.Equal(insecure, new NewApiConnection(url, Sandboxes.Secure("sbx-any"), 1).IsInsecureTransport);
        }

        private static X509Certificate2 SelfSigned()
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            // SslStream on Linux needs a key it can export into its own store: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }

        /// <summary>A loopback listener that counts the connections it accepts and hands each to a handler.</summary>
        private sealed class LoopbackListener : IDisposable
        {
            private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
            private readonly Func<TcpClient, CancellationToken, Task> _serve;
            private readonly CancellationTokenSource _stop = new();
            private int _connections;

            /// <param name="serve">Owns the client; null only counts the connection and hangs up.</param>
            public LoopbackListener(Func<TcpClient, CancellationToken, Task>? serve = null)
            {
                _serve = serve ?? ((client, _) => { client.Dispose(); return Task.CompletedTask; });
                _listener.Start();
                _ = AcceptAsync();
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

            /// <summary>Anything counted by a listener that should hear nothing is a leak.</summary>
            public int Connections => Volatile.Read(ref _connections);

            private async Task AcceptAsync()
            {
                try
                {
                    while (true)
                    {
                        TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                        Interlocked.Increment(ref _connections);
                        _ = _serve(client, _stop.Token);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                }
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
            }
        }

        /// <summary>Serves HTTPS with <paramref name="certificate"/>: every request gets a success envelope carrying a version.</summary>
        private static Func<TcpClient, CancellationToken, Task> TlsEnvelope(X509Certificate2 certificate, Action served) => async (client, stop) =>
        {
            using (client)
            {
                try
                {
                    using var tls = new SslStream(client.GetStream());
                    await tls.AuthenticateAsServerAsync(certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                    var head = new StringBuilder();
                    byte[] buffer = new byte[4096];
                    while (!head.ToString().Contains("\r\n\r\n"))
                    {
                        int read = await tls.ReadAsync(buffer, stop);
                        if (read == 0)
                        {
                            return;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    byte[] body = Encoding.UTF8.GetBytes("{\"success\":true,\"message\":\"\",\"data\":{\"version\":\"tls-sandbox\"}}");
                    byte[] reply = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await tls.WriteAsync(reply, stop);
                    await tls.WriteAsync(body, stop);
                    await tls.FlushAsync(stop);
                    served();
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // The strict client hangs up during the handshake: that is the point.
                }
            }
        };
    }
}
