using System.Collections.Immutable;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Wording;

/// <summary>
/// The "Not collected" lines as the writers show them. Lines of one code that differ only in their last parameter,
/// when that parameter names a path or a bundle part (the binaries not copied, the parts missing), are shown as one
/// line naming every value, rendered from the code's wording. Free text (a collector error, which may hold commas)
/// and a line without a code (a report built by hand) are shown as they are.
/// </summary>
internal static class NotCollectedView
{
    private const string ValueSeparator = ", ";

    /// <summary>Parameters whose values are names, which read well as a list.</summary>
    private static readonly string[] _listable = ["path", "part"];

    /// <summary>The report's coded lines; its plain <see cref="AnalysisReport.NotCollected"/> texts when it has none.</summary>
    public static ImmutableArray<ReportLine> Lines(AnalysisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.NotCollectedLines.IsEmpty
            ? [.. report.NotCollected.Where(text => text is not null).Select(text => new ReportLine(text))]
            : [.. report.NotCollectedLines.Where(line => line is not null)];
    }

    /// <summary>The lines folded, in first-seen order, as plain text (each writer escapes it).</summary>
    public static IReadOnlyList<string> Folded(AnalysisReport report)
    {
        var shown = new List<string>();
        var groups = new Dictionary<string, (int Index, ReportLine First, List<string> Values)>(StringComparer.Ordinal);
        foreach (var line in Lines(report))
        {
            if (line.Code is not { } code || line.Params.IsEmpty || !_listable.Contains(line.Params[^1].Name)
                || !ReportWording.Entries.ContainsKey(code))
            {
                shown.Add(line.Text);
                continue;
            }

            // The key is the code and every parameter but the last, length-prefixed so no hostile value can make two
            // different lines share a key: the lines a key gathers differ only in the last parameter.
            var key = string.Concat(line.Params.SkipLast(1).Select(p => $"{p.Name.Length}:{p.Name}{p.Value.Length}:{p.Value}").Prepend(code + " "));
            if (groups.TryGetValue(key, out var group))
            {
                group.Values.Add(line.Params[^1].Value);
                continue;
            }

            groups.Add(key, (shown.Count, line, [line.Params[^1].Value]));
            shown.Add(line.Text);
        }

        foreach (var (index, first, values) in groups.Values.Where(g => g.Values.Count > 1))
        {
            var last = first.Params[^1];
            shown[index] = ReportWording.Render(first.Code!, first.Params.SetItem(first.Params.Length - 1, last with { Value = string.Join(ValueSeparator, values) }));
        }

        return shown;
    }
}
