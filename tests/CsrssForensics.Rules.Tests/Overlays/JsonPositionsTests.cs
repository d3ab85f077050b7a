using System.Text;
using CsrssForensics.Rules.Overlays;

namespace CsrssForensics.Rules.Tests.Overlays;

public sealed class JsonPositionsTests
{
    private static JsonPositions Of(string json) => JsonPositions.Of(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("/a", 2, 3)]
    [InlineData("/a/1", 2, 12)]
    [InlineData("/a/2/b", 3, 4)]
    [InlineData("/x~1y", 4, 3)]
    [InlineData("/é", 5, 3)]
    [InlineData("/é/0", 5, 9)]
    public void Each_pointer_maps_to_where_its_member_name_or_array_item_starts(string location, int line, int column)
    {
        var positions = Of("{\n  \"a\": [1, 22,\n  {\"b\": true}],\n  \"x/y\": null,\n  \"é\": [\"ü\"]\n}");

        Assert.Equal((line, column), positions.Find(location));
    }

    [Fact]
    public void A_pointer_that_does_not_exist_maps_to_its_nearest_ancestor()
    {
        var positions = Of("{\n  \"findings\": {\n    \"add\": []\n  }\n}");

        Assert.Equal((3, 5), positions.Find("/findings/add/0/code"));
    }

    [Fact]
    public void Columns_count_characters_not_bytes()
    {
        var positions = Of("{\"ääää\": 1, \"b\": 2}");

        Assert.Equal((1, 13), positions.Find("/b"));
    }
}
