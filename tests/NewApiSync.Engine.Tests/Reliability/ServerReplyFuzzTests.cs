using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Journal;
using NewApiSync.Engine.Tests.Journal;
using NewApiSync.Engine.Tests.Support;
using NewApiSync.Sandbox;
using Xunit;
using static NewApiSync.Engine.Tests.Reliability.ReliabilityRuns;

namespace NewApiSync.Engine.Tests.Reliability
{
    /// <summary>
    /// Whatever the server (or a proxy in front of it) sends, the client answers with a result or its own classified
    /// error, and a sync never writes a channel on the strength of a reply it could not fully read.
    /// </summary>
    public sealed class ServerReplyFuzzTests : IDisposable
    {
        private const long SmallResponseBound = 64 * 1024;

        private static readonly string[] ChannelFields =
        {
            "id", "type", "name", "status", "models", "model_mapping", "group", "tag", "priority", "weight", "base_url", "key",
        };

        // Values of every JSON type, plus the edges of the number types the reader converts to.
        private static readonly string[] OddValues =
        {
            "null", "42", "-1", "0", "1.5", "1e400", "-9223372036854775809", "2147483648", "true", "false", "\"\"", "\"x\"",
            "\"a,,b, ,\"", "[]", "[1,\"a\",null]", "{}", "{\"a\":{\"b\":[]}}", "\"\\u0000\\ud800\"",
        };

        private readonly TempDataRoot _root = new();

        public void Dispose() => _root.Dispose();

        private static string Channel(string? field = null, string? value = null)
        {
            var values = new Dictionary<string, string>
            {
                ["id"] = "1", ["type"] = "1", ["name"] = "\"fuzz\"", ["status"] = "1", ["models"] = "\"gpt-4o,gpt-4o-mini\"",
                ["model_mapping"] = "\"{\\\"a\\\":\\\"b\\\"}\"", ["group"] = "\"default\"", ["tag"] = "null", ["priority"] = "0",
                ["weight"] = "0", ["base_url"] = "\"\"", ["key"] = "\"\"",
            };
            if (field is not null)
            {
                values[field] = value!;
            }

            return "{" + string.Join(",", values.Select(p => $"\"{p.Key}\":{p.Value}")) + "}";
        }

        private static string Envelope(string data) => "{\"success\":true,\"message\":\"\",\"data\":" + data + "}";

