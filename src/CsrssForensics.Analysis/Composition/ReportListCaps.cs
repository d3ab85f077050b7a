using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Composition;

/// <summary>
/// Caps how many findings of one kind the report lists. A hostile bundle can repeat one problem hundreds of thousands
/// of times (a manifest of 200,000 absent files, a CSV of 100,000 bad rows); listing each copy made the four reports
/// gigabytes of text for one fact. Each kind keeps its first <see cref="MaxListedPerKind"/> items in report order and
/// one summary item that carries the count and stands at the first item left out (its path and evidence), so nothing
/// is dropped without a word. The analysis itself always sees every finding (trust, status and counts are computed
/// from the snapshot, never from this listing).
/// </summary>
internal static class ReportListCaps
{
    /// <summary>Items of one kind (integrity problem, anomaly code) listed in full before the rest are counted.</summary>
    public const int MaxListedPerKind = 100;

    /// <summary>The integrity report with at most <see cref="MaxListedPerKind"/> findings per problem, plus one summary each.</summary>
    public static IntegrityReport Integrity(IntegrityReport integrity)
    {
        ArgumentNullException.ThrowIfNull(integrity);
        var findings = integrity.Findings;
        if (!findings.GroupBy(f => f.Problem).Any(g => g.Count() > MaxListedPerKind))
        {
            return integrity;
        }

        var listed = ImmutableArray.CreateBuilder<IntegrityFinding>();
        var seen = new Dictionary<IntegrityProblem, int>();
        var total = findings.GroupBy(f => f.Problem).ToDictionary(g => g.Key, g => g.Count());
        foreach (var finding in findings)
        {
            var count = seen[finding.Problem] = seen.GetValueOrDefault(finding.Problem) + 1;
            if (count <= MaxListedPerKind)
            {
                listed.Add(finding);
            }
            else if (count == MaxListedPerKind + 1)
            {
                var rest = total[finding.Problem] - MaxListedPerKind;
                listed.Add(finding with
                {
                    Message = $"{N(rest)} more '{finding.Problem}' integrity findings are not listed ({N(total[finding.Problem])} in all; "
                        + $"the first {N(MaxListedPerKind)} are). The first of them: {finding.Message}",
                });
            }
        }

        return integrity with { Findings = listed.ToImmutable() };
    }

    /// <summary>
    /// The anomalies, already in report order, with at most <see cref="MaxListedPerKind"/> per code plus one summary
    /// each; the summary keeps the code, the highest severity of those it stands for and the first one's evidence.
    /// </summary>
    public static ImmutableArray<Anomaly> Anomalies(ImmutableArray<Anomaly> anomalies)
    {
        var byCode = anomalies.GroupBy(a => a.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (!byCode.Values.Any(list => list.Count > MaxListedPerKind))
        {
            return anomalies;
        }

        var listed = ImmutableArray.CreateBuilder<Anomaly>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var anomaly in anomalies)
        {
            var count = seen[anomaly.Code] = seen.GetValueOrDefault(anomaly.Code) + 1;
            if (count <= MaxListedPerKind)
            {
                listed.Add(anomaly);
            }
            else if (count == MaxListedPerKind + 1)
            {
                var all = byCode[anomaly.Code];
                var rest = all.Skip(MaxListedPerKind).ToList();
                listed.Add(anomaly with
                {
                    Severity = rest.Max(a => a.Severity),
                    Message = $"{N(rest.Count)} more {anomaly.Code} anomalies are not listed ({N(all.Count)} in all; the first "
                        + $"{N(MaxListedPerKind)} are). The first of them: {anomaly.Message}",
                });
            }
        }

        return listed.ToImmutable();
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
