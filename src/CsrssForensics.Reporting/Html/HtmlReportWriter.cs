using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Markdown;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;
using static CsrssForensics.Reporting.Html.HtmlText;

namespace CsrssForensics.Reporting.Html;

/// <summary>
/// Renders <c>report.html</c> from the report model, in triage order: banner, contents, what to do now, findings worst
/// first with their evidence and pictures, the evidence sections, legitimate verdicts folded in a
/// <c>&lt;details&gt;</c>, reference last. One self-contained page (inline CSS and SVG, no script, no external
/// resource) under a Content-Security-Policy that forbids everything but inline styles, written straight to its writer.
/// </summary>
internal static partial class HtmlReportWriter
{
    /// <summary>The policy of the page's CSP meta element.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";

    // The sections the page draws itself; every other section is the Markdown report's, laid out by Markdig.
    private static readonly HashSet<string> _drawnHere = new(StringComparer.Ordinal)
    {
        "banner", "actions", "findings", "timeline", "finding-evidence", "launchers", "process-tree", "legitimate",
    };

    public static void Write(AnalysisReport report, TextWriter writer)
    {
        var view = TriageView.Of(report);
        var sections = MarkdownReportWriter.Sections(report, view).Where(s => s.Shown).ToList();
        var status = ReportText.Name(report.OverallStatus);
        var pictures = ProcessPictures.Of(report);
        var treePids = pictures.Anchors.ToHashSet();

        writer.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        writer.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">\n");
        writer.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n");
        writer.Write($"<title>{E($"{MarkdownReportWriter.TitlePrefix}: {report.Bundle.Name}")}</title>\n");
        writer.Write("<style>\n");
        writer.Write(HtmlStyle.Css);
        writer.Write("</style>\n</head>\n");
        writer.Write($"<body class=\"status-{status}\">\n<main>\n");

        WriteBanner(writer, report);
        WriteContents(writer, sections, view);
        foreach (var section in sections.Where(s => s.Id != "banner"))
        {
            if (section.Id == "legitimate")
            {
                WriteLegitimate(writer, view, treePids);
                WriteNodes(writer, view);
                continue;
            }

            writer.Write($"<section id=\"{section.Id}\">\n<h2>{E(section.Title)}</h2>\n");
            switch (section.Id)
            {
                case "actions":
                    WriteActions(writer, report);
                    break;
                case "findings":
                    WriteFindings(writer, view, treePids);
                    break;
                case "timeline":
                    WriteTimeline(writer, report);
                    break;
                case "finding-evidence":
                    WriteFindingDetails(writer, view, treePids);
                    break;
                case "launchers":
                    WriteLaunchers(writer, report);
                    break;
                case "process-tree":
                    WriteProcessTree(writer, report, pictures);
                    break;
                default:
                    HtmlMarkdown.Write(writer, section);
                    break;
            }

            writer.Write("</section>\n");
        }

        writer.Write("<p class=\"top\"><a href=\"#top\">Back to the top</a></p>\n</main>\n</body>\n</html>\n");
        writer.Flush();
    }

    private static void WriteBanner(TextWriter writer, AnalysisReport report)
    {
        var status = ReportText.Name(report.OverallStatus);
        var integrity = ReportText.Name(report.Integrity.Status);
        var (fake, suspicious, inconclusive, legitimate) = TriageView.Counts(report);
        var strength = report.StrengthCounts;
        writer.Write($"<header id=\"top\" class=\"banner banner-{status}\">\n");
        writer.Write($"<h1>{E($"{MarkdownReportWriter.TitlePrefix}: {report.Bundle.Name}")}</h1>\n");
        writer.Write($"<p class=\"status\"><span class=\"status-badge badge badge-{status}\">{status}</span> ");
        writer.Write($"<span>integrity <strong class=\"badge badge-{integrity}\">{integrity}</strong></span></p>\n");
        writer.Write("<ul class=\"counts\">");
        writer.Write($"<li class=\"c-fake\"><b>{N(fake)}</b> fake</li><li class=\"c-suspicious\"><b>{N(suspicious)}</b> suspicious</li>");
        writer.Write($"<li class=\"c-inconclusive\"><b>{N(inconclusive)}</b> inconclusive</li><li class=\"c-legitimate\"><b>{N(legitimate)}</b> legitimate</li>");
        writer.Write($"<li><b>{N(strength.VerifiedOffline)}</b> verified offline</li><li><b>{N(strength.HostReported)}</b> host-reported</li><li><b>{N(strength.None)}</b> no evidence</li></ul>\n");
        writer.Write($"<p class=\"summary\">{E(report.Summary)}</p>\n");
        var bundle = report.Bundle;
        writer.Write($"<p class=\"facts\">Bundle {E(bundle.Name)}, collected {E(ReportText.Utc(bundle.CollectedAtUtc))} (UTC) by {E(bundle.CollectorName)} {E(bundle.CollectorVersion)}, operator {E(bundle.Operator)} · ");
        writer.Write($"{E(report.Tool.Name)} {E(report.Tool.Version)}, rules {E(report.Tool.RulesVersion)}, report format {E(report.ReportVersion)}</p>\n");
        WriteCustomRules(writer, report.Tool.Rules);
        writer.Write("</header>\n");
    }

    // Custom rules change what the verdicts mean: name every file in force with its SHA-256 so an auditor can check it.
    private static void WriteCustomRules(TextWriter writer, RulesProvenance? rules)
    {
        if (rules is null)
        {
            return;
        }

        writer.Write(rules.Replacement is { } replacement
            ? $"<p class=\"facts\">Rules replaced by {E(replacement.Name)} (SHA-256 {E(replacement.Sha256)})</p>\n"
            : "<p class=\"facts\">Rules: built-in</p>\n");
        foreach (var overlay in rules.Overlays)
        {
            writer.Write($"<p class=\"facts\">Rules overlay {E(overlay.Name)} (SHA-256 {E(overlay.Sha256)})</p>\n");
        }
    }

    private static void WriteContents(TextWriter writer, List<MarkdownSection> sections, TriageView view)
    {
        writer.Write("<nav aria-label=\"Contents\" class=\"toc\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n");
        foreach (var section in sections.Where(s => s.Title is not null))
        {
            var title = section.Id == "legitimate" ? $"{section.Title} ({N(view.Legitimate.Length)}, folded)" : section.Title;
            writer.Write($"<li><a href=\"#{section.Id}\">{E(title)}</a></li>\n");
            if (section.Id == "legitimate")
            {
                writer.Write("<li><a href=\"#nodes\">Decision-tree nodes used</a></li>\n");
            }
        }

        writer.Write("</ol>\n</nav>\n");
    }
}
