using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Triage;

/// <summary>One process-tree picture: the tree around one judged process, cut to a bounded number of nodes.</summary>
/// <param name="Nodes">The first nodes of the tree (ancestors, the process, its children and grandchildren).</param>
/// <param name="LeftOut">How many nodes of the tree were not drawn.</param>
/// <param name="Anchored">The pids whose <c>pid-N</c> anchor sits in this picture's list (each pid once per page).</param>
internal sealed record TreePicture(
    ProcessTreeView Tree,
    string FocusVerdict,
    IReadOnlyList<ProcessTreeNode> Nodes,
    int LeftOut,
    IReadOnlySet<int> Anchored);

/// <summary>
/// The process-tree pictures of a report, one per judged process, worst verdict first: the findings
/// (fake, suspicious, inconclusive) and then the legitimate processes that still carry a finding. Bounded for hostile
/// bundles: at most <see cref="MaxPictures"/> pictures of at most <see cref="MaxNodes"/> nodes each; the rest is
/// counted and named, and report.json keeps every tree whole.
/// </summary>
internal sealed class ProcessPictures
{
    public const int MaxPictures = 40;
    public const int MaxNodes = 40;

    private ProcessPictures(IReadOnlyList<TreePicture> pictures, int notDrawn, IReadOnlySet<int> anchors)
    {
        Pictures = pictures;
        NotDrawn = notDrawn;
        Anchors = anchors;
    }

    public IReadOnlyList<TreePicture> Pictures { get; }

    /// <summary>Trees of the report past <see cref="MaxPictures"/>.</summary>
    public int NotDrawn { get; }

    /// <summary>Every pid with a <c>pid-N</c> anchor on the page (a picture's own pid anchors the picture).</summary>
    public IReadOnlySet<int> Anchors { get; }

    public static ProcessPictures Of(AnalysisReport report)
    {
        var trees = report.ProcessTrees
            .Where(t => !t.Nodes.IsEmpty)
            .Select((tree, index) => (Tree: tree, Index: index, Verdict: FocusVerdict(tree)))
            .DistinctBy(t => t.Tree.FocusPid)
            .OrderBy(t => Rank(t.Verdict))
            .ThenBy(t => t.Index)
            .ToList();
        var drawn = trees.Take(MaxPictures).ToList();

        // A judged process's anchor is its own picture; any other process is anchored at its first appearance.
        var anchors = drawn.Select(t => t.Tree.FocusPid).ToHashSet();
        var pictures = new List<TreePicture>();
        foreach (var (tree, _, verdict) in drawn)
        {
            var nodes = tree.Nodes.Take(MaxNodes).ToList();
            var anchored = new HashSet<int>();
            foreach (var node in nodes)
            {
                if (anchors.Add(node.Pid))
                {
                    anchored.Add(node.Pid);
                }
            }

            pictures.Add(new TreePicture(tree, verdict, nodes, tree.Nodes.Length - nodes.Count, anchored));
        }

        return new ProcessPictures(pictures, trees.Count - drawn.Count, anchors);
    }

    private static string FocusVerdict(ProcessTreeView tree) =>
        tree.Nodes.FirstOrDefault(n => n.Pid == tree.FocusPid)?.Verdict ?? string.Empty;

    private static int Rank(string verdict) => verdict switch
    {
        "fake" => 0,
        "suspicious" => 1,
        "inconclusive" => 2,
        "legitimate" => 4,
        _ => 3,
    };
}
