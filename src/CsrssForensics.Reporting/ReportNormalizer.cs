using System.Collections.Immutable;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Reporting;

/// <summary>
/// Drops null elements, so every writer can enumerate the model without guarding each list (the records themselves
/// never hold a default array). Order is kept: the model is already sorted on stable keys.
/// </summary>
internal static class ReportNormalizer
{
    public static AnalysisReport Normalize(AnalysisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        // These are bugs in the stage that built the model, not evidence problems: say which part is missing.
        Require(report, report.Tool, nameof(report.Tool));
        Require(report, report.Bundle, nameof(report.Bundle));
        Require(report, report.Integrity, nameof(report.Integrity));
        if (report.Verdicts.Any(v => v?.Subject is null))
        {
            throw new ArgumentException("A verdict in the report has no subject.", nameof(report));
        }

        return report with
        {
            Host = report.Host is { } host ? host with { Sessions = Clean(host.Sessions) } : null,
            Integrity = report.Integrity with { Findings = Clean(report.Integrity.Findings) },
            Verdicts = Clean(report.Verdicts).Select(Normalize).ToImmutableArray(),
            RecordBeforeCleanup = Clean(report.RecordBeforeCleanup).Select(r => r with { Evidence = Clean(r.Evidence) }).ToImmutableArray(),
            SameFolderFiles = Clean(report.SameFolderFiles).Select(f => f with { Files = Clean(f.Files) }).ToImmutableArray(),
            Launchers = Clean(report.Launchers)
                .Select(l => l with { RemoveWith = Clean(l.RemoveWith), Findings = Clean(l.Findings).Select(Normalize).ToImmutableArray() })
                .ToImmutableArray(),
            Actions = GeneralAdvice.AppendTo(Clean(report.Actions)),
            AfterCleanup = Clean(report.AfterCleanup),
            ResourceUsage = Clean(report.ResourceUsage),
            ProcessTrees = Clean(report.ProcessTrees).Select(t => t with { Nodes = Clean(t.Nodes) }).ToImmutableArray(),
            NotCollected = Clean(report.NotCollected),
            NotCollectedLines = Clean(report.NotCollectedLines),
            Anomalies = Clean(report.Anomalies),
            HostContext = report.HostContext is { } context ? Normalize(context) : null,
            RogueRoots = Clean(report.RogueRoots).Select(r => r with { Anchors = Clean(r.Anchors) }).ToImmutableArray(),
        };
    }

    private static HostContextSection Normalize(HostContextSection context) => context with
    {
        DefenderDetections = Clean(context.DefenderDetections)
            .Where(r => r.Detection is not null)
            .Select(r => r with { Detection = r.Detection with { Resources = Clean(r.Detection.Resources) }, Subjects = Clean(r.Subjects) })
            .ToImmutableArray(),
        RecentPrograms = Clean(context.RecentPrograms)
            .Where(r => r.Program is not null)
            .Select(r => r with { Reasons = Clean(r.Reasons), PossiblyArrivedWith = Clean(r.PossiblyArrivedWith) })
            .ToImmutableArray(),
        BrowserExtensions = Clean(context.BrowserExtensions)
            .Where(r => r.Extension is not null)
            .Select(r => r with { Extension = r.Extension with { Permissions = Clean(r.Extension.Permissions) }, PossiblyArrivedWith = Clean(r.PossiblyArrivedWith) })
            .ToImmutableArray(),
        Findings = Clean(context.Findings).Select(Normalize).ToImmutableArray(),
    };

    private static void Require(AnalysisReport report, object? part, string name)
    {
        if (part is null)
        {
            throw new ArgumentException($"The report has no {name}.", nameof(report));
        }
    }

    private static SubjectVerdict Normalize(SubjectVerdict verdict) => verdict with
    {
        DecisionPath = Clean(verdict.DecisionPath).Select(s => s with { References = Clean(s.References) }).ToImmutableArray(),
        Evidence = Clean(verdict.Evidence),
        Findings = Clean(verdict.Findings).Select(Normalize).ToImmutableArray(),
        Signature = verdict.Signature is { } signature
            ? signature with { Notes = Clean(signature.Notes), Evidence = Clean(signature.Evidence) }
            : null,
    };

    private static Finding Normalize(Finding finding) => finding with { Evidence = Clean(finding.Evidence) };

    private static ImmutableArray<T> Clean<T>(ImmutableArray<T> items)
        where T : class
    {
        // Non-nullable by annotation, but a model built by hand or by a faulty stage could still hold one.
        return items.Contains(null!) ? items.RemoveAll(item => item is null) : items;
    }
}