        /// <summary>The reply bodies of one route: wrong types and nulls in every field, truncations, junk, depth and size.</summary>
        private static IEnumerable<string> Bodies(SandboxRoute route, Random random)
        {
            Func<string, string> wrap = route switch
            {
                SandboxRoute.ListChannels => ch => Envelope("{\"items\":[" + ch + "],\"total\":1,\"page\":1,\"page_size\":100}"),
                _ => ch => Envelope(ch),
            };
            string valid = route == SandboxRoute.FetchModels ? Envelope("[\"gpt-4o\",\"gpt-4.1\"]") : wrap(Channel());

            if (route == SandboxRoute.FetchModels)
            {
                foreach (string odd in OddValues)
                {
                    yield return Envelope(odd);
                    yield return Envelope("[\"gpt-4o\"," + odd + "]");
                }
            }
            else
            {
                foreach (string field in ChannelFields)
                {
                    foreach (string odd in OddValues)
                    {
                        yield return wrap(Channel(field, odd));
                    }

                    // The field missing altogether.
                    yield return wrap(Channel(field, "0").Replace($"\"{field}\":0,", string.Empty).Replace($",\"{field}\":0", string.Empty));
                }

                foreach (string odd in OddValues)
                {
                    yield return wrap(odd);
                    if (route == SandboxRoute.ListChannels)
                    {
                        yield return Envelope("{\"items\":" + odd + ",\"total\":1}");
                        yield return Envelope("{\"items\":[" + Channel() + "],\"total\":" + odd + "}");
                        yield return Envelope("[" + Channel() + "," + odd + "]");
                    }
                }
            }

            foreach (string odd in OddValues)
            {
                yield return valid.Replace("\"success\":true", "\"success\":" + odd);
                yield return valid.Replace("\"message\":\"\"", "\"message\":" + odd);
            }

            for (int length = 0; length < valid.Length; length += Math.Max(1, valid.Length / 40))
            {
                yield return valid.Substring(0, length);
            }

            const string alphabet = "{}[]\":,.-0123456789eEtruefalsn \\/ux";
            for (int i = 0; i < 40; i++)
            {
                yield return new string(Enumerable.Range(0, random.Next(1, 200)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
                byte[] bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                yield return Encoding.Latin1.GetString(bytes);
            }

            yield return Envelope(new string('[', 10_000) + new string(']', 10_000));
            yield return Envelope(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000));
            yield return Envelope(new string('[', 10_000));
            yield return "<html><body>502 Bad Gateway</body></html>";
            yield return string.Empty;
        }

        /// <summary>Runs one client call; true when it returned, false when it threw NewApiException. Anything else fails the test.</summary>
        private static async Task<bool> AcceptsAsync(Func<Task> call, string body)
        {
            try
            {
                await call();
                return true;
            }
            catch (NewApiException)
            {
                return false;
            }
            catch (Exception ex)
            {
                Assert.Fail($"The client threw {ex.GetType().Name} instead of NewApiException for the reply {Shorten(body)}: {ex}");
                return false;
            }
        }

        private static string Shorten(string body) => body.Length <= 200 ? body : body.Substring(0, 200) + $"… ({body.Length} chars)";

        private static Func<NewApiClient, Task> Call(SandboxRoute route) => route switch
        {
            SandboxRoute.ListChannels => client => client.ListChannelsAsync(null, null, default),
            SandboxRoute.GetChannel => client => client.GetChannelAsync(1, default),
            SandboxRoute.FetchModels => client => client.FetchUpstreamModelsAsync(1, default),
            _ => client => client.UpdateChannelAsync(new ChannelUpdate(1) { Models = ChannelModelList.Parse("gpt-4o,gpt-4.1") }, default),
        };

        [Theory]
        [InlineData(SandboxRoute.ListChannels)]
        [InlineData(SandboxRoute.GetChannel)]
        [InlineData(SandboxRoute.FetchModels)]
        [InlineData(SandboxRoute.UpdateChannel)]
        public async Task Every_Fuzzed_Reply_Gives_A_Result_Or_A_Classified_Error(SandboxRoute route)
        {
            using var server = SandboxServer.Start();
            using NewApiClient client = Sandboxes.Client(server);
            var random = new Random(23 + (int)route);
            int[] statuses = { 200, 200, 200, 400, 404, 500, 502, 503 };
            int accepted = 0, refused = 0;
            foreach (string body in Bodies(route, random))
            {
                server.Faults.Add(new SandboxFault(route, SandboxFaultKind.CustomReply) { Body = body, Status = statuses[random.Next(statuses.Length)] });
                if (await AcceptsAsync(() => Call(route)(client), body))
                {
                    accepted++;
                }
                else
                {
                    refused++;
                }

                server.Faults.Clear();
            }

            // Both outcomes occurred, so the fuzz reached the reader and not only the envelope check.
            Assert.True(accepted > 0 && refused > 0, $"accepted {accepted}, refused {refused}");
        }

        [Fact]
        public async Task A_Wrong_Type_Or_Null_In_Any_Read_Channel_Field_Is_Refused_Except_Where_New_Api_Sends_It()
        {
            using var server = SandboxServer.Start();
            using NewApiClient client = Sandboxes.Client(server);
            // Fields a real server may send as null; every other null or wrong type means the reply cannot be trusted.
            var nullable = new HashSet<string> { "type", "status", "name", "model_mapping", "group", "tag", "priority", "weight", "base_url" };
            foreach (string field in ChannelFields.Where(f => f != "key"))
            {
                foreach (string odd in new[] { "null", "[]", "{}", "true" })
                {
                    bool mayPass = (odd == "null" && nullable.Contains(field)) || (odd == "{}" && field == "model_mapping");
                    string body = Envelope(Channel(field, odd));
                    server.Faults.Add(new SandboxFault(SandboxRoute.GetChannel, SandboxFaultKind.CustomReply) { Body = body });
                    bool accepted = await AcceptsAsync(() => client.GetChannelAsync(1, default), body);
                    Assert.True(accepted == mayPass, $"{field} = {odd}: accepted {accepted}");
                }
            }
        }

        [Fact]
        public async Task A_Reply_Over_The_Size_Bound_Is_Refused_Whether_Or_Not_It_Declares_Its_Length()
        {
            using var server = SandboxServer.Start();
            using NewApiClient client = Sandboxes.Client(server, new NewApiClientOptions { MaxResponseBytes = SmallResponseBound });
            string names = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"model-{i:D6}\""));
            string body = Envelope("[" + names + "]");
            Assert.True(body.Length > SmallResponseBound);
            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.CustomReply) { Body = body });
            NewApiException ex = await Assert.ThrowsAsync<NewApiException>(() => client.FetchUpstreamModelsAsync(1, default));
            Assert.Equal(NewApiErrorKind.Protocol, ex.Kind);
            Assert.Contains("larger than", ex.Message);

            // Just under the bound is read in full.
            string fits = Envelope("[" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"model-{i:D6}\"")) + "]");
            server.Faults.Add(new SandboxFault(SandboxRoute.FetchModels, SandboxFaultKind.CustomReply) { Body = fits });
            Assert.Equal(1000, (await client.FetchUpstreamModelsAsync(1, default)).Count);
        }

        [Fact]
        public async Task Huge_Strings_Are_Read_In_Full_Within_The_Default_Bound()
        {
            using var server = SandboxServer.Start();
            using NewApiClient client = Sandboxes.Client(server);
            string hugeName = new string('n', 2_000_000);
            string manyModels = string.Join(",", Enumerable.Range(0, 100_000).Select(i => "m" + i));
            server.Faults.Add(new SandboxFault(SandboxRoute.GetChannel, SandboxFaultKind.CustomReply)
            {
                Body = Envelope(Channel("name", "\"" + hugeName + "\"").Replace("\"gpt-4o,gpt-4o-mini\"", "\"" + manyModels + "\"")),
            });
            Channel channel = await client.GetChannelAsync(1, default);
            Assert.Equal(hugeName.Length, channel.Name.Length);
            Assert.Equal(100_000, channel.ModelList.Count);
        }

        [Theory]
        [InlineData(SandboxRoute.ListChannels)]
        [InlineData(SandboxRoute.FetchModels)]
        public async Task A_Sync_Never_Writes_A_Channel_Whose_Reply_It_Could_Not_Read(SandboxRoute route)
        {
            using var server = SandboxServer.Start();
            var random = new Random(41 + (int)route);
            int refusedBodies = 0;
            foreach (string body in Bodies(route, random).Where((_, i) => i % 3 == 0))
            {
                server.ClearRequests();
                server.Faults.Clear();
                // Enough copies that every retry of the run sees the same reply.
                server.Faults.Add(new SandboxFault(route, SandboxFaultKind.CustomReply, count: 20) { Body = body, ChannelId = route == SandboxRoute.FetchModels ? 1 : null });
                using (NewApiClient probe = Sandboxes.Client(server))
                {
                    if (await AcceptsAsync(() => Call(route)(probe), body))
                    {
                        continue; // The reply was readable; writing on it is the sync's job.
                    }
                }

                refusedBodies++;
                SyncJournal journal = SyncJournal.ForSite(_root.Path, server.BaseUrl, server.UserId);
                try
                {
                    await SyncIntoJournalAsync(Sandboxes.Connect(server), journal, Fast(maxRetries: 1), ids: route == SandboxRoute.FetchModels ? new[] { 1 } : null);
                }
                catch (NewApiException)
                {
                    // A list that cannot be read ends the run before any channel.
                }

                Assert.True(server.Updates.Count == 0, $"a channel was written after the unreadable reply {Shorten(body)}");
            }

            Assert.True(refusedBodies > 10, $"only {refusedBodies} refused bodies reached a sync");
        }
    }
}
