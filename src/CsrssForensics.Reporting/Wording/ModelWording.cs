using System.Collections.Immutable;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Wording;

/// <summary>
/// The texts writers show for model items that carry a coded line beside their rendered text: the line, rendered
/// from the table, when the item has one; the stored text otherwise (a model built without codes).
/// </summary>
internal static class ModelWording
{
    /// <summary>What to do about an imitation root (<c>ROOT-REMOVE</c>, <c>ROOT-REMOVE-ANCHORING</c>).</summary>
    public static string RootAction(RogueRootFinding root) => root.ActionLine is { } line ? ReportWording.Text(line) : root.Action;

    /// <summary>A "what to record" cell: its coded lines rendered and joined by "; ", or the stored text when it has none.</summary>
    public static string RecordCell(ImmutableArray<ReportLine> lines, string text) =>
        lines.IsEmpty ? text : string.Join("; ", lines.Select(ReportWording.Text));

    /// <summary>The signature cell of a "what to record" row.</summary>
    public static string RecordSignature(CleanupRecordRow row) => row.SignatureLine is { } line ? ReportWording.Text(line) : row.Signature;
}
