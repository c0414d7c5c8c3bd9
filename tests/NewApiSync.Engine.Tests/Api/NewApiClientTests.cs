using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;

namespace NewApiSync.Engine.Tests.Api
{
    /// <summary>The admin API client against the sandbox over real loopback HTTP.</summary>
    public sealed class NewApiClientTests
    {
        private static readonly CancellationToken None = CancellationToken.None;

        [Theory]
        [InlineData(SandboxGeneration.Paged)]
        [InlineData(SandboxGeneration.Legacy)]
        public async Task Lists_Every_Channel_Of_The_Sample_Site_On_Both_Generations(SandboxGeneration generation)
        {
            using var server = SandboxServer.Start(options: new SandboxOptions { Generation = generation });
            using var client = Sandboxes.Client(server);
            var channels = await client.ListChannelsAsync(null, null, None);
            Assert.Equal(server.Site.Snapshot().Select(c => c.Id).OrderBy(i => i), channels.Select(c => c.Id).OrderBy(i => i));
            Assert.Equal(generation == SandboxGeneration.Legacy ? ServerGeneration.Legacy : ServerGeneration.Paged, client.Connection.Generation);

            Channel openRouter = channels.Single(c => c.Id == 6);
            Assert.Equal(new[] { "openai/gpt-4o:free", "gpt-4o" }, openRouter.Models);
            Assert.Equal("openai/gpt-4o:free", openRouter.ModelMapping!["gpt-4o"]);
            Assert.Equal(ChannelStatus.ManuallyDisabled, channels.Single(c => c.Id == 8).Status);
            Assert.Equal(ChannelStatus.AutoDisabled, channels.Single(c => c.Id == 12).Status);
        }

        [Theory]
        [InlineData(SandboxGeneration.Paged, 250)]
        [InlineData(SandboxGeneration.Legacy, 250)]
        [InlineData(SandboxGeneration.Paged, 100)]
        [InlineData(SandboxGeneration.Legacy, 100)]
        [InlineData(SandboxGeneration.Legacy, 101)]
        [InlineData(SandboxGeneration.Paged, 1)]
        public async Task Pages_Past_100_Without_Skipping_Or_Repeating(SandboxGeneration generation, int count)
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(count, 3, seed: 4), new SandboxOptions { Generation = generation });
            using var client = Sandboxes.Client(server);
            int pagesReported = 0;
            var channels = await client.ListChannelsAsync(null, (_, _) => pagesReported++, None);

