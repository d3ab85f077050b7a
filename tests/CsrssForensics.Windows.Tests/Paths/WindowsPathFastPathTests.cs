using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Windows.Tests.Paths;

/// <summary>
/// Normalize returns an already-normal path as it is (the fast path). A leading tab is padding, which sends the same
/// path through the full normalizer, so the two results must agree for paths on both sides of the fast path's edge.
/// </summary>
public sealed class WindowsPathFastPathTests
{
    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe")]
    [InlineData(@"C:\Program Files\Vendor1\module2\core.dll")]
    [InlineData(@"C:\Users\alice\AppData\Roaming\.hidden\x.exe")]
    [InlineData(@"C:\Users\alice\..x\y.exe")]
    [InlineData(@"C:\a\b.\c")]
    [InlineData(@"C:\Windows \System32\csrss.exe")]
    [InlineData(@"C:\Windows\System32\csrss.exe ")]
    [InlineData(@"C:\Windows\System32\csrss.exe.")]
    [InlineData(@"C:\Windows\.\System32\csrss.exe")]
    [InlineData(@"C:\Windows\Temp\..\System32\csrss.exe")]
    [InlineData(@"C:\Windows\System32\..")]
    [InlineData(@"C:\Windows\System32\.")]
    [InlineData(@"C:\Windows\\System32\csrss.exe")]
    [InlineData(@"C:\\Windows\System32\csrss.exe")]
    [InlineData(@"C:\Windows\System32\")]
    [InlineData(@"c:\windows\system32\csrss.exe")]
    [InlineData(@"C:\Windows/System32/csrss.exe")]
    [InlineData(@"C:\%SystemRoot%\x.exe")]
    [InlineData("C:\\Windows\\System32\\csrss.exe\"")]
    [InlineData("C:\\Windows\\System32\\csrss.exe\t")]
    [InlineData("C:\\Windows\\Sys\u0000tem32\\csrss.exe")]
    [InlineData("C:\\Users\\\u0430lice\\csrss.exe")]
    [InlineData(@"C:\x")]
    [InlineData(@"C:\")]
    public void Fast_path_gives_what_the_full_normalizer_gives(string raw)
    {
        var fast = WindowsPath.Normalize(raw);
        var full = WindowsPath.Normalize("\t" + raw);

        Assert.Equal(full, fast);
    }

    [Fact]
    public void An_already_normal_path_comes_back_as_the_same_string()
    {
        var raw = @"C:\Program Files\Vendor1\module2\core.dll";

        Assert.Same(raw, WindowsPath.Normalize(raw));
    }

    // The file index takes name and folder of a row Normalize returned unchanged without normalizing it again.
    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe")]
    [InlineData(@"C:\csrss.exe")]
    [InlineData(@"C:\Users\alice\AppData\Roaming\.hidden\x.exe")]
    [InlineData(@"\\server\share\x.exe")]
    [InlineData(@"\\server\share")]
    [InlineData(@"\x.exe")]
    [InlineData("csrss.exe")]
    [InlineData("C:\\Users\\\u0430lice\\csrss.exe")]
    public void Name_and_folder_of_a_normalized_path_match_the_normalizing_forms(string raw)
    {
        var normalized = WindowsPath.Normalize(raw);
        Assert.NotNull(normalized);

        Assert.Equal(WindowsPath.FileName(normalized), WindowsPath.FileNameOfNormalized(normalized));
        Assert.Equal(WindowsPath.Directory(normalized), WindowsPath.DirectoryOfNormalized(normalized));
    }

    // The file index groups by slices of the path; the slices must be exactly the strings the string forms return.
    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe", @"C:\Windows\System32", "csrss.exe")]
    [InlineData(@"C:\csrss.exe", @"C:\", "csrss.exe")]
    [InlineData(@"C:\Windows\", null, null)]
    [InlineData(@"\x.exe", @"\", "x.exe")]
    [InlineData(@"\\server\share", null, "share")]
    [InlineData(@"\\server\share\x.exe", @"\\server\share", "x.exe")]
    [InlineData(@"\\\x", null, "x")]
    [InlineData(@"\\b", @"\", "b")]
    [InlineData(@"a\b", "a", "b")]
    [InlineData("csrss.exe", null, "csrss.exe")]
    [InlineData("", null, null)]
    public void Name_start_and_folder_length_cut_out_the_name_and_the_folder(string normalized, string? folder, string? name)
    {
        var folderLength = WindowsPath.DirectoryLengthOfNormalized(normalized);
        var nameStart = WindowsPath.FileNameStartOfNormalized(normalized);

        Assert.Equal(folder, WindowsPath.DirectoryOfNormalized(normalized));
        Assert.Equal(name, WindowsPath.FileNameOfNormalized(normalized));
        Assert.Equal(folder, folderLength < 0 ? null : normalized[..folderLength]);
        Assert.Equal(name, nameStart < 0 ? null : normalized[nameStart..]);
    }

    // Key takes an ASCII shortcut; it must give exactly the invariant upper case, for every ASCII character and for
    // text that leaves ASCII.
    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe")]
    [InlineData(@"C:\WINDOWS\SYSTEM32\CSRSS.EXE")]
    [InlineData("c:\\users\\\u0430lice\\csrss.exe")]
    [InlineData("C:\\Users\\stra\u00dfe\\\u0131\u017f.exe")]
    [InlineData("")]
    public void Key_is_the_invariant_upper_case(string normalized)
    {
        Assert.Equal(normalized.ToUpperInvariant(), WindowsPath.Key(normalized));
    }

    [Fact]
    public void Key_upper_cases_every_ascii_character_as_the_invariant_culture_does()
    {
        var ascii = new string([.. Enumerable.Range(0, 128).Select(c => (char)c)]);

        Assert.Equal(ascii.ToUpperInvariant(), WindowsPath.Key(ascii));
    }
}
