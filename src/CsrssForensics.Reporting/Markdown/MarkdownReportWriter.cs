using System.Globalization;
using System.Text;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>
/// Renders <c>report.md</c> in triage order: the answer (banner), what to do now, the findings worst first, the
/// evidence behind them, the legitimate verdicts folded into one table, and reference material last. Section order is
/// fixed (an auditor compares reports side by side); every string taken from the model goes through
/// <see cref="MarkdownText.Escape"/>, only the labels and guidance written here do not.
/// </summary>
internal static partial class MarkdownReportWriter
{
    /// <summary>The title line's fixed prefix; the HTML page title repeats it.</summary>
    public const string TitlePrefix = "csrss.exe forensic report";

    public static string Write(AnalysisReport report)
    {
        var md = new MarkdownBuilder();
        foreach (var section in Sections(report, TriageView.Of(report)))
        {
            section.Write(md);
        }

        return md.ToString();
    }

    /// <summary>The same text as <see cref="Write(AnalysisReport)"/>, passed to <paramref name="output"/> section by section.</summary>
    public static void Write(AnalysisReport report, TextWriter output)
    {
        var md = new MarkdownBuilder(output);
        foreach (var section in Sections(report, TriageView.Of(report)))
        {
            section.Write(md);
            md.Flush();
        }

        md.Finish();
    }

    /// <summary>
    /// The report's sections in order. The HTML writer draws the first ones (banner, actions, findings) itself and
    /// renders the others from these same methods, so both formats say the same thing.
    /// </summary>
    internal static IReadOnlyList<MarkdownSection> Sections(AnalysisReport report, TriageView view) =>
    [
        new("banner", null, md => WriteBanner(md, report)),
        new("actions", "What to do now", md => WriteActions(md, report)),
        new("findings", "Findings", md => WriteFindings(md, view)),
        new("timeline", "Timeline", md => WriteTimeline(md, report)),
        new("finding-evidence", "Evidence for each finding", md => WriteFindingDetails(md, view)),
        new("launchers", "Launchers to remove with each fake", md => WriteLaunchers(md, report)),
        new("record", "What to record before cleanup", md => WriteRecordBeforeCleanup(md, report)),
        new("same-folder", "Other files in the same folder", md => WriteSameFolder(md, report)),
        new("rogue-roots", "Imitation Microsoft roots", md => WriteRogueRoots(md, report)) { Shown = !report.RogueRoots.IsEmpty },
        new("host-context", "Host context", md => WriteHostContext(md, report.HostContext)),
        new("resource-usage", "Resource usage", md => WriteResourceUsage(md, report)) { Shown = !report.ResourceUsage.IsEmpty },
        new("process-tree", "Process tree", md => WriteProcessTree(md, report)),
        new("integrity", "Integrity and host", md => WriteIntegrityAndHost(md, report)),
        new("gaps", "Not examined, not collected, anomalies", md => WriteGaps(md, report)),
        new("legitimate", "Legitimate verdicts", md => WriteLegitimate(md, view)),
        new("reference", "Reference: reading csrss.exe evidence", md => WriteReference(md, view)),
    ];

    private static string E(string? value) => MarkdownText.Escape(value);

    // A host path or file name, shown exactly: trailing dots and spaces marked (see VisibleText.Path).
    private static string P(string? value) => MarkdownText.EscapePath(value);

    // An integer in invariant form, formatted straight into the text.
    private static StringBuilder AppendNumber(StringBuilder text, int value) =>
        text.Append(CultureInfo.InvariantCulture, $"{value}");

    // What E(ReportText.Number(value)) gives: digits need no escape, only a minus sign or absence do.
    private static StringBuilder AppendEscapedNumber(StringBuilder text, int? value) => value switch
    {
        null => text.Append(MarkdownText.MissingMark),
        >= 0 => AppendNumber(text, value.Value),
        _ => MarkdownText.AppendEscaped(text, ReportText.Number(value)),
    };

    private static string Evidence(EvidenceRef evidence) => E(ReportText.Evidence(evidence));

    private static string EvidenceList(IEnumerable<EvidenceRef> evidence) =>
        MarkdownText.JoinEscaped(evidence.Select(ReportText.Evidence), "; ");

    private static StringBuilder AppendEvidenceList(StringBuilder text, IEnumerable<EvidenceRef> evidence) =>
        MarkdownText.AppendJoinEscaped(text, evidence.Select(ReportText.Evidence), "; ");