            Assert.Equal(Enumerable.Range(1, count), channels.Select(c => c.Id).OrderBy(i => i));
            var lists = server.Requests.Where(r => r.Route == SandboxRoute.ListChannels).ToList();
            Assert.All(lists, r => Assert.Contains("page_size=100", r.Query));
            Assert.All(lists, r => Assert.Contains("id_sort=true", r.Query));
            Assert.True(lists.Count <= count / 100 + 3, $"{lists.Count} list requests for {count} channels");
            Assert.True(pagesReported >= 1);
        }

        [Fact]
        public async Task A_Legacy_Server_Is_Detected_And_Its_Zero_Based_First_Page_Is_Not_Skipped()
        {
            using var server = SandboxServer.Start(SandboxSite.CreateGenerated(150, 2, seed: 1), new SandboxOptions { Generation = SandboxGeneration.Legacy });
            using var client = Sandboxes.Client(server);
            var channels = await client.ListChannelsAsync(null, null, None);
            Assert.Equal(150, channels.Count);
            string[] pages = server.Requests.Where(r => r.Route == SandboxRoute.ListChannels).Select(r => r.Query.Split('&')[0]).ToArray();
            Assert.Equal(new[] { "p=1", "p=0", "p=1" }, pages);

            // The second listing knows the generation and starts at p=0 straight away.
            server.ClearRequests();
            await client.ListChannelsAsync(null, null, None);
            Assert.Equal("p=0", server.Requests.First(r => r.Route == SandboxRoute.ListChannels).Query.Split('&')[0]);
        }

        [Fact]
        public async Task Status_Filter_Is_Passed_To_The_Server()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            var enabled = await client.ListChannelsAsync("enabled", null, None);
            Assert.All(enabled, c => Assert.Equal(ChannelStatus.Enabled, c.Status));
            Assert.Equal(10, enabled.Count);
            var disabled = await client.ListChannelsAsync("disabled", null, None);
            Assert.Equal(new[] { 8, 12 }, disabled.Select(c => c.Id).OrderBy(i => i));
        }

        [Fact]
        public async Task Every_Authenticated_Call_Sends_The_Token_The_User_Id_And_A_User_Agent()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            await client.ListChannelsAsync(null, null, None);
            await client.GetChannelAsync(1, None);
            await client.FetchUpstreamModelsAsync(1, None);
            await client.UpdateChannelAsync(new ChannelUpdate(1) { Models = ChannelModelList.Parse("gpt-4o") }, None);

            Assert.Equal(4, server.Requests.Count);
            Assert.All(server.Requests, r =>
            {
                Assert.True(r.Authorized, r.ToString());
                Assert.Equal("1", r.Headers["new-api-user"]);
                Assert.StartsWith("NewApiSync/", r.Headers["user-agent"]);
            });
        }

        [Fact]
        public async Task Gets_One_Channel_And_A_Missing_One_Is_NotFound()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            Channel glm = await client.GetChannelAsync(9, None);
            Assert.Equal("Zhipu GLM", glm.Name);
            Assert.Equal("glm-4.5", glm.ModelMapping!["glm-4"]);
            Assert.DoesNotContain("key", glm.AdditionalFields.Keys);
            Assert.True(glm.AdditionalFields.ContainsKey("channel_info"));

            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(999, None));
            Assert.Equal(NewApiErrorKind.NotFound, ex.Kind);
            Assert.Contains("999", ex.Message);
        }

        [Fact]
        public async Task Fetches_Upstream_Models_And_A_Provider_Failure_Is_Upstream()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            var models = await client.FetchUpstreamModelsAsync(2, None);
            Assert.Equal(server.Site.Get(2)!.UpstreamModels, models);

            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.FetchUpstreamModelsAsync(11, None));
            Assert.Equal(NewApiErrorKind.Upstream, ex.Kind);
            Assert.Contains("status code: 401", ex.Message);
            Assert.True(ex.IsTransient);
            Assert.False(ex.IsFatalForRun);
        }

        [Fact]
        public async Task An_Update_Sends_Only_Id_And_Models()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            Channel? updated = await client.UpdateChannelAsync(new ChannelUpdate(4) { Models = ChannelModelList.Parse("deepseek-chat,deepseek-reasoner") }, None);

            using var body = JsonDocument.Parse(server.Updates.Single().Body);
            Assert.Equal(new[] { "id", "models" }, body.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(4, body.RootElement.GetProperty("id").GetInt32());
            Assert.Equal("deepseek-chat,deepseek-reasoner", body.RootElement.GetProperty("models").GetString());
            Assert.Equal("deepseek-chat,deepseek-reasoner", server.Site.Get(4)!.Models);
            Assert.Equal(new[] { "deepseek-chat", "deepseek-reasoner" }, updated!.Models);
        }

        [Fact]
        public async Task An_Update_With_A_Mapping_Sends_It_As_A_Json_String()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            var mapping = ModelMapping.Parse("{\"glm-4\":\"glm-4.5\",\"glm-z\":\"glm-4.6\"}").Mapping!;
            await client.UpdateChannelAsync(new ChannelUpdate(9) { Models = ChannelModelList.Parse("glm-4.5,glm-4,glm-z"), ModelMapping = mapping }, None);

            using var body = JsonDocument.Parse(server.Updates.Single().Body);
            Assert.Equal(new[] { "id", "models", "model_mapping" }, body.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("model_mapping").ValueKind);
            Assert.Equal("{\"glm-4\":\"glm-4.5\",\"glm-z\":\"glm-4.6\"}", server.Site.Get(9)!.ModelMapping);
        }

        [Theory]
        [InlineData("{ \"glm-4\" : \"glm-4.5\" }")]
        [InlineData("not json {")]
        [InlineData("{}")]
        public async Task An_Update_With_Mapping_Text_Sends_It_Exactly_And_Leaves_Models_Alone(string text)
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            await client.UpdateChannelAsync(new ChannelUpdate(9) { ModelMappingText = text }, None);

            using var body = JsonDocument.Parse(server.Updates.Single().Body);
            Assert.Equal(new[] { "id", "model_mapping" }, body.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(text, server.Site.Get(9)!.ModelMapping);
            Assert.Equal("glm-4.5,glm-4", server.Site.Get(9)!.Models);
        }

        [Fact]
        public async Task An_Update_With_Empty_Mapping_Text_Or_Both_Mapping_Forms_Is_Refused_Before_Sending()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateChannelAsync(new ChannelUpdate(9) { ModelMappingText = string.Empty }, None));
            await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateChannelAsync(new ChannelUpdate(9) { ModelMappingText = "{}", ModelMapping = ModelMapping.Empty }, None));
            Assert.Empty(server.Requests);
        }

        [Fact]
        public async Task An_Update_That_Would_Clear_The_Models_Is_Refused_Before_Sending()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateChannelAsync(new ChannelUpdate(4) { Models = ChannelModelList.Empty }, None));
            await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateChannelAsync(new ChannelUpdate(4), None));
            Assert.Empty(server.Requests);
        }

        public static TheoryData<SandboxRoute, SandboxFaultKind, NewApiErrorKind, int?> FaultKinds => new()
        {
            { SandboxRoute.GetChannel, SandboxFaultKind.ServerError, NewApiErrorKind.Server, 500 },
            { SandboxRoute.GetChannel, SandboxFaultKind.HtmlBadGateway, NewApiErrorKind.Protocol, 502 },
            { SandboxRoute.GetChannel, SandboxFaultKind.MalformedBody, NewApiErrorKind.Protocol, 200 },
            { SandboxRoute.GetChannel, SandboxFaultKind.WrongShape, NewApiErrorKind.Protocol, 200 },
            { SandboxRoute.GetChannel, SandboxFaultKind.Unauthorized, NewApiErrorKind.Authentication, 401 },
            { SandboxRoute.GetChannel, SandboxFaultKind.Forbidden, NewApiErrorKind.Forbidden, 403 },
            { SandboxRoute.GetChannel, SandboxFaultKind.Reset, NewApiErrorKind.Network, null },
            { SandboxRoute.UpdateChannel, SandboxFaultKind.SuccessFalse, NewApiErrorKind.Rejected, 200 },
            { SandboxRoute.FetchModels, SandboxFaultKind.SuccessFalse, NewApiErrorKind.Upstream, 200 },
        };

        [Theory]
        [MemberData(nameof(FaultKinds))]
        public async Task Every_Failure_Is_Classified(SandboxRoute route, SandboxFaultKind fault, NewApiErrorKind expected, int? status)
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            server.Faults.FailNext(route, fault);
            Task call = route switch
            {
                SandboxRoute.UpdateChannel => client.UpdateChannelAsync(new ChannelUpdate(1) { Models = ChannelModelList.Parse("gpt-4o") }, None),
                SandboxRoute.FetchModels => client.FetchUpstreamModelsAsync(1, None),
                _ => client.GetChannelAsync(1, None),
            };

            var ex = await Assert.ThrowsAsync<NewApiException>(() => call);
            Assert.Equal(expected, ex.Kind);
            Assert.Equal(status, ex.HttpStatus);
            Assert.StartsWith(route == SandboxRoute.UpdateChannel ? "PUT /api/channel/" : "GET /api/channel/", ex.Request);
            Assert.DoesNotContain(server.AccessToken, ex.ToString());
        }

        [Fact]
        public async Task A_Reply_Lost_After_A_Write_Is_Marked_As_Possibly_Sent()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            server.Faults.FailNext(SandboxRoute.UpdateChannel, SandboxFaultKind.ResetAfterWrite);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.UpdateChannelAsync(new ChannelUpdate(4) { Models = ChannelModelList.Parse("x,y") }, None));
            Assert.Equal(NewApiErrorKind.Network, ex.Kind);
            Assert.True(ex.RequestMayHaveBeenSent);
            Assert.Equal("x,y", server.Site.Get(4)!.Models);

            server.Faults.FailNext(SandboxRoute.UpdateChannel, SandboxFaultKind.BadGatewayAfterWrite);
            ex = await Assert.ThrowsAsync<NewApiException>(() => client.UpdateChannelAsync(new ChannelUpdate(4) { Models = ChannelModelList.Parse("z") }, None));
            Assert.True(ex.RequestMayHaveBeenSent);
        }

        [Fact]
        public async Task No_Reply_Within_The_Request_Timeout_Is_Timeout()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server, requestTimeout: TimeSpan.FromMilliseconds(300));
            server.Faults.Add(new SandboxFault(SandboxRoute.GetChannel, SandboxFaultKind.Delay) { Delay = TimeSpan.FromSeconds(5) });
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(1, None));
            Assert.Equal(NewApiErrorKind.Timeout, ex.Kind);
            Assert.True(ex.IsTransient);
        }

        [Fact]
        public async Task A_Closed_Port_Is_Network_And_Was_Never_Sent()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            using var token = Sandboxes.Secure("tok-closed-port");
            using var client = new NewApiClient(new NewApiConnection($"http://127.0.0.1:{port}", token, 1));
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(1, None));
            Assert.Equal(NewApiErrorKind.Network, ex.Kind);
            Assert.False(ex.RequestMayHaveBeenSent);
        }

        [Fact]
        public async Task A_429_Is_Retried_After_Retry_After_And_Pauses_The_Shared_Throttle()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            server.Faults.Add(new SandboxFault(SandboxRoute.GetChannel, SandboxFaultKind.RateLimited) { RetryAfter = TimeSpan.FromSeconds(1) });
            Channel channel = await client.GetChannelAsync(1, None);
            Assert.Equal(1, channel.Id);
            var gets = server.Requests.Where(r => r.Route == SandboxRoute.GetChannel).ToArray();
            Assert.Equal(new[] { 429, 200 }, gets.Select(r => r.Status));
            // The retry waited for Retry-After (a behaviour, not a speed: the server asked for a second).
            Assert.True(gets[1].ReceivedAt - gets[0].ReceivedAt >= TimeSpan.FromMilliseconds(900));
        }

        [Fact]
        public async Task Too_Many_429s_In_A_Row_Fail_As_RateLimited_With_Retry_After()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server, new NewApiClientOptions { RateLimitRetries = 0 });
            server.Faults.Add(new SandboxFault(SandboxRoute.GetChannel, SandboxFaultKind.RateLimited) { RetryAfter = TimeSpan.FromSeconds(7) });
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(1, None));
            Assert.Equal(NewApiErrorKind.RateLimited, ex.Kind);
            Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
            Assert.Equal(429, ex.HttpStatus);
        }

        [Fact]
        public async Task The_Servers_Own_Rate_Limit_Sends_An_Empty_429()
        {
            using var server = SandboxServer.Start(options: new SandboxOptions { RateLimitRequests = 2, SendRetryAfter = false });
            using var client = Sandboxes.Client(server, new NewApiClientOptions { RateLimitRetries = 0 });
            await client.GetChannelAsync(1, None);
            await client.GetChannelAsync(2, None);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.GetChannelAsync(3, None));
            Assert.Equal(NewApiErrorKind.RateLimited, ex.Kind);
            Assert.Null(ex.RetryAfter);
        }

        [Theory]
        [InlineData(SandboxGeneration.Paged)]
        [InlineData(SandboxGeneration.Legacy)]
        public async Task A_Wrong_Token_Is_Authentication_On_Both_Generations_And_Is_Never_Echoed(SandboxGeneration generation)
        {
            using var server = SandboxServer.Start(options: new SandboxOptions { Generation = generation });
            const string wrong = "wrong-token-0123456789";
            using var client = Sandboxes.Client(server, token: wrong);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.VerifyAccessAsync(None));
            Assert.Equal(NewApiErrorKind.Authentication, ex.Kind);
            Assert.True(ex.IsFatalForRun);
            Assert.DoesNotContain(wrong, ex.ToString());
            Assert.DoesNotContain(server.AccessToken, ex.ToString());
            Assert.DoesNotContain(wrong, client.Connection.ToString());
        }

        [Fact]
        public async Task A_User_Id_That_Does_Not_Own_The_Token_Is_Authentication()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server, userId: 2);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.VerifyAccessAsync(None));
            Assert.Equal(NewApiErrorKind.Authentication, ex.Kind);
            Assert.Equal(401, ex.HttpStatus);
        }

        [Theory]
        [InlineData(SandboxGeneration.Paged, 403)]
        [InlineData(SandboxGeneration.Legacy, 200)]
        public async Task A_User_Who_Is_Not_An_Admin_Is_Refused(SandboxGeneration generation, int status)
        {
            using var server = SandboxServer.Start(options: new SandboxOptions { Generation = generation, UserRole = 1 });
            using var client = Sandboxes.Client(server);
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.VerifyAccessAsync(None));
            Assert.True(ex.IsFatalForRun);
            Assert.Equal(status, ex.HttpStatus);
        }

        [Fact]
        public async Task Verify_Access_Learns_The_Generation()
        {
            using var server = SandboxServer.Start(options: new SandboxOptions { Generation = SandboxGeneration.Legacy });
            using var client = Sandboxes.Client(server);
            await client.VerifyAccessAsync(None);
            Assert.Equal(ServerGeneration.Legacy, client.Connection.Generation);
            Assert.Equal("v0.9.6-sandbox", await client.GetServerVersionAsync(None));
        }

        [Fact]
        public async Task A_Reply_Larger_Than_The_Bound_Is_Refused()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server, new NewApiClientOptions { MaxResponseBytes = 2048 });
            var ex = await Assert.ThrowsAsync<NewApiException>(() => client.ListChannelsAsync(null, null, None));
            Assert.Equal(NewApiErrorKind.Protocol, ex.Kind);
            Assert.Contains("larger than", ex.Message);
        }

        [Fact]
        public async Task Cancellation_Stops_A_Request_In_Flight()
        {
            using var server = SandboxServer.Start();
            using var client = Sandboxes.Client(server);
            server.Faults.Add(new SandboxFault(SandboxRoute.GetChannel, SandboxFaultKind.Delay) { Delay = TimeSpan.FromSeconds(30) });
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetChannelAsync(1, cts.Token));
        }
    }
}
