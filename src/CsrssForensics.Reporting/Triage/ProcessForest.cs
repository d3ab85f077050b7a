using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Triage;

/// <summary>
/// The process trees around every finding merged into one forest, each process once: the trees of a report overlap
/// (wininit → services → svchost appears around every service), so drawing them one by one repeats most lines.
/// </summary>
internal sealed class ProcessForest
{
    /// <summary>Deeper levels are drawn at this depth: a hostile parent chain must not nest without bound.</summary>
    public const int MaxDepth = 16;

    private readonly Dictionary<int, ProcessTreeNode> _nodes = [];
    private readonly Dictionary<int, int> _parentOf = [];

    private ProcessForest()
    {
    }

    /// <summary>The pids the trees were drawn around.</summary>
    public HashSet<int> Focus { get; } = [];

    /// <summary>Every process with its depth in the merged forest, depth-first, children by pid.</summary>
    public IReadOnlyList<(int Depth, ProcessTreeNode Node)> Lines { get; private set; } = [];

    public static ProcessForest Of(IEnumerable<ProcessTreeView> trees)
    {
        var forest = new ProcessForest();
        foreach (var tree in trees)
        {
            forest.Focus.Add(tree.FocusPid);
            var stack = new List<int>();
            foreach (var node in tree.Nodes)
            {
                var depth = Math.Max(0, node.Depth);
                if (stack.Count > depth)
                {
                    stack.RemoveRange(depth, stack.Count - depth);
                }

                forest._nodes.TryAdd(node.Pid, node);
                if (depth > 0 && stack.Count == depth && stack[depth - 1] != node.Pid)
                {
                    forest._parentOf.TryAdd(node.Pid, stack[depth - 1]);
                }

                stack.Add(node.Pid);
            }
        }

        forest.Lines = forest.Walk();
        return forest;
    }

    private List<(int, ProcessTreeNode)> Walk()
    {
        var children = _parentOf
            .GroupBy(p => p.Value)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Key).Order().ToList());
        var lines = new List<(int, ProcessTreeNode)>();
        var seen = new HashSet<int>();
        var pending = new Stack<(int Pid, int Depth)>();

        // Roots first; then anything only reachable through a cycle, so every process is drawn once.
        var starts = _nodes.Keys.Where(pid => !_parentOf.ContainsKey(pid)).Order()
            .Concat(_nodes.Keys.Order()).ToList();
        foreach (var start in starts)
        {
            pending.Push((start, 0));
            while (pending.TryPop(out var item))
            {
                if (!seen.Add(item.Pid))
                {
                    continue;
                }

                lines.Add((Math.Min(item.Depth, MaxDepth), _nodes[item.Pid]));
                if (children.TryGetValue(item.Pid, out var kids))
                {
                    for (var i = kids.Count - 1; i >= 0; i--)
                    {
                        pending.Push((kids[i], item.Depth + 1));
                    }
                }
            }
        }

        return lines;
    }
}
