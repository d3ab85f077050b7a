using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>The "Imitation Microsoft roots" section: shown only when the host's stores hold one.</summary>
internal static partial class MarkdownReportWriter
{
    private static void WriteRogueRoots(MarkdownBuilder md, AnalysisReport report)
    {
        md.Paragraph(
            "These root certificates in the host's own stores carry a Microsoft name but are not Microsoft roots (their "
            + "thumbprints are not Microsoft's). With one in LocalMachine\\Root the host itself calls a forged \"Microsoft "
            + "Windows\" signature valid; this analysis never trusts them.");
        md.Bullets(report.RogueRoots.Select(RogueRootLine));
    }

    private static string RogueRootLine(RogueRootFinding root)
    {
        var anchors = root.Anchors.IsEmpty
            ? "It anchors no judged file's signature (an imitation root on a host is an indicator by itself)."
            : $"It anchors the signature of: {string.Join("; ", root.Anchors.Select(P))}.";
        return $"**{ReportText.Name(root.Severity)}** {E(root.Subject)} in {E(root.Store)} ({Evidence(root.Evidence)}). "
            + $"SHA-1 {E(root.Sha1Thumbprint)}, SHA-256 {E(root.Sha256Thumbprint)}. {anchors} **Action:** {E(ModelWording.RootAction(root))}.";
    }
}
