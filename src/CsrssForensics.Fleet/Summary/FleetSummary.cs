using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.Stacking;

namespace CsrssForensics.Fleet.Summary;

/// <summary>One category of the stacking section: its rarest values first.</summary>
/// <param name="DistinctValues">How many distinct values the fleet has in this category (rows may be fewer, see <see cref="FleetSummary.MaxRowsPerCategory"/>).</param>
public sealed record StackSection(string Category, int DistinctValues, IReadOnlyList<StackRow> Rows);

/// <summary>
/// The fleet summary model every summary writer renders: hosts worst first, then the stacking tables. Built only from
/// the results, so the same bundles give the same summary whatever order they finished in.
/// </summary>
public sealed record FleetSummary(
    string SummaryVersion,
    int Bundles,
    int Unreadable,
    int BinariesVerified,
    int BinariesReused,
    int BinariesReusedFromCase,
    IReadOnlyDictionary<string, int> StatusCounts,
    IReadOnlyList<HostRow> Hosts,
    IReadOnlyList<StackSection> Stacking,
    int StackValuesCut)
{
    /// <summary>Rows per stacking category in the summary (the case database has every value).</summary>
    public const int MaxRowsPerCategory = 200;

    /// <summary>Builds the summary; <paramref name="hosts"/> in any order.</summary>
    public static FleetSummary Build(IReadOnlyList<HostRow> hosts, StackTable stack, int binariesVerified, int binariesReused, int binariesReusedFromCase)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(stack);
        var sorted = hosts
            .OrderBy(h => HostStatuses.Rank(h.Status))
            .ThenByDescending(h => h.Fakes)
            .ThenByDescending(h => h.Suspicious)
            .ThenBy(h => h.HostName ?? h.InputName, StringComparer.Ordinal)
            .ThenBy(h => h.CollectedAtUtc)
            .ThenBy(h => h.InputIndex)
            .ToList();
        var counts = Enum.GetValues<HostStatus>().ToDictionary(HostStatuses.Word, s => hosts.Count(h => h.Status == s));
        var sections = StackFacts.Categories
            .Select(c => (Category: c, Rows: stack.Rows(c)))
            .Select(c => new StackSection(c.Category, c.Rows.Count, [.. c.Rows.Take(MaxRowsPerCategory)]))
            .ToList();
        return new FleetSummary(
            "1.0",
            hosts.Count,
            counts[HostStatuses.Word(HostStatus.Unreadable)],
            binariesVerified,
            binariesReused,
            binariesReusedFromCase,
            counts,
            sorted,
            sections,
            stack.ValuesCut);
    }
}
