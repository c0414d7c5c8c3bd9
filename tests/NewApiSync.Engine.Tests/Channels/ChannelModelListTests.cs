using NewApiSync.Engine.Channels;
using Xunit;

namespace NewApiSync.Engine.Tests.Channels
{
    public sealed class ChannelModelListTests
    {
        [Theory]
        [InlineData("a,b,c", new[] { "a", "b", "c" })]
        [InlineData(" a , b ,, c ,", new[] { "a", "b", "c" })]
        [InlineData("b,a,b,a", new[] { "b", "a" })]
        [InlineData("GPT-4o,gpt-4o", new[] { "GPT-4o", "gpt-4o" })]
        [InlineData("", new string[0])]
        [InlineData("  ,  , ", new string[0])]
        [InlineData(null, new string[0])]
        public void Parse_Trims_Drops_Empties_Keeps_Order_And_Dedups(string? wire, string[] expected)
        {
            Assert.Equal(expected, ChannelModelList.Parse(wire).ToArray());
        }

        [Fact]
        public void Wire_Form_Has_No_Spaces()
        {
            Assert.Equal("a,b,c", ChannelModelList.Parse(" a, b ,c ").ToWireString());
        }

        [Fact]
        public void SetEquals_Ignores_Order_But_Not_Case()
        {
            Assert.True(ChannelModelList.Parse("a,b").SetEquals(ChannelModelList.Parse("b,a")));
            Assert.False(ChannelModelList.Parse("a,b").SetEquals(ChannelModelList.Parse("a,B")));
            Assert.False(ChannelModelList.Parse("a,b").SetEquals(ChannelModelList.Parse("a,b,c")));
        }

        [Fact]
        public void Diff_Lists_Added_And_Removed_In_List_Order()
        {
            var diff = ChannelModelList.Diff(ChannelModelList.Parse("a,b,c,d"), ChannelModelList.Parse("e,c,a,f"));
            Assert.Equal(new[] { "e", "f" }, diff.Added);
            Assert.Equal(new[] { "b", "d" }, diff.Removed);
            Assert.Equal("+2 -2 models", diff.ToString());
            Assert.True(ChannelModelList.Diff(ChannelModelList.Parse("a,b"), ChannelModelList.Parse("b,a")).IsEmpty);
        }
    }
}
