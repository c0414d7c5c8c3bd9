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
