using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Wording;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Analysis.Composition;

/// <summary>
/// "What to record before cleanup": one row per suspicious or fake path. Every cell is coded lines (<c>REC-*</c>)
/// worded by the table; the cell's text, kept for older consumers, is those lines joined by "; ".
/// </summary>
internal sealed partial class ReportComposer
{
    private const string CellSeparator = "; ";

    private ImmutableArray<CleanupRecordRow> RecordBeforeCleanup()
    {
        var rows = new List<CleanupRecordRow>();
        foreach (var group in WithContexts().Where(x => NeedsAction(x.Verdict) && x.Verdict.Subject.Path is not null)
                     .GroupBy(x => WindowsPath.Key(x.Verdict.Subject.Path!), StringComparer.Ordinal))
        {
            var items = group.ToList();
            var path = items[0].Verdict.Subject.Path!;
            var chains = _correlation.ScriptChainsTo(path);
            var processes = items.Select(i => i.Context.Process).OfType<ProcessRecord>().ToList();

            var signature = SignatureLine(items[0].Context.Signature);
            ImmutableArray<ReportLine> parents = processes.Count == 0
                ? [ReportWording.Line(ItemCodes.RecordParentNoProcess)]
                : [.. items.Where(i => i.Context.Process is not null).Select(i => ParentLine(i.Context))];
            // Lines of the same text are one launcher seen through several subjects: listed once, in text order.
            var launchers = items.SelectMany(i => i.Context.Launchers)
                .Select(l => ReportWording.Line(ItemCodes.RecordStartup, ("kind", l.Kind), ("name", l.Name), ("scripts", ScriptsBetween(chains, l))))
                .DistinctBy(l => l.Text, StringComparer.Ordinal)
                .OrderBy(l => l.Text, StringComparer.Ordinal)
                .ToImmutableArray();
            ImmutableArray<ReportLine> startup = launchers.IsEmpty ? [ReportWording.Line(ItemCodes.RecordStartupNone)] : launchers;
            var file = items.Select(i => i.Context.File).FirstOrDefault(f => f is not null);
            ImmutableArray<ReportLine> dates =
            [
                file?.CreatedUtc is { } created
                    ? ReportWording.Line(ItemCodes.RecordFileCreated, ("time", Iso(created)))
                    : ReportWording.Line(ItemCodes.RecordFileCreatedNotCollected),
                .. processes.Select(p => p.CreationTimeUtc).OfType<DateTimeOffset>()
                    .Select(t => ReportWording.Line(ItemCodes.RecordProcessStarted, ("time", Iso(t)))),
            ];

            rows.Add(new CleanupRecordRow(
                path,
                signature.Text,
                Joined(parents),
                Joined(startup),
                Joined(dates),
                [.. items.SelectMany(i => i.Verdict.Evidence).Distinct()])
            {
                SignatureLine = signature,
                ParentProcessLines = parents,
                StartupSourceLines = startup,
                CreationDateLines = dates,
            });
        }

        return [.. rows.OrderBy(r => r.FullPath, StringComparer.Ordinal)];
    }

    private static string Joined(ImmutableArray<ReportLine> lines) => string.Join(CellSeparator, lines.Select(l => l.Text));

    private static ReportLine ParentLine(SubjectContext context)
    {
        var pid = Number(context.Process!.Pid);
        if (context.LivingParent is { } parent)
        {
            return ReportWording.Line(ItemCodes.RecordParentLiving, ("parent", parent.Name), ("parentPid", Number(parent.Pid)), ("pid", pid));
        }

        return context.Process.ParentPid is not { } parentPid
            ? ReportWording.Line(ItemCodes.RecordParentUnknown, ("pid", pid))
            : ReportWording.Line(
                context.ParentPidReused ? ItemCodes.RecordParentPidReused : ItemCodes.RecordParentGone, ("parentPid", Number(parentPid)), ("pid", pid));
    }

    // Enum names, not sentences: the status and source are the model's own vocabulary (NotSigned, Offline).
    private static ReportLine SignatureLine(SignatureEvidence signature) =>
        ReportWording.Line(
            ItemCodes.RecordSignature,
            ("status", signature.Status.ToString()),
            ("source", signature.Source.ToString()),
            ("signer", signature.SignerSubject),
            ("hostStatus", signature.HostStatus));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
