using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Tests;

/// <summary>Host strings are shown exactly: spaces and dots nobody could see, and letters from other scripts, are made visible.</summary>
public sealed class VisibleTextTests
{
    [Theory]
    [InlineData(@"C:\Users\bob\AppData\Roaming\csrss.exe ", @"C:\Users\bob\AppData\Roaming\csrss.exe<U+0020>")]
    [InlineData(" csrss.exe", "<U+0020>csrss.exe")]
    [InlineData(@"C:\Windows \System32\csrss.exe", @"C:\Windows<U+0020>\System32\csrss.exe")]
    [InlineData(@"C:\Users\bob\ csrss.exe", @"C:\Users\bob\<U+0020>csrss.exe")]
    [InlineData("csrss .exe", "csrss<U+0020>.exe")]
    [InlineData("csrss  x.exe", "csrss<U+0020> x.exe")]
    [InlineData(@"C:\x\csrss.exe.", @"C:\x\csrss.exe<U+002E>")]
    [InlineData(@"C:\Windows.\System32\csrss.exe", @"C:\Windows<U+002E>\System32\csrss.exe")]
    [InlineData(@"C:\x\csrss.exe. ", @"C:\x\csrss.exe.<U+0020>")]
    [InlineData(@"C:\x\..\csrss.exe", @"C:\x\..\csrss.exe")]
    [InlineData(@"C:\Windows\System32\csrss.exe", @"C:\Windows\System32\csrss.exe")]
    public void Path_shows_edge_spaces_and_dots_as_code_points(string path, string expected)
    {
        Assert.Equal(expected, VisibleText.Path(path));
    }

    [Theory]
    [InlineData("Do not end or delete the System32 csrss.exe: it is the real Windows process.")]
    [InlineData(@"scheduled task \Microsoft\Windows\WinUpdateSvc")]
    [InlineData(@"C:\Windows\System32\cmd.exe /c start run.bat")]
    [InlineData("Remove the fake C:\\x\\csrss.exe, and end its process.")]
    public void Sentences_and_command_lines_keep_their_ordinary_spaces_and_dots(string text)
    {
        Assert.Equal(text, VisibleText.Make(text));
    }

    [Fact]
    public void A_path_with_a_trailing_space_inside_a_sentence_is_marked()
    {
        Assert.Equal(
            @"remove C:\x\csrss.exe<U+0020> and end its process",
            VisibleText.Make(@"remove C:\x\csrss.exe  and end its process"));
        Assert.Equal(@"remove C:\x\csrss.exe<U+0020>.", VisibleText.Make(@"remove C:\x\csrss.exe ."));
    }

    [Fact]
    public void Mixed_script_name_lists_its_foreign_letters_with_positions()
    {
        Assert.Equal(
            "\u0441srss.exe (mixed scripts: \"\u0441srss.exe\" U+0441 Cyrillic at 1)",
            VisibleText.Make("\u0441srss.exe"));
        Assert.Equal(
            "C:\\x\\csr\u0455\u0455.exe (mixed scripts: \"csr\u0455\u0455.exe\" U+0455 Cyrillic at 4, U+0455 Cyrillic at 5)",
            VisibleText.Path("C:\\x\\csr\u0455\u0455.exe"));
        Assert.Equal(
            "svch\u03BFst.exe (mixed scripts: \"svch\u03BFst.exe\" U+03BF Greek at 5)",
            VisibleText.Make("svch\u03BFst.exe"));
    }

    [Theory]
    [InlineData("csrss.exe")]
    [InlineData("C:\\Users\\\u0418\u0432\u0430\u043D\\AppData\\csrss.exe")]
    [InlineData("C:\\Users\\ren\u00E9\\Caf\u00E9.exe")]
    [InlineData("\u0424\u0430\u0439\u043B")]
    public void Single_script_words_and_accented_latin_are_not_flagged(string text)
    {
        Assert.DoesNotContain("mixed scripts", VisibleText.Make(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Hidden_characters_inside_a_flagged_word_stay_hidden_in_the_note_too()
    {
        var visible = VisibleText.Make("\u0441srss\u202E.exe");

        Assert.DoesNotContain('\u202E', visible);
        Assert.Equal("\u0441srss<U+202E>.exe (mixed scripts: \"\u0441srss<U+202E>.exe\" U+0441 Cyrillic at 1)", visible);
    }

    [Fact]
    public void Mixed_script_note_is_bounded_for_hostile_text()
    {
        var word = "a" + new string('\u0441', 10_000);
        var text = string.Join(' ', Enumerable.Repeat(word, 1_000));

        var visible = VisibleText.Make(text);

        Assert.EndsWith("; …)", visible, StringComparison.Ordinal);
        Assert.True(visible.Length < text.Length * 2, "The note must stay small next to the text.");
    }

    [Fact]
    public void Markdown_shows_the_marker_as_text_and_csv_stays_formula_safe()
    {
        Assert.Equal(@"C:\x\csrss.exe\<U+0020\>", MarkdownText.EscapePath(@"C:\x\csrss.exe "));
        Assert.Equal("<U+0020>=1+1", VisibleText.Make(" =1+1"));
    }
}
