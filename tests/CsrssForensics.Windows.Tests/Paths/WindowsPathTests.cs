using CsrssForensics.Tests.Shared;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Windows.Tests.Paths;

public sealed class WindowsPathTests
{
    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"  ""C:\Windows\System32\csrss.exe""  ", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"""C:\Windows\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"\??\C:\Windows\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"\\?\C:\Windows\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"\\.\C:\Windows\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"\\?\UNC\server\share\x.exe", @"\\server\share\x.exe")]
    [InlineData(@"\Device\HarddiskVolume3\Windows\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"\Device\HarddiskVolume12\x.exe", @"C:\x.exe")]
    [InlineData(@"\\?\GLOBALROOT\Device\HarddiskVolume2\Windows\x.exe", @"C:\Windows\x.exe")]
    [InlineData(@"\Device\HarddiskVolumeShadowCopy1\Windows\x.exe", @"\Device\HarddiskVolumeShadowCopy1\Windows\x.exe")]
    [InlineData(@"\Device\Mup\server\share\x.exe", @"\\server\share\x.exe")]
    [InlineData(@"\SystemRoot\System32\smss.exe", @"C:\Windows\System32\smss.exe")]
    [InlineData(@"SystemRoot\System32\drivers\x.sys", @"C:\Windows\System32\drivers\x.sys")]
    [InlineData(@"System32\drivers\x.sys", @"C:\Windows\System32\drivers\x.sys")]
    [InlineData(@"%SystemRoot%\system32\csrss.exe", @"C:\Windows\system32\csrss.exe")]
    [InlineData(@"%windir%\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"%WINDIR%\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"%ProgramData%\x\a.exe", @"C:\ProgramData\x\a.exe")]
    [InlineData(@"%ProgramFiles%\x\a.exe", @"C:\Program Files\x\a.exe")]
    [InlineData(@"%ProgramFiles(x86)%\x\a.exe", @"C:\Program Files (x86)\x\a.exe")]
    [InlineData(@"%SystemDrive%\PerfLogs\a.exe", @"C:\PerfLogs\a.exe")]
    [InlineData(@"%ComSpec%", @"C:\Windows\System32\cmd.exe")]
    [InlineData(@"%APPDATA%\a.exe", @"%APPDATA%\a.exe")]
    [InlineData(@"%TEMP%\a.exe", @"%TEMP%\a.exe")]
    [InlineData(@"%Unknown%\a.exe", @"%Unknown%\a.exe")]
    [InlineData(@"C:/Windows/System32/csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"C:\\Windows\\\System32\\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"C:\Windows\.\System32\..\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    [InlineData(@"C:\..\..\Windows\csrss.exe", @"C:\Windows\csrss.exe")]
    // A mock folder with a trailing space is another folder on disk: it must not collapse onto System32.
    [InlineData(@"C:\Windows \System32\csrss.exe", @"C:\Windows \System32\csrss.exe")]
    [InlineData(@"C:\Windows\System32\csrss.exe. . ", @"C:\Windows\System32\csrss.exe. . ")]
    [InlineData(@"c:\windows\system32\CSRSS.EXE", @"C:\windows\system32\CSRSS.EXE")]
    [InlineData(@"C:", @"C:\")]
    [InlineData(@"C:\", @"C:\")]
    [InlineData(@"\Windows\x.exe", @"\Windows\x.exe")]
    [InlineData(@"csrss.exe", @"csrss.exe")]
    [InlineData(@"\\server\share\..\..\x.exe", @"\\server\share\x.exe")]
    public void Normalize_gives_the_canonical_form(string raw, string expected)
    {
        Assert.Equal(expected, WindowsPath.Normalize(raw));
    }

    // Host strings are kept exactly: a name ending in a space is another file on NTFS, and "remove" must name it.
    [Theory]
    [InlineData("C:\\Users\\bob\\AppData\\Roaming\\csrss.exe ", "C:\\Users\\bob\\AppData\\Roaming\\csrss.exe ")]
    [InlineData("\"C:\\Users\\bob\\AppData\\Roaming\\csrss.exe \"", "C:\\Users\\bob\\AppData\\Roaming\\csrss.exe ")]
    [InlineData("  \"C:\\x\\csrss.exe  \"  \r\n", "C:\\x\\csrss.exe  ")]
    [InlineData("C:\\x\\csrss.exe \t\r\n", "C:\\x\\csrss.exe ")]
    [InlineData("\t  C:\\x\\csrss.exe", "C:\\x\\csrss.exe")]
    [InlineData("C:\\x\\csrss.exe\r\n", "C:\\x\\csrss.exe")]
    [InlineData("\"\"C:\\x\\a b.exe \"\"", "C:\\x\\a b.exe ")]
    [InlineData("\\\\?\\C:\\x\\csrss.exe.", "C:\\x\\csrss.exe.")]
    public void Normalize_keeps_spaces_and_dots_that_end_the_path(string raw, string expected)
    {
        Assert.Equal(expected, WindowsPath.Normalize(raw));
    }

    [Fact]
    public void A_trailing_space_makes_another_file_and_is_reported_as_the_trick()
    {
        var spaced = WindowsPath.Normalize(@"C:\Windows\System32\csrss.exe ")!;
        var plain = WindowsPath.Normalize(@"C:\Windows\System32\csrss.exe")!;

        Assert.NotEqual(WindowsPath.Key(plain), WindowsPath.Key(spaced));
        Assert.Equal("csrss.exe ", WindowsPath.FileName(spaced));
        Assert.True(WindowsPath.HasTrailingDotOrSpace(spaced));
        Assert.False(WindowsPath.IsSystem32(spaced));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"\"")]
    [InlineData(".")]
    public void Normalize_returns_null_for_no_path(string? raw)
    {
        Assert.Null(WindowsPath.Normalize(raw));
    }

    [Theory]
    [InlineData(@"%SystemRoot%\System32\csrss.exe", @"D:\WINNT", @"D:\WINNT\System32\csrss.exe")]
    [InlineData(@"\SystemRoot\System32\csrss.exe", @"D:\WINNT\", @"D:\WINNT\System32\csrss.exe")]
    [InlineData(@"%SystemDrive%\x.exe", @"D:\WINNT", @"D:\x.exe")]
    [InlineData(@"%ProgramData%\x.exe", @"E:\Windows", @"E:\ProgramData\x.exe")]
    [InlineData(@"%SystemRoot%\x.exe", "%SystemRoot%", @"C:\Windows\x.exe")]
    [InlineData(@"%SystemRoot%\x.exe", "not a path", @"C:\Windows\x.exe")]
    public void Normalize_uses_the_given_system_root(string raw, string systemRoot, string expected)
    {
        Assert.Equal(expected, WindowsPath.Normalize(raw, systemRoot));
    }

    [Fact]
    public void Normalize_expands_user_variables_from_the_profile_dictionary()
    {
        var environment = new Dictionary<string, string>
        {
            ["AppData"] = @"C:\Users\jdoe\AppData\Roaming",
            ["TEMP"] = @"C:\Users\jdoe\AppData\Local\Temp",
            ["Loop"] = "%Loop%",
        };

        Assert.Equal(@"C:\Users\jdoe\AppData\Roaming\x\csrss.exe", WindowsPath.Normalize(@"%APPDATA%\x\csrss.exe", null, environment));
        Assert.Equal(@"C:\Users\jdoe\AppData\Local\Temp\a.exe", WindowsPath.Normalize(@"%temp%\a.exe", null, environment));
        Assert.Equal(@"%Loop%\a.exe", WindowsPath.Normalize(@"%Loop%\a.exe", null, environment));
        Assert.Equal(@"%LOCALAPPDATA%\a.exe", WindowsPath.Normalize(@"%LOCALAPPDATA%\a.exe", null, environment));
    }

    [Theory]
    [InlineData(@"C:\Windows \System32\csrss.exe", true)]
    [InlineData(@"C:\Windows\System32\csrss.exe.", true)]
    [InlineData(@"C:\Windows\System32.\csrss.exe", true)]
    // A space ending the path is part of the name (another file than csrss.exe); tabs and line breaks are padding.
    [InlineData(@"C:\Windows\System32\csrss.exe ", true)]
    [InlineData("C:\\Windows\\System32\\csrss.exe\r\n", false)]
    [InlineData(@"""C:\Windows \System32\csrss.exe""", true)]
    [InlineData(@"C:\Windows\System32\csrss.exe", false)]
    [InlineData(@"\\?\C:\Windows\System32\csrss.exe", false)]
    [InlineData(@"\\.\C:\Windows\..\Windows\System32\csrss.exe", false)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData(@"C:/Windows /System32/csrss.exe", true)]
    [InlineData(@"C:\Windows/System32./csrss.exe", true)]
    [InlineData(@"C:\Windows.\", true)]
    [InlineData(@"C:\Windows\System32\", false)]
    [InlineData(@".\..\?\??\csrss.exe", false)]
    [InlineData(@"...\csrss.exe", true)]
    public void HasTrailingDotOrSpace_sees_the_mock_folder_trick(string? raw, bool expected)
    {
        // A trailing space on the whole text is outer white space, not part of a name.
        Assert.Equal(expected, WindowsPath.HasTrailingDotOrSpace(raw));
    }

    [Fact]
    public void Key_is_upper_invariant_and_keeps_display_form_apart()
    {
        var normalized = WindowsPath.Normalize(@"c:\windows\system32\csrss.exe")!;
        Assert.Equal(@"C:\WINDOWS\SYSTEM32\CSRSS.EXE", WindowsPath.Key(normalized));
        Assert.Equal(WindowsPath.Key(WindowsPath.Normalize(@"C:\Windows\System32\CSRSS.exe")!), WindowsPath.Key(normalized));
    }

    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe", "csrss.exe", @"C:\Windows\System32")]
    [InlineData(@"C:\x.exe", "x.exe", @"C:\")]
    [InlineData(@"\??\C:\a\b\c.dll", "c.dll", @"C:\a\b")]
    [InlineData(@"x.exe", "x.exe", null)]
    [InlineData(@"\x.exe", "x.exe", @"\")]
    [InlineData(@"\\server\share\x.exe", "x.exe", @"\\server\share")]
    public void FileName_and_Directory_split_the_normalized_path(string raw, string name, string? directory)
    {
        Assert.Equal(name, WindowsPath.FileName(raw));
        Assert.Equal(directory, WindowsPath.Directory(raw));
    }

    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe", @"C:\Windows", true)]
    [InlineData(@"c:\windows\system32\csrss.exe", @"C:\WINDOWS\", true)]
    [InlineData(@"C:\WindowsApps\x.exe", @"C:\Windows", false)]
    [InlineData(@"C:\Windows", @"C:\Windows", false)]
    [InlineData(@"C:\Windows\..\Users\x.exe", @"C:\Windows", false)]
    [InlineData(@"C:\x.exe", @"C:\", true)]
    [InlineData(null, @"C:\", false)]
    public void IsUnder_compares_whole_segments(string? path, string folder, bool expected)
    {
        Assert.Equal(expected, WindowsPath.IsUnder(path, folder));
    }

    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe", null, true)]
    [InlineData(@"\SystemRoot\system32\csrss.exe", null, true)]
    [InlineData(@"\Device\HarddiskVolume3\Windows\System32\csrss.exe", null, true)]
    [InlineData(@"C:\Windows\SysWOW64\csrss.exe", null, false)]
    [InlineData(@"C:\Windows\System32\drivers\csrss.exe", null, false)]
    [InlineData(@"C:\Windows \System32\csrss.exe", null, false)]
    [InlineData(@"C:\Windows\System32.\csrss.exe", null, false)]
    [InlineData(@"D:\WINNT\System32\csrss.exe", @"D:\WINNT", true)]
    [InlineData(@"C:\Windows\System32\csrss.exe", @"D:\WINNT", false)]
    [InlineData(@"C:\Users\a\AppData\Roaming\csrss.exe", null, false)]
    public void IsSystem32_checks_the_exact_folder(string path, string? systemRoot, bool expected)
    {
        Assert.Equal(expected, WindowsPath.IsSystem32(path, systemRoot));
    }

    [Fact]
    public void Random_input_never_throws()
    {
        var random = new Random(20261128);
        const string alphabet = "\\/.: \"%?aAcC$~\t\0\u00e9\u2028()x";
        for (var n = 0; n < 5000; n++)
        {
            var raw = RandomText.Next(random, alphabet, 40);
            var normalized = WindowsPath.Normalize(raw, random.Next(3) == 0 ? raw : null);
            _ = WindowsPath.HasTrailingDotOrSpace(raw);
            _ = WindowsPath.FileName(raw);
            _ = WindowsPath.Directory(raw);
            _ = WindowsPath.IsUnder(raw, @"C:\Windows");
            _ = WindowsPath.IsSystem32(raw);
            if (normalized is not null)
            {
                // Normalizing is idempotent on its own output.
                Assert.Equal(normalized, WindowsPath.Normalize(normalized));
            }
        }
    }
}
