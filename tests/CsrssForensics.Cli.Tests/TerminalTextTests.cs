using System.IO.Compression;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

/// <summary>One filter for everything the CLI prints from a bundle or a certificate.</summary>
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b[2Kcsrss.exe", "<U+001B>[2Kcsrss.exe")]
    [InlineData("fake\rcsrss.exe", "fake<U+000D>csrss.exe")]
    [InlineData("\u001b]0;owned\u0007", "<U+001B>]0;owned<U+0007>")]
    [InlineData("\u001b[8mhidden", "<U+001B>[8mhidden")]
    [InlineData("csr\u200Bss.exe", "csr<U+200B>ss.exe")]
    [InlineData("csrss\u202Eexe.scr", "csrss<U+202E>exe.scr")]
    [InlineData("\u2066iso\u2069 \u200E\u200F", "<U+2066>iso<U+2069> <U+200E><U+200F>")]
    [InlineData("c1 \u009b31m del \u007f tab \t", "c1 <U+009B>31m del <U+007F> tab <U+0009>")]
    [InlineData("line\u2028para\u2029", "line<U+2028>para<U+2029>")]
    [InlineData("bom\uFEFF shy\u00AD", "bom<U+FEFF> shy<U+00AD>")]
    [InlineData("tag \U000E0041", "tag <U+E0041>")]
    [InlineData("cyrillic \u0441srss.exe, emoji \U0001F600, accents é", "cyrillic \u0441srss.exe, emoji \U0001F600, accents é")]
    [InlineData("", "")]
    public void Invisible_and_control_code_points_are_shown_as_code_points(string text, string shown)
    {
        Assert.Equal(shown, TerminalText.Printable(text));
    }

    [Fact]
    public void Lone_surrogates_are_shown_as_code_points()
    {
        Assert.Equal("lone <U+D800> high, lone <U+DC00> low, reversed <U+DC00><U+D800>", TerminalText.Printable("lone \uD800 high, lone \uDC00 low, reversed \uDC00\uD800"));
    }

    [Fact]
    public void Analyze_prints_a_hostile_process_path_escaped()
    {
        // The fixture's look-alike, renamed with terminal and bidi tricks (the manifest check fails; it is still analysed).
        var work = CliRunner.TempDirectory();
        var zip = Path.Combine(work, "hostile.zip");
        var hostile = "csrsss\u001b[2K\r\u001b]0;owned\u0007\u001b[8m\u200B\u202E.exe";
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            var source = TestEnvironment.PathOf("fixtures", "bundles", "csrsss-runkey");
            foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            {
                var name = Path.GetRelativePath(source, file).Replace('\\', '/');
                var bytes = File.ReadAllBytes(file);
                if (name == "processes.csv")
                {
                    bytes = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(file).Replace(@",C:\Users\bob\AppData\Local\Temp\csrsss.exe,", $@",""C:\Users\bob\AppData\Local\Temp\{hostile}"",", StringComparison.Ordinal));
                }

                using var entry = archive.CreateEntry(name).Open();
                entry.Write(bytes);
            }
        }

        var (_, stdout, stderr) = CliRunner.Run("analyze", zip, "--out", Path.Combine(work, "out"), "--format", "json");

        Assert.Contains(@"Temp\csrsss<U+001B>[2K<U+000D><U+001B>]0;owned<U+0007><U+001B>[8m<U+200B><U+202E>.exe", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout + stderr);
        Assert.DoesNotContain('\r', (stdout + stderr).ReplaceLineEndings("\n"));
        Assert.DoesNotContain('\u202E', stdout + stderr);
    }
}
