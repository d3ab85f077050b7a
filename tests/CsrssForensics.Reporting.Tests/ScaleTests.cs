using System.Diagnostics;
using System.Text.Json;
using CsrssForensics.Reporting.Tests.Support;
using Xunit.Abstractions;

namespace CsrssForensics.Reporting.Tests;

public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void A_report_with_thousands_of_verdicts_and_very_long_strings_renders_completely()
    {
        // Given 2000 verdicts, one of them with a 768 KiB name made of Markdown metacharacters
        var template = SampleReports.Rich().Verdicts[0];
        var verdicts = Enumerable.Range(0, 2000)
            .Select(i => template with { Subject = template.Subject with { Pid = 10_000 + i } })
            .ToList();
        verdicts[0] = verdicts[0] with { Subject = verdicts[0].Subject with { Name = string.Concat(Enumerable.Repeat("[*_`<|", 1 << 17)) } };
        var report = SampleReports.Rich() with { Verdicts = [.. verdicts], HostContext = null };

        // When
        var watch = Stopwatch.StartNew();
        var markdown = ReportWriter.ToMarkdown(report);
        var markdownTime = watch.Elapsed;
        var html = ReportWriter.ToHtml(report);
        var htmlTime = watch.Elapsed - markdownTime;
        var json = ReportWriter.ToJson(report);
        var csv = ReportWriter.ToCsv(report);
        output.WriteLine($"markdown {markdown.Length:N0} chars in {markdownTime.TotalMilliseconds:N0} ms; html {html.Length:N0} chars in {htmlTime.TotalMilliseconds:N0} ms; all four in {watch.ElapsedMilliseconds:N0} ms");

        // Then every verdict is in every format
        Assert.Equal(2000, html.Split("<tr id=\"v-", StringSplitOptions.None).Length - 1);
        Assert.Equal(2000, JsonDocument.Parse(json).RootElement.GetProperty("verdicts").GetArrayLength());
        Assert.Equal(2000 + report.RogueRoots.Length + report.NotCollected.Length + 1, csv.Count(c => c == '\n'));
        Assert.Contains("| process csrss.exe | 11999 |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<em>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_that_Markdig_refuses_still_gives_encoded_html()
    {
        // Blockquotes nested far beyond Markdig's depth limit make it throw; the section must still be written.
        var markdown = new string('>', 500) + " <script>alert(1)</script>\n";
        using var writer = new StringWriter();

        Html.HtmlMarkdown.Write(writer, markdown);

        var html = writer.ToString();
        Assert.Contains("<pre>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_tables_are_cut_into_blocks_that_repeat_the_header()
    {
        var template = SampleReports.Rich().Verdicts[0];
        var report = SampleReports.Rich() with
        {
            Verdicts = [.. Enumerable.Range(0, 250).Select(i => template with { Subject = template.Subject with { Pid = i } })],
        };

        var markdown = ReportWriter.ToMarkdown(report);
        var verdicts = markdown[markdown.IndexOf("## Findings", StringComparison.Ordinal)..markdown.IndexOf("## Evidence for each finding", StringComparison.Ordinal)];

        Assert.Equal(3, verdicts.Split("| # | Subject | PID | Path | Verdict | Evidence strength | Reason | Signature | Decision path | Evidence |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n").Length - 1);
        Assert.Equal(250, verdicts.Split('\n').Count(line => line.Contains(" | process csrss.exe | ", StringComparison.Ordinal)));
    }
}
