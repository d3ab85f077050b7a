using System.Collections.Frozen;
using CsrssForensics.Rules.Facts;
using CsrssForensics.Rules.Text;

namespace CsrssForensics.Rules.Tests.Text;

public sealed class PlaceholdersTests
{
    private static FrozenDictionary<string, string> Row(string name) =>
        Placeholders.ForRow(RuleSet.LoadEmbedded().FindCoreProcess(name)!);

    [Theory]
    [InlineData("csrss.exe", "System32")]
    [InlineData("svchost.exe", "System32 or SysWOW64")]
    [InlineData("explorer.exe", "%SystemRoot% or SysWOW64")]
    public void Folders_read_as_the_table_writes_them_with_the_Windows_folder_named(string name, string expected) =>
        Assert.Equal(expected, Row(name)[Placeholders.CoreFolders]);

    [Fact]
    public void Row_fields_say_when_children_are_not_checked_or_no_parent_is_allowed()
    {
        var system = Row("System");

        Assert.Equal("(not checked)", system[Placeholders.CoreAllowedChildren]);
        Assert.Equal("(none)", system[Placeholders.CoreAllowedParents]);
        Assert.Equal("smss.exe", Row("csrss.exe")[Placeholders.CoreAllowedParents]);
        Assert.Equal("subSystemsWindows", Row("csrss.exe")[Placeholders.CoreCommandLineShape]);
    }

    [Fact]
    public void Facts_and_row_fields_are_filled_and_a_missing_fact_reads_unknown()
    {
        var facts = new Dictionary<string, FactValue>(StringComparer.Ordinal) { [FactNames.CoreName] = FactValue.Of("csrss.exe") };

        var text = Placeholders.Fill("{core.name} belongs in {core.folders}; parent {process.parentName}.", facts, Row("csrss.exe"));

        Assert.Equal("csrss.exe belongs in System32; parent unknown.", text);
    }

    [Fact]
    public void A_value_from_the_bundle_that_contains_braces_is_not_filled_again()
    {
        var facts = new Dictionary<string, FactValue>(StringComparer.Ordinal)
        {
            [FactNames.ProcessCommandLine] = FactValue.Of("evil.exe {core.folders} {subject.path}"),
            [FactNames.SubjectPath] = FactValue.Of(@"C:\x\csrss.exe"),
        };

        var text = Placeholders.Fill("Command line '{process.commandLine}'.", facts, Row("csrss.exe"));

        Assert.Equal("Command line 'evil.exe {core.folders} {subject.path}'.", text);
    }

    [Theory]
    [InlineData("{a} {{core.folders}} {b", new[] { "a", "core.folders" })]
    [InlineData("no braces", new string[0])]
    [InlineData("}{}", new[] { "" })]
    public void Names_are_the_innermost_brace_pairs(string template, string[] expected) =>
        Assert.Equal(expected, Placeholders.Names(template));

    [Fact]
    public void Text_around_placeholders_and_unpaired_braces_is_kept()
    {
        var text = Placeholders.Fill("{ {core.folders}} and {core.displayName", FrozenDictionary<string, FactValue>.Empty, Row("csrss.exe"));

        Assert.Equal("{ System32} and {core.displayName", text);
    }

    [Theory]
    [InlineData("core.folder", true)]
    [InlineData("Subject.path", true)]
    [InlineData("", true)]
    [InlineData("core.folders", false)]
    [InlineData("subject.path", false)]
    public void Only_facts_and_row_fields_are_placeholders(string name, bool problem) =>
        Assert.Equal(problem, Placeholders.Problem(name, rowAvailable: true) is not null);

    [Fact]
    public void A_row_field_is_refused_where_no_row_exists()
    {
        Assert.Contains("without a table row", Placeholders.Problem(Placeholders.CoreFolders, rowAvailable: false), StringComparison.Ordinal);
        Assert.Null(Placeholders.Problem(FactNames.SubjectPath, rowAvailable: false));
    }
}
