using System.Collections.Generic;
using System.Linq;
using NewApiSync.Engine.Channels;
using Xunit;

namespace NewApiSync.Engine.Tests.Channels
{
    public sealed class ModelMappingTests
    {
        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("{}")]
        [InlineData("null")]
        public void Absent_Or_Empty_Text_Is_No_Mapping(string? raw)
        {
            var parsed = ModelMapping.Parse(raw);
            Assert.True(parsed.IsValid);
            Assert.True(parsed.Mapping!.IsEmpty);
        }

        [Theory]
        [InlineData("{\"a\":", "not valid JSON")]
        [InlineData("[\"a\"]", "an array")]
        [InlineData("\"gpt\"", "a string")]
        [InlineData("{\"a\":1}", "'a' maps to a number")]
        [InlineData("{\"a\":{\"b\":\"c\"}}", "'a' maps to an object")]
        [InlineData("{\"a\":null}", "'a' maps to null")]
        public void Invalid_Text_Is_Reported_Never_Treated_As_Empty(string raw, string expected)
        {
            var parsed = ModelMapping.Parse(raw);
            Assert.False(parsed.IsValid);
            Assert.Null(parsed.Mapping);
            Assert.Contains(expected, parsed.Error);
        }

        [Fact]
        public void Parse_Keeps_Entry_Order_And_Round_Trips()
        {
            const string raw = "{\"z-model\":\"vendor/z\",\"a+b\":\"x/a+b\",\"gpt-4o\":\"openai/gpt-4o\"}";
            var mapping = ModelMapping.Parse(raw).Mapping!;
            Assert.Equal(new[] { "z-model", "a+b", "gpt-4o" }, mapping.Keys.ToArray());
            Assert.Equal(raw, mapping.ToJson());
            Assert.Equal("openai/gpt-4o", mapping["gpt-4o"]);
        }

        [Fact]
        public void With_Overwrites_In_Place_And_Appends_New_Keys()
        {
            var mapping = ModelMapping.Parse("{\"a\":\"1\",\"b\":\"2\"}").Mapping!;
            var merged = mapping.With(new[] { new KeyValuePair<string, string>("b", "3"), new KeyValuePair<string, string>("c", "4") });
            Assert.Equal("{\"a\":\"1\",\"b\":\"3\",\"c\":\"4\"}", merged.ToJson());
            Assert.Equal("{\"a\":\"1\",\"b\":\"2\"}", mapping.ToJson());
        }

        [Fact]
        public void Escapes_What_Json_Requires()
        {
            var mapping = ModelMapping.From(new[] { new KeyValuePair<string, string>("a\"b", "c\\d") });
            Assert.Equal("{\"a\\\"b\":\"c\\\\d\"}", mapping.ToJson());
            Assert.Equal("c\\d", ModelMapping.Parse(mapping.ToJson()).Mapping!["a\"b"]);
        }
    }
}
