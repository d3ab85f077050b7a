using System.Text;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>The verdict sections: findings worst first, their evidence, the folded legitimate verdicts, the tree nodes.</summary>
internal static partial class MarkdownReportWriter
{
    /// <summary>Says what the evidence column means; both formats show it once above the findings.</summary>
    internal const string StrengthNote = "**Evidence** says what each verdict rests on: verified offline (the bundle's copy of the bytes, checked here against the pinned roots), host-reported (only the suspect host's own signature check, which a compromised host can forge) or none. Only a verdict verified offline can be legitimate. Windows runs one csrss.exe per session: compare the path and the signature of each copy, not the number of processes.";

    private static void WriteFindings(MarkdownBuilder md, TriageView view)
    {
        if (view.Findings.IsEmpty)
        {
            md.Paragraph("No fake, suspicious or inconclusive verdict.");
            return;
        }

        md.Paragraph(StrengthNote);
        md.Table(
            ["#", "Subject", "PID", "Path", "Verdict", "Evidence strength", "Reason", "Signature", "Decision path", "Evidence"],
            view.Findings.Select(n => (IReadOnlyList<string>)
            [
                ReportText.Number(n.Number),
                $"{ReportText.Name(n.Verdict.Subject.Kind)} {P(n.Verdict.Subject.Name)}",
                E(ReportText.Number(n.Verdict.Subject.Pid)),
                P(n.Verdict.Subject.Path),
                Badge.Of(n.Verdict.Verdict),
                ReportText.Strength(n.Verdict.Strength),
                ReasonCell(n),
                SignatureCell(n.Verdict.Signature),
                PathCell(n.Verdict),
                EvidenceList(n.Verdict.Evidence),
            ]));
    }

    private static string ReasonCell(NumberedVerdict n) =>
        n.SameReasonAs is { } first ? $"as #{ReportText.Number(first)}" : E(n.Verdict.Reason);

    private static string PathCell(SubjectVerdict verdict) =>
        verdict.DecisionPath.IsEmpty ? MarkdownText.Missing : MarkdownText.JoinEscaped(verdict.DecisionPath.Select(s => s.NodeId), " → ");

    private static string SignatureCell(SignatureEvidence? signature) =>
        signature is null ? "none" : $"{ReportText.Name(signature.Status)} ({ReportText.Name(signature.Source)})";

    private static void WriteFindingDetails(MarkdownBuilder md, TriageView view)
    {
        var detailed = view.Findings.Where(NeedsDetail).ToList();
        if (detailed.Count == 0)
        {
            md.Paragraph("No fake or suspicious verdict: the findings table holds every verdict's reason, decision path and evidence.");
        }

        foreach (var n in detailed)
        {
            WriteVerdictDetail(md, n);
        }

        // Inconclusive verdicts often share one finding ("copies in user folders"): one line per finding, not per verdict.
        var others = view.Findings.Where(n => !NeedsDetail(n) && !n.Verdict.Findings.IsEmpty)
            .SelectMany(n => n.Verdict.Findings.Select(f => (n.Number, Finding: f)))
            .GroupBy(p => (p.Finding.Code, p.Finding.Severity, p.Finding.Title, p.Finding.Detail))
            .ToList();
        if (others.Count > 0)
        {
            md.Paragraph("**Findings of the other verdicts**");
            md.Bullets(others, (text, g) =>
            {
                AppendNumberList(text, g.Select(p => p.Number)).Append(": ");
                AppendFinding(text, g.Key.Code, g.Key.Severity, g.Key.Title, g.Key.Detail, g.SelectMany(p => p.Finding.Evidence).Distinct());
            });
        }
    }

    /// <summary>Whether a verdict gets a section of its own; the others are complete in their table row.</summary>
    internal static bool NeedsDetail(NumberedVerdict n) => n.Verdict.Verdict is Verdict.Fake or Verdict.Suspicious;

    private static void WriteVerdictDetail(MarkdownBuilder md, NumberedVerdict n)
    {
        var verdict = n.Verdict;
        var subject = verdict.Subject;
        var pid = subject.Pid is { } p ? $" (pid {ReportText.Number(p)})" : string.Empty;
        md.Heading(3, $"#{ReportText.Number(n.Number)} {ReportText.Name(subject.Kind)} {P(subject.Name)}{pid}: {ReportText.Name(verdict.Verdict)}");
        md.Paragraph($"**Path:** {P(subject.Path)} · **Verdict:** {Badge.Of(verdict.Verdict)} · **Evidence strength:** {ReportText.Strength(verdict.Strength)}");
        md.Paragraph($"**Reason:** {E(verdict.Reason)}");
        md.Paragraph(verdict.DecisionPath.IsEmpty
            ? "**Decision path:** none was recorded."
            : "**Decision path:** " + string.Join(" → ", verdict.DecisionPath.Select(s => $"{E(s.NodeId)} ({E(s.Question)}) {E(s.Answer)}")));
        if (!verdict.Findings.IsEmpty)
        {
            md.Bullets(verdict.Findings, AppendFindingLine);
        }

        md.Paragraph(SignatureLine(verdict.Signature));
        md.Paragraph($"**Evidence:** {(verdict.Evidence.IsEmpty ? "no evidence reference was recorded" : EvidenceList(verdict.Evidence))}");
    }

