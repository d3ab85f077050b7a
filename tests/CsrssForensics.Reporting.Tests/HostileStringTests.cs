using System.Text;
using System.Text.RegularExpressions;
using CsrssForensics.Reporting.Tests.Support;
using CsrssForensics.Reporting.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CsrssForensics.Reporting.Tests;

public sealed partial class HostileStringTests
{
    // The same extensions the HTML writer uses, so what these tests parse is what the page shows.
    private static readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    private static readonly HashSet<string> _allowedTags =
    [
        "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "ul", "ol", "li",
        "table", "thead", "tbody", "tr", "th", "td", "strong", "header", "nav", "section", "article", "details",
        "summary", "span", "b", "br", "code", "wbr", "a", "svg", "desc", "path", "g", "rect", "text", "circle",
        "figure", "figcaption",
    ];

    [GeneratedRegex("<(/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>")]
    private static partial Regex TagPattern();

    [Fact]
    public void Html_has_no_script_handler_link_or_image_made_from_bundle_text()
    {
        // Given
        var html = ReportWriter.ToHtml(SampleReports.HostileStrings());

        // Then: only the page's own elements exist, and none carries an attribute a bundle string could have made.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        foreach (Match tag in TagPattern().Matches(html))
        {
            var name = tag.Groups[2].Value.ToLowerInvariant();
            Assert.Contains(name, _allowedTags);
            var attributes = tag.Groups[3].Value;
            // Attribute names and values the page wrote itself; bundle text may appear only hex-escaped inside an id.
            Assert.DoesNotMatch(@"(?i)\son[a-z]+\s*=", attributes);
            Assert.DoesNotMatch(@"(?i)=\s*""?\s*javascript:", attributes);
            Assert.DoesNotMatch(@"(?i)\ssrc\s*=", attributes);
            Assert.Matches(@"^(\s[A-Za-z-]+=""[^""<>]*"")*\s*/?$", attributes);
            if (name == "strong" && attributes.Length > 0)
            {
                Assert.Matches("^ class=\"badge badge-[a-z]+\"$", attributes);
            }

            // Links are the page's own anchors only: a fragment built from letters, digits, '-' and '_'.
            if (name == "a" && tag.Groups[1].Value.Length == 0)
            {
                Assert.Matches("^ href=\"#[A-Za-z0-9_-]+\"$", attributes);
            }
        }

        // The hostile text is still there, as text.
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Contains("[x](javascript:alert(1))", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_has_a_strict_content_security_policy_and_no_external_resource()
    {
        var html = ReportWriter.ToHtml(SampleReports.Rich());

        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<strong class=\"badge badge-fake\">fake</strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundle_text_cannot_forge_a_verdict_badge()
    {
        // Given a fake whose name and reason try to look like a "legitimate" badge
        var fake = SampleReports.Rich().Verdicts[0];
        var report = SampleReports.Rich() with
        {
            Verdicts = [fake with { Subject = fake.Subject with { Name = "**legitimate**" }, Reason = "<strong>legitimate</strong> __legitimate__" }],
            ProcessTrees = [],
        };

        // When
        var html = ReportWriter.ToHtml(report);

        // Then the only badges are the real ones
        Assert.DoesNotContain("class=\"badge badge-legitimate\"", html, StringComparison.Ordinal);
        Assert.Contains("**legitimate**", html, StringComparison.Ordinal);
        Assert.Contains("&lt;strong&gt;legitimate&lt;/strong&gt; __legitimate__", html, StringComparison.Ordinal);
        Assert.Contains("class=\"badge badge-fake\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_strings_do_not_break_markdown_tables()
    {
        // Given
        var report = SampleReports.HostileStrings();

        // When
        var document = Markdig.Markdown.Parse(ReportWriter.ToMarkdown(report), _pipeline);
        var tables = document.Descendants<Table>().ToList();

        // Then: every table keeps one cell per column, and the verdicts table one row per verdict.
        Assert.NotEmpty(tables);
        foreach (var table in tables)
        {
            var header = (TableRow)table[0];
            Assert.All(table.Cast<TableRow>(), row => Assert.Equal(header.Count, row.Count));
        }

        // The findings table and the folded legitimate table hold one row per verdict between them.
        var findings = tables.Single(t => ((TableRow)t[0]).Count > 4 && CellText((TableRow)t[0], 1) == "Subject" && CellText((TableRow)t[0], 4) == "Verdict");
        var legitimate = tables.Where(t => ((TableRow)t[0]).Count > 4 && CellText((TableRow)t[0], 1) == "Subject" && CellText((TableRow)t[0], 4) == "Evidence strength").ToList();
        Assert.Equal(report.Verdicts.Length, findings.Count - 1 + legitimate.Sum(t => t.Count - 1));
        Assert.Equal(10, ((TableRow)findings[1]).Count);
        Assert.Empty(document.Descendants<LinkInline>());
        Assert.Empty(document.Descendants<AutolinkInline>());
        Assert.Empty(document.Descendants<HtmlInline>());
        Assert.Empty(document.Descendants<CodeInline>());
        Assert.Empty(document.Descendants<HtmlBlock>());
    }

    [Fact]
    public void The_tampered_row_cannot_add_a_row_to_the_verdicts_table()
    {
        var markdown = ReportWriter.ToMarkdown(SampleReports.HostileStrings());

        Assert.DoesNotContain("\n| injected |", markdown, StringComparison.Ordinal);
        Assert.Contains("\\| injected \\| row \\|", markdown, StringComparison.Ordinal);
    }

    public static TheoryData<string> HostileAndRandomStrings()
    {
        // Each string once: xunit drops a row equal to an earlier one, so a repeated random string would silently vanish.
        var data = new TheoryData<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in SampleReports.Hostile.All)
        {
            if (seen.Add(text))
            {
                data.Add(text);
            }
        }

        foreach (var text in new[] { "1. item", "- item", "+ item", "=====", "---", "    indented", "\\", "a\\", "\\\\server\\share", "&amp;", "&#x3C;b>", "![img](x)", "C:\\$Recycle.Bin\\x~1", "www.evil.example", "trailing  " })
        {
            if (seen.Add(text))
            {
                data.Add(text);
            }
        }

        // Deterministic random strings over the characters Markdown treats specially.
        var random = new Random(20260301);
        const string alphabet = "ab1. -+=#*_`[]()<>!|&;:/\\\"'~$\t\n\u202E\u0000";
        for (var i = 0; i < 200; i++)
        {
            var builder = new StringBuilder();
            var length = random.Next(1, 24);
            for (var j = 0; j < length; j++)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            if (seen.Add(builder.ToString()))
            {
                data.Add(builder.ToString());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostileAndRandomStrings))]
    public void Escaped_text_renders_as_exactly_its_visible_form_in_a_paragraph_a_list_item_and_a_table_cell(string value)
    {
        var expected = VisibleText.Make(value);
        var escaped = MarkdownText.Escape(value);

        Assert.Equal("x " + expected + " y", InlineText(Markdig.Markdown.Parse("x " + escaped + " y", _pipeline).Descendants<ParagraphBlock>().Single()));
        Assert.Equal(expected + " y", InlineText(Markdig.Markdown.Parse("- " + escaped + " y", _pipeline).Descendants<ParagraphBlock>().Single()));

        var table = Markdig.Markdown.Parse("| h |\n| --- |\n| x " + escaped + " y |\n", _pipeline).Descendants<Table>().Single();
        Assert.Equal(2, table.Count);
        var cell = (TableCell)((TableRow)table[1]).Single();
        Assert.Equal("x " + expected + " y", InlineText(cell.Descendants<ParagraphBlock>().Single()));
    }

    [Theory]
    [InlineData("csrss\u202Etxt.exe", "csrss<U+202E>txt.exe")]
    [InlineData("a\r\nb", "a<U+000D><U+000A>b")]
    [InlineData("zero\u200Bwidth", "zero<U+200B>width")]
    [InlineData("tag\U000E0041", "tag<U+E0041>")]
    [InlineData("emoji \U0001F600 stays", "emoji \U0001F600 stays")]
    [InlineData("C:\\Windows\\System32\\csrss.exe", "C:\\Windows\\System32\\csrss.exe")]
    public void Invisible_and_reordering_characters_are_made_visible(string value, string expected)
    {
        Assert.Equal(expected, VisibleText.Make(value));
    }

    [Fact]
    public void A_lone_surrogate_is_made_visible()
    {
        // Not an InlineData case: the test runner would replace the invalid string with U+FFFD before the test saw it.
        Assert.Equal("lone<U+D800> and <U+DC00>", VisibleText.Make("lone\uD800 and \uDC00"));
    }

    [Fact]
    public void No_output_contains_a_raw_bidi_override()
    {
        var report = SampleReports.HostileStrings();

        Assert.DoesNotContain('\u202E', ReportWriter.ToMarkdown(report));
        Assert.DoesNotContain('\u202E', ReportWriter.ToHtml(report));
        Assert.DoesNotContain('\u202E', ReportWriter.ToCsv(report));
        var json = ReportWriter.ToJson(report);
        Assert.DoesNotContain('\u202E', json);
        Assert.Contains("\\u202E", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_paths_stay_readable_in_markdown()
    {
        Assert.Equal(@"C:\Windows\System32\csrss.exe", MarkdownText.Escape(@"C:\Windows\System32\csrss.exe"));
        Assert.Equal("22631.3155", MarkdownText.Escape("22631.3155"));
    }

    private static string CellText(TableRow row, int index) => InlineText(((TableCell)row[index]).Descendants<ParagraphBlock>().Single());

    // Fails on anything but plain text: emphasis, code, links, autolinks or HTML would all be a rendering escape.
    private static string InlineText(ParagraphBlock paragraph)
    {
        var builder = new StringBuilder();
        foreach (var inline in paragraph.Inline!)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.ToString());
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.ToString());
                    break;
                default:
                    Assert.Fail($"Unexpected inline {inline.GetType().Name} in: {paragraph.Inline}");
                    break;
            }
        }

        return builder.ToString();
    }
}
