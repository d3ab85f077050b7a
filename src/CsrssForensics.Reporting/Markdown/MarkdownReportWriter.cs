using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>
/// Renders <c>report.md</c>. Section order is fixed (an auditor compares reports side by side); every string taken from
/// the model goes through <see cref="MarkdownText.Escape"/>, only the labels and guidance written here do not.
/// </summary>
internal static partial class MarkdownReportWriter
{
    /// <summary>The title line's fixed prefix; the HTML page title repeats it.</summary>
    public const string TitlePrefix = "csrss.exe forensic report";

    public static string Write(AnalysisReport report)
    {
        var md = new MarkdownBuilder();
        WriteTitle(md, report);
        WriteIntegrity(md, report.Integrity);
        WriteHost(md, report.Host);
        WriteVerdicts(md, report);
        WriteRogueRoots(md, report);
        WriteRecordBeforeCleanup(md, report);
        WriteSameFolder(md, report);
        WriteLaunchers(md, report);
        WriteActions(md, report);
        WriteAfterCleanup(md, report);

        // Secondary evidence the host reports about itself: after the verdicts and the cleanup it corroborates.
        WriteHostContext(md, report.HostContext);
        WriteResourceUsage(md, report);
        WriteProcessTrees(md, report);
        WriteNotExamined(md, report);
        WriteNotCollected(md, report);
        WriteAnomalies(md, report);
        WriteReference(md);
        return md.ToString();
    }

    private static string E(string? value) => MarkdownText.Escape(value);

    // A host path or file name, shown exactly: trailing dots and spaces marked (see VisibleText.Path).
    private static string P(string? value) => MarkdownText.EscapePath(value);

    private static string Evidence(EvidenceRef evidence) => E(ReportText.Evidence(evidence));

    private static string EvidenceList(IEnumerable<EvidenceRef> evidence) =>
        MarkdownText.JoinEscaped(evidence.Select(ReportText.Evidence), "; ");