    private static void AppendFindingLine(StringBuilder text, Finding finding) =>
        AppendFinding(text, finding.Code, finding.Severity, finding.Title, finding.Detail, finding.Evidence);

    // "CODE (severity): Title. Detail Evidence: a; b", appended piece by piece (one line per finding, thousands of them).
    private static void AppendFinding(
        StringBuilder text, string? code, AnomalySeverity severity, string? title, string? detail, IEnumerable<EvidenceRef> evidence)
    {
        MarkdownText.AppendEscaped(text, code).Append(" (").Append(ReportText.Name(severity)).Append("): ");
        MarkdownText.AppendEscaped(text, title).Append(". ");
        MarkdownText.AppendEscaped(text, detail).Append(" Evidence: ");
        AppendEvidenceList(text, evidence);
    }

    // "#3, #7": the verdicts a line speaks for.
    private static StringBuilder AppendNumberList(StringBuilder text, IEnumerable<int> numbers)
    {
        var first = true;
        foreach (var number in numbers)
        {
            AppendNumber(text.Append(first ? "#" : ", #"), number);
            first = false;
        }

        return text;
    }

    /// <summary>Says in words whether the root is one the suspect host could have planted.</summary>
    private static string RootOriginMeaning(SignatureEvidence signature) => signature.RootOrigin switch
    {
        _ when signature.PublisherKnown => " (publisher known: the host cannot forge this root)",
        RootOrigin.HostStore => " (only the suspect host's own store trusts this root: publisher not proven)",
        _ => string.Empty,
    };

    private static string SignatureLine(SignatureEvidence? signature)
    {
        if (signature is null)
        {
            return "**Signature:** no signature information: treat the file as unverified.";
        }

        var parts = new List<string>
        {
            $"{ReportText.Name(signature.Status)} (source {ReportText.Name(signature.Source)})",
            $"signer {E(signature.SignerSubject)} (thumbprint {E(signature.SignerThumbprint)})",
            $"issuer {E(signature.IssuerSubject)}",
            $"root {E(signature.RootSubject)} (SHA-256 {E(signature.RootSha256Thumbprint)})",
        };
        if (signature.ChainTrusted is not null)
        {
            parts.Add($"root origin {ReportText.Name(signature.RootOrigin)}{RootOriginMeaning(signature)}");
        }

        parts.Add($"timestamp {E(ReportText.Utc(signature.TimestampUtc))}");
        parts.Add($"catalog {E(signature.CatalogFile)}");
        parts.Add($"Authenticode SHA-256 {E(signature.AuthenticodeSha256)}");
        parts.Add($"host-reported status {E(signature.HostStatus)}");
        var line = "**Signature:** " + string.Join(", ", parts) + ".";
        if (SignatureAgreement.Disagrees(signature))
        {
            line += $" **Disagreement:** the suspect host reported {E(signature.HostStatus)}, the offline check found {ReportText.Name(signature.Status)}. The offline result is used: a compromised host can lie, or the file it checked is not the copy in the bundle.";
        }

        line += string.Concat(signature.Notes.Select(note => $" **Note:** {E(note)}"));
        return line + $" **Signature evidence:** {EvidenceList(signature.Evidence)}";
    }

    private static void WriteLegitimate(MarkdownBuilder md, TriageView view)
    {
        if (view.Legitimate.IsEmpty)
        {
            md.Paragraph("No verdict is legitimate.");
            return;
        }

        // The reason is the same for most rows, so it is written once per distinct text, not once per row.
        foreach (var group in view.Legitimate.GroupBy(n => n.Verdict.Reason, StringComparer.Ordinal))
        {
            md.Paragraph($"**Why legitimate ({string.Join(", ", group.Select(n => "#" + ReportText.Number(n.Number)))}):** {E(group.Key)}");
        }

        md.Table(
            ["#", "Subject", "PID", "Path", "Evidence strength", "Signature", "Decision path", "Evidence"],
            view.Legitimate.Select(n => (IReadOnlyList<string>)
            [
                ReportText.Number(n.Number),
                $"{ReportText.Name(n.Verdict.Subject.Kind)} {P(n.Verdict.Subject.Name)}",
                E(ReportText.Number(n.Verdict.Subject.Pid)),
                P(n.Verdict.Subject.Path),
                ReportText.Strength(n.Verdict.Strength),
                SignatureCell(n.Verdict.Signature),
                PathCell(n.Verdict),
                EvidenceList(n.Verdict.Evidence),
            ]));
        var withFindings = view.Legitimate.Where(n => !n.Verdict.Findings.IsEmpty).ToList();
        foreach (var n in withFindings)
        {
            md.Paragraph($"**Findings of #{ReportText.Number(n.Number)}**");
            md.Bullets(n.Verdict.Findings, AppendFindingLine);
        }
    }
}