    private static void WriteBanner(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(1, $"{TitlePrefix}: {E(report.Bundle.Name)}");
        var (fake, suspicious, inconclusive, legitimate) = TriageView.Counts(report);
        var strength = report.StrengthCounts;
        md.Paragraph(
            $"**Overall status:** {Badge.Of(report.OverallStatus)} · **Integrity:** {Badge.Of(report.Integrity.Status)} · "
            + $"**Verdicts:** {ReportText.Number(fake)} fake, {ReportText.Number(suspicious)} suspicious, {ReportText.Number(inconclusive)} inconclusive, {ReportText.Number(legitimate)} legitimate · "
            + $"**Evidence behind the verdicts:** {ReportText.Number(strength.VerifiedOffline)} verified offline, {ReportText.Number(strength.HostReported)} host-reported (not verified), {ReportText.Number(strength.None)} none.");
        md.Paragraph(E(report.Summary));
        var bundle = report.Bundle;
        md.Paragraph(
            $"**Bundle:** {E(bundle.Name)}, collected {E(ReportText.Utc(bundle.CollectedAtUtc))} (UTC) by {E(Join(bundle.CollectorName, bundle.CollectorVersion))}, operator {E(bundle.Operator)}, format {E(bundle.FormatVersion)} · "
            + $"**Analyzer:** {E(Join(report.Tool.Name, report.Tool.Version))}, rules {E(report.Tool.RulesVersion)}, report format {E(report.ReportVersion)}");
        foreach (var line in CustomRules(report.Tool.Rules))
        {
            md.Paragraph(line);
        }
    }

    // Custom rules change what the verdicts mean: name every file in force with its SHA-256 so an auditor can check it.
    private static IEnumerable<string> CustomRules(RulesProvenance? rules)
    {
        if (rules is null)
        {
            yield break;
        }

        yield return rules.Replacement is { } replacement
            ? $"**Rules:** replaced by {E(replacement.Name)} (SHA-256 {E(replacement.Sha256)})"
            : "**Rules:** built-in";
        foreach (var overlay in rules.Overlays)
        {
            yield return $"**Rules overlay:** {E(overlay.Name)} (SHA-256 {E(overlay.Sha256)})";
        }
    }

    private static void WriteIntegrityAndHost(MarkdownBuilder md, AnalysisReport report)
    {
        var integrity = report.Integrity;
        // A clean check says so on the same line: the report.md of the seed example is held to 250 lines.
        var clean = integrity.Status == IntegrityStatus.Verified && integrity.Findings.IsEmpty;
        md.Paragraph($"**Integrity:** {Badge.Of(integrity.Status)} · **Bundle SHA-256:** {E(integrity.BundleSha256)}" +
            (clean ? " · Every file matches its manifest entry and no file is extra." : string.Empty));
        switch (integrity.Status)
        {
            case IntegrityStatus.Failed:
                md.Paragraph("The bundle does not match its manifest: files changed, went missing or were added after collection. Read every conclusion in this report with that in mind.");
                break;
            case IntegrityStatus.Unverified:
                md.Paragraph("The bundle has no usable manifest, so nothing proves it is unchanged since collection.");
                break;
        }

        if (integrity.Findings.IsEmpty)
        {
            if (!clean)
            {
                md.Paragraph("No individual integrity findings were recorded.");
            }
        }
        else
        {
            md.Table(
                ["Problem", "Bundle file", "Message", "Evidence"],
                integrity.Findings.Select(f => (IReadOnlyList<string>)[ReportText.Name(f.Problem), E(f.Path), E(f.Message), Evidence(f.Evidence)]));
        }

        var host = report.Host;
        if (host is null)
        {
            md.Paragraph("Host facts were not collected.");
            return;
        }

        md.Paragraph(
            $"**Host:** {E(host.Hostname)} · **OS:** {E(host.OsVersion)} build {E(host.OsBuild)} · **Time zone:** {E(host.TimeZone)} · **Boot time (UTC):** {E(ReportText.Utc(host.BootTimeUtc))}");
        md.Paragraph(host.Sessions.IsEmpty
            ? "No logon sessions were reported."
            : "**Sessions:** " + string.Join("; ", host.Sessions.Select(s => $"{ReportText.Number(s.Id)} ({E(s.User)}, {E(s.State)})")));
    }

    private static string? Join(string? first, string? second) =>
        (first, second) switch
        {
            (null, null) => null,
            (_, null) => first,
            (null, _) => second,
            _ => first + " " + second,
        };
}

/// <summary>One top-level section: its anchor, its heading (null for the banner) and how it writes its body.</summary>
internal sealed record MarkdownSection(string Id, string? Title, Action<MarkdownBuilder> Body)
{
    /// <summary>False for a section that has nothing to say in this report (it is then left out, heading and all).</summary>
    public bool Shown { get; init; } = true;

    public void Write(MarkdownBuilder md)
    {
        if (!Shown)
        {
            return;
        }

        if (Title is not null)
        {
            md.Heading(2, Title);
        }

        Body(md);
    }
}
