using System.Text;
using System.Text.Encodings.Web;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Markdown;
using CsrssForensics.Reporting.Text;
using Markdig;

namespace CsrssForensics.Reporting.Html;

/// <summary>
/// Renders <c>report.html</c>: the Markdown report through Markdig, wrapped in one self-contained page (inline CSS, no
/// script, no external resource) with a Content-Security-Policy that forbids everything but inline styles, so even a
/// rendering bug could not load or run anything.
/// </summary>
internal static class HtmlReportWriter
{
    /// <summary>The policy of the page's CSP meta element.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";

    // Pipe tables only. Raw HTML is disabled (HTML blocks and inline HTML render as text) and neither the AutoLinks
    // nor the GenericAttributes extension is loaded: bundle strings arrive escaped, and nothing may turn them into
    // links or attributes.
    private static readonly MarkdownPipeline s_pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .DisableHtml()
        .Build();

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.45}
        main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
        h1{font-size:1.6rem;border-bottom:2px solid #444;padding-bottom:.3rem}
        h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #bbb;padding-bottom:.2rem}
        h3{font-size:1.05rem;margin-top:1.5rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
        th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere;min-width:7ch}
        th{background:#eee}
        ul ul{margin:0}
        .badge{padding:0 .35rem;border-radius:.25rem;font-weight:700;white-space:nowrap}
        .badge-legitimate,.badge-clean,.badge-verified{background:#d8f0d8;color:#14521a}
        .badge-suspicious,.badge-unverified{background:#fff0c2;color:#6b4a00}
        .badge-fake,.badge-compromised,.badge-failed{background:#f8d0d0;color:#7a0c0c}
        .badge-inconclusive{background:#e3e3f3;color:#2c2c6b}
        @media print{main{max-width:none}}
        """;

    public static string Write(AnalysisReport report, string markdown)
    {
        var body = RenderBody(markdown);

        var title = HtmlEncoder.Default.Encode($"{MarkdownReportWriter.TitlePrefix}: {VisibleText.Make(report.Bundle.Name ?? string.Empty)}");
        var html = new StringBuilder(body.Length + 2048);
        html.Append("<!DOCTYPE html>\n")
            .Append("<html lang=\"en\">\n")
            .Append("<head>\n")
            .Append("<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(title).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append('\n').Append("</style>\n")
            .Append("</head>\n")
            .Append("<body class=\"status-").Append(ReportText.Name(report.OverallStatus)).Append("\">\n")
            .Append("<main>\n")
            .Append(body.TrimEnd('\n')).Append('\n')
            .Append("</main>\n")
            .Append("</body>\n")
            .Append("</html>\n");
        return html.ToString();
    }

    // Markdown laid out per piece of about this many characters (see MarkdownChunks).
    private const int ChunkLength = 256 * 1024;

    private static string RenderBody(string markdown)
    {
        try
        {
            var body = new StringBuilder(markdown.Length + (markdown.Length / 2));
            foreach (var piece in MarkdownChunks.Split(markdown, ChunkLength))
            {
                body.Append(Markdig.Markdown.ToHtml(piece, s_pipeline));
            }

            return AddBadgeClasses(body.Replace("\r\n", "\n").ToString());
        }
        catch (ArgumentException)
        {
            // Markdig refuses input nested beyond its depth limit. The report must still be written, so show the
            // Markdown itself, encoded, rather than lose the HTML file.
            return "<p><strong>The report could not be laid out as HTML; its Markdown text follows.</strong></p>\n<pre>"
                + HtmlEncoder.Default.Encode(markdown) + "</pre>";
        }
    }

    // Only this project's own badge tokens match: bundle text cannot produce a <strong> element because its
    // asterisks and underscores are escaped in the Markdown, and its angle brackets are encoded by Markdig.
    private static string AddBadgeClasses(string html)
    {
        foreach (var word in Badge.Words)
        {
            html = html.Replace($"<strong>{word}</strong>", $"<strong class=\"badge badge-{word}\">{word}</strong>", StringComparison.Ordinal);
        }

        return html;
    }
}
