using System.Collections.Concurrent;
using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Per-subject lists of related records (same name in the session, same-name copies elsewhere) are indexed once and
/// cut at <see cref="MaxRelatedListed"/>: a hostile list of thousands of csrss rows otherwise gave every subject the
/// whole list (cost and report size the square of the rows). Each cut is reported once as an anomaly with its total.
/// </summary>
public sealed partial class Correlation
{
    /// <summary>How many related records one subject is given per list; the rest are counted in an anomaly.</summary>
    public const int MaxRelatedListed = 32;

    /// <summary>Anomaly code: a per-subject list was cut at <see cref="MaxRelatedListed"/>.</summary>
    public const string ListCappedCode = "ANA0002";

    private readonly Dictionary<(int Session, string NameKey), List<ProcessRecord>> _bySessionAndName = [];
    // Filled as subjects ask, from several cores at once: each name's list is built once (Lazy), and a capped list
    // keeps its largest total whichever subject noted it first, so the result does not depend on timing.
    private readonly ConcurrentDictionary<string, Lazy<List<HostFile>>> _distinctCopiesByName = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (int Total, string BundleFile)> _cappedLists = new(StringComparer.Ordinal);

    /// <summary>One anomaly per list that was cut, with the largest total seen; ordinal order.</summary>
    public ImmutableArray<Anomaly> CapAnomalies() =>
    [
        .. _cappedLists.Select(cut => new Anomaly(
            ListCappedCode,
            AnomalySeverity.Medium,
            $"{cut.Key}: {Invariant(cut.Value.Total)} related records, only the first {Invariant(MaxRelatedListed)} are listed per subject.",
            new EvidenceRef(cut.Value.BundleFile))),
    ];

    private void IndexSessions()
    {
        foreach (var process in _processes)
        {
            if (process.SessionId is int session)
            {
                var key = (session, WindowsPath.Key(process.Name));
                if (!_bySessionAndName.TryGetValue(key, out var group))
                {
                    group = [];
                    _bySessionAndName[key] = group;
                }

                group.Add(process);
            }
        }
    }

    private ImmutableArray<ProcessRecord> SameSessionGroup(ProcessRecord process, int session)
    {
        if (!_bySessionAndName.TryGetValue((session, WindowsPath.Key(process.Name)), out var group))
        {
            return _noProcesses;
        }

        var builder = ImmutableArray.CreateBuilder<ProcessRecord>();
        var others = 0;
        foreach (var other in group)
        {
            if (other.Equals(process))
            {
                continue;
            }

            if (++others <= MaxRelatedListed)
            {
                builder.Add(other);
            }
            else
            {
                // The group size bounds the total; no need to walk the rest.
                NoteCap($"Processes named {process.Name} in session {Invariant(session)}", group.Count - 1, "processes.csv");
                break;
            }
        }

        return builder.ToImmutable();
    }

    // Each path once (first occurrence wins), ordered as ComparePaths: built once per name, then only read.
    private List<HostFile> DistinctCopies(string name) =>
        _distinctCopiesByName.GetOrAdd(WindowsPath.Key(name), _ => new Lazy<List<HostFile>>(() =>
        {
            JoinFileGroups();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            List<HostFile> distinct = [.. _filesByName.Members(name).Select(i => _hostFiles[i]).Where(f => seen.Add(f.Path))];
            distinct.Sort((x, y) => ComparePaths(x.Path, y.Path));
            return distinct;
        })).Value;

    private void NoteCap(string list, int total, string bundleFile)
    {
        lock (_cappedLists)
        {
            if (!_cappedLists.TryGetValue(list, out var known) || known.Total < total)
            {
                _cappedLists[list] = (total, bundleFile);
            }
        }
    }
}