    private static void WriteTitle(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(1, $"{TitlePrefix}: {E(report.Bundle.Name)}");
        md.Paragraph($"**Overall status:** {Badge.Of(report.OverallStatus)}");
        md.Paragraph(E(report.Summary));
        var counts = report.StrengthCounts;
        md.Paragraph($"**Evidence behind the verdicts:** {ReportText.Number(counts.VerifiedOffline)} verified offline, {ReportText.Number(counts.HostReported)} host-reported (not verified), {ReportText.Number(counts.None)} none.");
        var bundle = report.Bundle;
        md.Bullets(
        [
            $"**Bundle:** {E(bundle.Name)}",
            $"**Collected (UTC):** {E(ReportText.Utc(bundle.CollectedAtUtc))}",
            $"**Collector:** {E(Join(bundle.CollectorName, bundle.CollectorVersion))}",
            $"**Operator:** {E(bundle.Operator)}",
            $"**Bundle format version:** {E(bundle.FormatVersion)}",
            $"**Analyzer:** {E(Join(report.Tool.Name, report.Tool.Version))}, rules {E(report.Tool.RulesVersion)}, report format {E(report.ReportVersion)}",
            .. CustomRules(report.Tool.Rules),
        ]);
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

    private static void WriteIntegrity(MarkdownBuilder md, IntegrityReport integrity)
    {
        md.Heading(2, "Integrity");
        md.Paragraph($"**Integrity:** {Badge.Of(integrity.Status)}");
        md.Bullets([$"**Bundle SHA-256:** {E(integrity.BundleSha256)}"]);
        switch (integrity.Status)
        {
            case IntegrityStatus.Failed:
                md.Paragraph("The bundle does not match its manifest: files changed, went missing or were added after collection. Read every conclusion below with that in mind.");
                break;
            case IntegrityStatus.Unverified:
                md.Paragraph("The bundle has no usable manifest, so nothing proves it is unchanged since collection.");
                break;
        }

        if (integrity.Findings.IsEmpty)
        {
            md.Paragraph(integrity.Status == IntegrityStatus.Verified
                ? "Every file matches its manifest entry and no file is extra."
                : "No individual integrity findings were recorded.");
            return;
        }

        md.Table(
            ["Problem", "Bundle file", "Message", "Evidence"],
            integrity.Findings.Select(f => (IReadOnlyList<string>)[ReportText.Name(f.Problem), E(f.Path), E(f.Message), Evidence(f.Evidence)]));
    }

    private static void WriteHost(MarkdownBuilder md, HostSummary? host)
    {
        md.Heading(2, "Host");
        if (host is null)
        {
            md.Paragraph("Host facts were not collected.");
            return;
        }

        md.Bullets(
        [
            $"**Hostname:** {E(host.Hostname)}",
            $"**OS version:** {E(host.OsVersion)}",
            $"**OS build:** {E(host.OsBuild)}",
            $"**Time zone:** {E(host.TimeZone)}",
            $"**Boot time (UTC):** {E(ReportText.Utc(host.BootTimeUtc))}",
        ]);
        if (host.Sessions.IsEmpty)
        {
            md.Paragraph("No logon sessions were reported.");
            return;
        }

        md.Table(
            ["Session", "User", "State"],
            host.Sessions.Select(s => (IReadOnlyList<string>)[ReportText.Number(s.Id), E(s.User), E(s.State)]));
    }

    private static void WriteVerdicts(MarkdownBuilder md, AnalysisReport report)
    {
        md.Heading(2, "Verdicts");
        md.Paragraph("Windows normally runs more than one csrss.exe, one per session: compare the path and the signature of each copy, not the number of processes.");
        if (report.Verdicts.IsEmpty)
        {
            md.Paragraph("No process or file was judged.");
            return;
        }

        md.Paragraph("**Evidence** says what each verdict rests on: verified offline (the bundle's copy of the bytes, checked here against the pinned roots), host-reported (only the suspect host's own signature check, which a compromised host can forge) or none. Only a verdict verified offline can be legitimate.");
        md.Table(
            ["Subject", "PID", "Path", "Verdict", "Evidence", "Reason"],
            report.Verdicts.Select(v => (IReadOnlyList<string>)
            [
                $"{ReportText.Name(v.Subject.Kind)} {P(v.Subject.Name)}",
                E(ReportText.Number(v.Subject.Pid)),
                P(v.Subject.Path),
                Badge.Of(v.Verdict),
                ReportText.Strength(v.Strength),
                E(v.Reason),
            ]));

        var index = 0;
        foreach (var verdict in report.Verdicts)
        {
            index++;
            WriteVerdictDetail(md, index, verdict);
        }
    }

    private static void WriteVerdictDetail(MarkdownBuilder md, int index, SubjectVerdict verdict)
    {
        var subject = verdict.Subject;
        var pid = subject.Pid is { } p ? $" (pid {ReportText.Number(p)})" : string.Empty;
        md.Heading(3, $"{ReportText.Number(index)}. {ReportText.Name(subject.Kind)} {P(subject.Name)}{pid}");
        md.Bullets(
        [
            $"**Path:** {P(subject.Path)}",
            $"**Verdict:** {Badge.Of(verdict.Verdict)}",
            $"**Evidence strength:** {ReportText.Strength(verdict.Strength)}",
            $"**Reason:** {E(verdict.Reason)}",
        ]);

        md.Paragraph("**Decision path**");
        if (verdict.DecisionPath.IsEmpty)
        {
            md.Paragraph("No decision path was recorded.");
        }
        else
        {
            md.Numbered(verdict.DecisionPath.Select(step =>
                $"{E(step.NodeId)}: {E(step.Question)} → {E(step.Answer)} (references: {MarkdownText.JoinEscaped(step.References, ", ")})"));
        }

        md.Paragraph("**Evidence**");
        if (verdict.Evidence.IsEmpty)
        {
            md.Paragraph("No evidence reference was recorded.");
        }
        else
        {
            md.Bullets(verdict.Evidence.Select(Evidence));
        }

        md.Paragraph("**Findings**");
        if (verdict.Findings.IsEmpty)
        {
            md.Paragraph("No findings.");
        }
        else
        {
            md.Bullets(verdict.Findings.Select(FindingLine));
        }

        md.Paragraph("**Signature**");
        WriteSignature(md, verdict.Signature);
    }

    private static string FindingLine(Finding finding) =>
        $"{E(finding.Code)} ({ReportText.Name(finding.Severity)}): {E(finding.Title)}. {E(finding.Detail)} Evidence: {EvidenceList(finding.Evidence)}";

    /// <summary>Says in words whether the root is one the suspect host could have planted.</summary>
    private static string RootOriginMeaning(SignatureEvidence signature) => signature.RootOrigin switch
    {
        _ when signature.PublisherKnown => " (publisher known: the host cannot forge this root)",
        RootOrigin.HostStore => " (only the suspect host's own store trusts this root: publisher not proven)",
        _ => string.Empty,
    };

    private static void WriteSignature(MarkdownBuilder md, SignatureEvidence? signature)
    {
        if (signature is null)
        {
            md.Paragraph("No signature information: treat the file as unverified.");
            return;
        }

        var lines = new List<string>
        {
            $"**Status:** {ReportText.Name(signature.Status)}",
            $"**Source:** {ReportText.Name(signature.Source)}",
            $"**Signer:** {E(signature.SignerSubject)} (thumbprint {E(signature.SignerThumbprint)})",
            $"**Issuer:** {E(signature.IssuerSubject)}",
            $"**Root:** {E(signature.RootSubject)} (SHA-256 {E(signature.RootSha256Thumbprint)})",
            $"**Timestamp (UTC):** {E(ReportText.Utc(signature.TimestampUtc))}",
            $"**Catalog:** {E(signature.CatalogFile)}",
            $"**Authenticode SHA-256:** {E(signature.AuthenticodeSha256)}",
            $"**Host-reported status:** {E(signature.HostStatus)}",
        };
        if (signature.ChainTrusted is not null)
        {
            lines.Insert(5, $"**Root origin:** {ReportText.Name(signature.RootOrigin)}{RootOriginMeaning(signature)}");
        }

        if (SignatureAgreement.Disagrees(signature))
        {
            lines.Add($"**Disagreement:** the suspect host reported {E(signature.HostStatus)}, the offline check found {ReportText.Name(signature.Status)}. The offline result is used: a compromised host can lie, or the file it checked is not the copy in the bundle.");
        }

        lines.AddRange(signature.Notes.Select(note => $"**Note:** {E(note)}"));
        lines.Add($"**Evidence:** {EvidenceList(signature.Evidence)}");
        md.Bullets(lines);
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
