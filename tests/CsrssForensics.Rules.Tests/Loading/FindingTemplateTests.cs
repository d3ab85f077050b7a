namespace CsrssForensics.Rules.Tests.Loading;

public sealed class FindingTemplateTests
{
    private static string Fill(string template, params (string Name, string? Value)[] values) =>
        FindingTemplate.Fill(template, name => values.Any(v => v.Name == name) ? (true, values.First(v => v.Name == name).Value) : (false, null));

    [Theory]
    [InlineData("Task '{task}' is hidden.", "Task 'T' is hidden.")]
    [InlineData("{task}{task}", "TT")]
    [InlineData("Image {image|the image} runs.", "Image the image runs.")]
    [InlineData("No server: {none}.", "No server: unknown.")]
    [InlineData("Kept: {other} and {not a name} and {", "Kept: {other} and {not a name} and {")]
    public void Placeholders_are_filled_in_one_pass(string template, string expected)
    {
        Assert.Equal(expected, Fill(template, ("task", "T"), ("image", null), ("none", null)));
    }

    [Fact]
    public void A_value_holding_a_placeholder_is_not_filled_again()
    {
        Assert.Equal("Task '{target}' starts x.", Fill("Task '{task}' starts {target}.", ("task", "{target}"), ("target", "x")));
    }

    [Fact]
    public void Placeholders_lists_the_names_without_fallbacks()
    {
        Assert.Equal(["task", "image", "fact.name"], FindingTemplate.Placeholders("{task} {image|the image} {fact.name} {not one}"));
    }
}
