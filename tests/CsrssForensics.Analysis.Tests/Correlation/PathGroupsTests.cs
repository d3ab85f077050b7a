using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Analysis.Tests.Correlation;

public sealed class PathGroupsTests
{
    [Fact]
    public void Members_of_a_folder_come_in_the_order_added_whatever_the_case_of_the_path_or_the_lookup()
    {
        // Given three files in one folder written in different cases, and one in a folder that only shares a prefix
        const string first = @"C:\Tools\x\a.exe";
        const string second = @"C:\TOOLS\X\b.dll";
        const string other = @"C:\Tools\xy\c.exe";
        const string third = @"c:\tools\x\d.sys";
        var groups = new PathGroups();
        groups.Add(0, first, 0, @"C:\Tools\x".Length);
        groups.Add(1, second, 0, @"C:\TOOLS\X".Length);
        groups.Add(2, other, 0, @"C:\Tools\xy".Length);
        groups.Add(3, third, 0, @"c:\tools\x".Length);

        // When / Then: the slice of each path is its group key, compared case-insensitively
        Assert.Equal([0, 1, 3], groups.Members(@"C:\tools\X"));
        Assert.Equal([2], groups.Members(@"C:\TOOLS\XY"));
        Assert.Empty(groups.Members(@"C:\Tools"));
    }

    [Fact]
    public void A_slice_at_the_end_of_a_path_groups_file_names()
    {
        var groups = new PathGroups();
        groups.Add(0, @"C:\Windows\System32\csrss.exe", @"C:\Windows\System32\".Length, "csrss.exe".Length);
        groups.Add(1, @"C:\Users\bob\CSRSS.EXE", @"C:\Users\bob\".Length, "CSRSS.EXE".Length);
        groups.Add(2, @"C:\Users\bob\csrss.exe.bak", @"C:\Users\bob\".Length, "csrss.exe.bak".Length);

        Assert.Equal([0, 1], groups.Members("Csrss.Exe"));
        Assert.Equal([2], groups.Members("csrss.exe.bak"));
    }

    [Theory]
    [InlineData("straße", "STRASSE")]
    [InlineData("ǅ", "ǆ")]
    [InlineData("é", "É")]
    [InlineData("ı", "I")]
    public void Names_group_together_exactly_when_their_upper_case_keys_are_equal(string left, string right)
    {
        var groups = new PathGroups();
        groups.Add(0, left, 0, left.Length);

        var sameKey = string.Equals(WindowsPath.Key(left), WindowsPath.Key(right), StringComparison.Ordinal);

        Assert.Equal(sameKey ? [0] : [], groups.Members(right));
    }
}
