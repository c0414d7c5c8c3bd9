using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NewApiSync.Engine.Channels;
using NewApiSync.Engine.Redirect;
using Xunit;
using Xunit.Abstractions;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class RedirectPlannerPerformanceTests
    {
        private const int ChannelCount = 2000;
        private const int ModelsPerChannel = 300;
        private const int StandardCount = 30;
        private const int Rounds = 4;

        private readonly ITestOutputHelper _output;

        public RedirectPlannerPerformanceTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void Plans_Two_Thousand_Channels_Of_Three_Hundred_Models_Well_Under_A_Second()
        {
            var planner = new RedirectPlanner(StandardModelCatalog.Names.Take(StandardCount));
            Channel[] channels = Enumerable.Range(0, ChannelCount).Select(BuildChannel).ToArray();
            // The best of a few rounds: the first runs unoptimized (tiered JIT) code, and the build machine is shared.
            TimeSpan best = TimeSpan.MaxValue;
            int mapped = 0;
            for (int round = 0; round < Rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                mapped = PlanAll(planner, channels);
                watch.Stop();
                _output.WriteLine($"round {round}: {watch.ElapsedMilliseconds} ms");
                best = watch.Elapsed < best ? watch.Elapsed : best;
            }

            _output.WriteLine($"{ChannelCount} channels x {ModelsPerChannel} models x {StandardCount} names: best {best.TotalMilliseconds:F0} ms, {mapped} entries");
            Assert.True(mapped >= ChannelCount * 10, $"the generated channels should give real work, got {mapped} entries");
            Assert.True(best < TimeSpan.FromSeconds(1), $"planning took {best.TotalMilliseconds:F0} ms");
        }

        private static int PlanAll(RedirectPlanner planner, Channel[] channels)
        {
            int mapped = 0;
            foreach (Channel channel in channels)
            {
                mapped += planner.Plan(channel).Added.Count;
            }

            return mapped;
        }

        /// <summary>
        /// Upstream-like names, distinct per channel (vendor prefixes, variants, snapshots), so nothing is shared
        /// between channels, plus an existing mapping to merge into.
        /// </summary>
        private static Channel BuildChannel(int id)
        {
            var models = new List<string>(ModelsPerChannel);
            string prefix = $"vendor{id}/";
            foreach (string standard in StandardModelCatalog.Names)
            {
                models.Add(prefix + standard + ":free");
                models.Add(standard + "-2025-0" + (1 + (id % 9)) + "-15");
                models.Add(standard.Replace('.', '-') + "-preview-" + id);
            }

            for (int i = models.Count; i < ModelsPerChannel; i++)
            {
                models.Add($"{prefix}filler-model-{i}-b{id % 7}-{(i % 2 == 0 ? "0613" : "instruct")}");
            }

            string mapping = $"{{\"custom-{id}\":\"{models[0]}\",\"gpt-4o\":\"old/gpt-4o\"}}";
            return new Channel(id, "channel " + id, ChannelModelList.From(models.Take(ModelsPerChannel)), mapping);
        }
    }
}
