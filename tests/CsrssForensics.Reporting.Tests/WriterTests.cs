using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests;

public sealed class WriterTests
{
    [Fact]
    public void Two_runs_write_byte_identical_files()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        var a = ReportWriter.WriteAll(SampleReports.HostileStrings(), first.Path, ReportFormats.All);
        var b = ReportWriter.WriteAll(SampleReports.HostileStrings(), second.Path, ReportFormats.All);

        Assert.Equal(a.Select(Path.GetFileName), b.Select(Path.GetFileName));
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(File.ReadAllBytes(a[i]), File.ReadAllBytes(b[i]));
        }
    }

    [Fact]
    public void The_same_instant_stored_with_another_offset_gives_identical_output()
    {
        var utc = SampleReports.Rich();
        var shifted = utc with
        {
            Bundle = utc.Bundle with { CollectedAtUtc = utc.Bundle.CollectedAtUtc!.Value.ToOffset(TimeSpan.FromHours(-7)) },
            Host = utc.Host! with { BootTimeUtc = utc.Host.BootTimeUtc!.Value.ToOffset(TimeSpan.FromHours(9)) },
        };

        Assert.Equal(ReportWriter.ToJson(utc), ReportWriter.ToJson(shifted));
        Assert.Equal(ReportWriter.ToMarkdown(utc), ReportWriter.ToMarkdown(shifted));
    }

    [Fact]
    public void WriteAll_creates_only_the_requested_report_files_and_returns_their_paths()
    {
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "out", "nested");

        var written = ReportWriter.WriteAll(SampleReports.Rich(), output, ReportFormats.Markdown | ReportFormats.Json);

        Assert.Equal([Path.Combine(output, "report.md"), Path.Combine(output, "report.json")], written);
        Assert.Equal(["report.json", "report.md"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(ReportWriter.ToMarkdown(SampleReports.Rich()), File.ReadAllText(written[0]));
    }

    [Fact]
    public void Every_streamed_report_file_holds_exactly_the_text_of_its_in_memory_rendering()
    {
        // The files are written section by section (Markdown), by the serializer (JSON) or line by line (events).
        using var temp = new TempDirectory();
        var report = SampleReports.HostileStrings();

        ReportWriter.WriteAll(report, temp.Path, ReportFormats.All);

        Assert.Equal(ReportWriter.ToMarkdown(report), File.ReadAllText(Path.Combine(temp.Path, "report.md")));
        Assert.Equal(ReportWriter.ToHtml(report), File.ReadAllText(Path.Combine(temp.Path, "report.html")));
        Assert.Equal(ReportWriter.ToJson(report), File.ReadAllText(Path.Combine(temp.Path, "report.json")));
        Assert.Equal(ReportWriter.ToCsv(report), File.ReadAllText(Path.Combine(temp.Path, "report.csv")));
        Assert.Equal(ReportWriter.ToJsonl(report), File.ReadAllText(Path.Combine(temp.Path, "report.jsonl")));
        Assert.Equal(ReportWriter.ToTimesketch(report), File.ReadAllText(Path.Combine(temp.Path, "report.timesketch.jsonl")));
    }

    [Fact]
    public void WriteAll_output_is_utf8_without_bom_with_lf_line_endings_and_one_final_newline()
    {
        using var temp = new TempDirectory();

        var written = ReportWriter.WriteAll(SampleReports.HostileStrings(), temp.Path, ReportFormats.All);

        Assert.Equal(6, written.Count);
        foreach (var path in written)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.False(bytes is [0xEF, 0xBB, 0xBF, ..], $"{path} starts with a BOM");
            Assert.DoesNotContain((byte)'\r', bytes);
            Assert.Equal((byte)'\n', bytes[^1]);
            Assert.NotEqual((byte)'\n', bytes[^2]);
        }
    }

    [Fact]
    public void WriteAll_replaces_a_link_planted_at_a_report_name_instead_of_writing_through_it()
    {
        // Given an output folder where report.md is a symbolic link to a file elsewhere
        using var temp = new TempDirectory();
        var victim = Path.Combine(temp.Path, "victim.txt");
        File.WriteAllText(victim, "keep me");
        var output = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(output);
        File.CreateSymbolicLink(Path.Combine(output, "report.md"), victim);

        // When
        var written = ReportWriter.WriteAll(SampleReports.Rich(), output, ReportFormats.Markdown).Single();

        // Then
        Assert.Equal("keep me", File.ReadAllText(victim));
        Assert.Null(new FileInfo(written).LinkTarget);
        Assert.Equal(ReportWriter.ToMarkdown(SampleReports.Rich()), File.ReadAllText(written));
        Assert.Equal(["report.md"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("report.md")]
    [InlineData("report.html")]
    [InlineData("report.json")]
    [InlineData("report.csv")]
    public void WriteAll_finds_a_folder_at_any_report_name_before_writing_anything(string taken)
    {
        // Given an output folder where one report name is taken by a folder
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, taken));

        // When all four formats are written
        var error = Assert.Throws<IOException>(() => ReportWriter.WriteAll(SampleReports.Rich(), temp.Path, ReportFormats.All));

        // Then it names the folder and nothing was written: no other report, no temporary or .partial file
        Assert.Contains(taken, error.Message, StringComparison.Ordinal);
        Assert.Equal([taken], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteAll_replaces_earlier_reports_and_leaves_no_temporary_file()
    {
        using var temp = new TempDirectory();
        foreach (var name in new[] { "report.md", "report.html", "report.json", "report.csv" })
        {
            File.WriteAllText(Path.Combine(temp.Path, name), "earlier run");
        }

        var written = ReportWriter.WriteAll(SampleReports.Rich(), temp.Path, ReportFormats.All);

        Assert.Equal(["report.csv", "report.html", "report.json", "report.jsonl", "report.md", "report.timesketch.jsonl"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(written, path => Assert.NotEqual("earlier run", File.ReadAllText(path)));
    }

    [Fact]
    public void WriteAll_replaces_a_link_to_a_folder_at_a_report_name_without_touching_the_folder()
    {
        // Given report.csv is a link to a folder elsewhere (Directory.Exists follows it)
        using var temp = new TempDirectory();
        var elsewhere = Path.Combine(temp.Path, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        var output = Path.Combine(temp.Path, "out");
        Directory.CreateDirectory(output);
        Directory.CreateSymbolicLink(Path.Combine(output, "report.csv"), elsewhere);

        var written = ReportWriter.WriteAll(SampleReports.Rich(), output, ReportFormats.Csv).Single();

        Assert.Null(new FileInfo(written).LinkTarget);
        Assert.True(File.Exists(written));
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
    }

    [Fact]
    public void A_model_without_integrity_is_rejected_with_a_clear_message()
    {
        var report = SampleReports.Rich() with { Integrity = null! };

        var error = Assert.Throws<ArgumentException>(() => ReportWriter.ToJson(report));

        Assert.Contains("Integrity", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("md", ReportFormats.Markdown)]
    [InlineData("md,html,json,csv", ReportFormats.Markdown | ReportFormats.Html | ReportFormats.Json | ReportFormats.Csv)]
    [InlineData("jsonl,timesketch", ReportFormats.Jsonl | ReportFormats.Timesketch)]
    [InlineData("ECS", ReportFormats.Jsonl)]
    [InlineData(" JSON , Csv ", ReportFormats.Json | ReportFormats.Csv)]
    [InlineData("markdown,html", ReportFormats.Markdown | ReportFormats.Html)]
    [InlineData("all", ReportFormats.All)]
    [InlineData("csv,,csv", ReportFormats.Csv)]
    public void ParseFormats_accepts_known_names(string list, ReportFormats expected)
    {
        Assert.Equal(expected, ReportWriter.ParseFormats(list));
    }

    [Theory]
    [InlineData("pdf")]
    [InlineData("md,xml")]
    [InlineData("")]
    [InlineData(" , ")]
    public void ParseFormats_rejects_unknown_or_empty_lists(string list)
    {
        Assert.Throws<ArgumentException>(() => ReportWriter.ParseFormats(list));
    }
}
