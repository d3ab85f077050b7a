using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests;

/// <summary>The Host context section in every format; its strings come from the suspect host.</summary>
public sealed class HostContextReportTests
{
    private const string HostileProgram = "<script>alert(1)</script><img src=x onerror=alert(2)>| x | [a](javascript:b)";

    private static AnalysisReport WithProgramNamed(string name)
    {
        var rich = SampleReports.Rich();
        var context = rich.HostContext!;
        var row = context.RecentPrograms[0];
        return rich with
        {
            HostContext = context with { RecentPrograms = [row with { Program = row.Program with { Name = name, Publisher = "=cmd|' /C calc'!A0" } }] },
        };
    }

    [Fact]
    public void Html_shows_a_hostile_program_name_as_text_only()
    {
        var html = ReportWriter.ToHtml(WithProgramNamed(HostileProgram));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("href=\"(?!#)", html);
        Assert.Contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;| x | [a](javascript:b)</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_keeps_the_program_table_shape_with_a_pipe_in_the_name()
    {
        var markdown = ReportWriter.ToMarkdown(WithProgramNamed(HostileProgram));

        var section = markdown[markdown.IndexOf("**Recently installed programs**", StringComparison.Ordinal)..];
        var rows = section.Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|')).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, row => Assert.Equal(10, row.Replace("\\|", string.Empty, StringComparison.Ordinal).Count(c => c == '|')));
    }

    [Fact]
    public void Csv_program_row_is_protected_against_formulas()
    {
        var csv = ReportWriter.ToCsv(WithProgramNamed("=HYPERLINK(\"http://evil.example\",\"x\")"));

        var program = CsvRows.Parse(csv).Single(r => r[0] == "program");
        Assert.StartsWith("'=HYPERLINK", program[1], StringComparison.Ordinal);
        Assert.Equal("possibly arrived with " + SampleReports.FakePath, program[8]);
    }

    [Fact]
    public void Verdict_context_cell_holds_only_the_context_findings()
    {
        var rows = CsvRows.Parse(ReportWriter.ToCsv(SampleReports.Rich()));

        var fake = rows[1];
        Assert.Contains("Defender detected this file: ", fake[8], StringComparison.Ordinal);
        Assert.Contains("Possibly arrived with an installed program: ", fake[8], StringComparison.Ordinal);
        Assert.DoesNotContain("user-writable", fake[8], StringComparison.Ordinal);
    }

    [Fact]
    public void Report_without_context_parts_says_they_were_not_collected()
    {
        var report = SampleReports.Rich() with { HostContext = null };

        var markdown = ReportWriter.ToMarkdown(report);
        var json = ReportWriter.ToJson(report);

        Assert.Contains("## Host context\n\nprograms.json, browser-extensions.json and defender.json were not collected.", markdown, StringComparison.Ordinal);
        Assert.Contains("\"hostContext\": null", json, StringComparison.Ordinal);
        Assert.DoesNotContain(CsvRows.Parse(ReportWriter.ToCsv(report)), r => r[0] is "program" or "defender-status" or "browser-extension");
    }

    [Fact]
    public void Default_arrays_in_a_hand_built_context_render_as_empty()
    {
        var status = new DefenderStatus(null, null, false, null, null, null, null, null, null, null, new EvidenceRef("defender.json", Detail: "status"));
        var report = SampleReports.Rich() with { HostContext = new HostContextSection(status, default, default, default, default) };

        var markdown = ReportWriter.ToMarkdown(report);
        var json = ReportWriter.ToJson(report);

        Assert.Contains("No detection was reported.", markdown, StringComparison.Ordinal);
        Assert.Contains("No browser extension was reported.", markdown, StringComparison.Ordinal);
        Assert.Contains("\"recentPrograms\": []", json, StringComparison.Ordinal);
    }
}
