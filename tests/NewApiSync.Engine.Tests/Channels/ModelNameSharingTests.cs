using System.Linq;
using NewApiSync.Engine.Channels;
using Xunit;

namespace NewApiSync.Engine.Tests.Channels
{
    /// <summary>
    /// Issue 16: a large site repeats the same model names on thousands of channels, so parsing keeps one string per
    /// distinct name instead of one per occurrence.
    /// </summary>
    public sealed class ModelNameSharingTests
    {
        [Fact]
        public void Parsed_Lists_Share_One_String_Per_Distinct_Name()
        {
            // Built at run time so the compiler's literal interning cannot make the names shared by accident.
            string first = string.Join(",", Enumerable.Range(1, 3).Select(i => "sharing-test/model-" + i));
            string second = " sharing-test/model-3 ," + string.Concat("sharing-test/", "model-1");

            ChannelModelList a = ChannelModelList.Parse(first);
            ChannelModelList b = ChannelModelList.Parse(second);

            Assert.Equal(new[] { "sharing-test/model-3", "sharing-test/model-1" }, b.ToArray());
            Assert.Same(a[2], b[0]);
            Assert.Same(a[0], b[1]);
        }

        [Theory]
        [InlineData("a,b, c,,a")]
        [InlineData(" \t gpt-4o ,\u00A0o3\u00A0,gpt-4o,,  ,")]
        [InlineData("渠道/模型, Ünïcødé ,渠道/模型")]
        [InlineData(",,,")]
        [InlineData("single")]
        public void Parsing_Without_Splitting_Keeps_The_Split_Semantics(string wire)
        {
            // What Parse did before it stopped allocating a string per occurrence: split, trim, drop empties and repeats.
            string[] expected = wire.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToArray();

            Assert.Equal(expected, ChannelModelList.Parse(wire).ToArray());
        }

        [Fact]
        public void Concurrent_Parses_Agree_On_One_String_Per_Name()
        {
            // Many threads meet new names at once: every thread must end up with the same string for each.
            string wire = string.Join(",", Enumerable.Range(0, 2000).Select(i => "concurrent-test/" + i));
            ChannelModelList[] lists = Enumerable.Range(0, 8).AsParallel().Select(_ => ChannelModelList.Parse(wire)).ToArray();

            for (int i = 0; i < 2000; i++)
            {
                Assert.All(lists, list => Assert.Same(lists[0][i], list[i]));
            }
        }

        [Fact]
        public void Appended_Names_Are_Trimmed_And_Not_Repeated()
        {
            ChannelModelList models = ChannelModelList.Parse("a,b");

            ChannelModelList appended = models.Append(new[] { " c ", "a", "c", "" });

            Assert.Equal(new[] { "a", "b", "c" }, appended.ToArray());
            Assert.Equal(new[] { "a", "b" }, models.ToArray());
            Assert.Same(models, models.Append(new[] { "b" }));
        }
    }
}
