namespace CsrssForensics.Analysis.Tests.Integrations;

/// <summary>The hand-written YAML reader the artifact tests rely on.</summary>
public sealed class MiniYamlTests
{
    [Fact]
    public void Reads_mappings_sequences_of_mappings_literal_blocks_and_quoted_scalars()
    {
        const string text = """
            # a comment
            name: Some.Name
            empty: ""
            quoted: 'it''s'
            list:
              - one
              - "two # not a comment"
            items:
            - name: first
              default: "1"
            - name: second
              choices:
                - A
                - B
            query: |
              LET x = 1
                SELECT * FROM y

            tail: plain # comment
            """;

        var root = (Dictionary<string, object>)MiniYaml.Parse(text);

        Assert.Equal("Some.Name", root["name"]);
        Assert.Equal(string.Empty, root["empty"]);
        Assert.Equal("it's", root["quoted"]);
        Assert.Equal(["one", "two # not a comment"], ((List<object>)root["list"]).Cast<string>());
        var items = ((List<object>)root["items"]).Cast<Dictionary<string, object>>().ToList();
        Assert.Equal("1", items[0]["default"]);
        Assert.Equal(["A", "B"], ((List<object>)items[1]["choices"]).Cast<string>());
        Assert.Equal("LET x = 1\n  SELECT * FROM y\n", root["query"]);
        Assert.Equal("plain", root["tail"]);
    }

    [Theory]
    [InlineData("a: 1\na: 2")]
    [InlineData("a: [1, 2]")]
    [InlineData("a: \"open")]
    [InlineData("just text")]
    public void Rejects_what_it_cannot_read_exactly(string text) =>
        Assert.Throws<FormatException>(() => MiniYaml.Parse(text));
}
