using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>Process genealogy: parents from parent pid AND creation time, children, same-name siblings, trees.</summary>
public sealed partial class Correlation
{
    /// <summary>How many ancestors <see cref="TreeAround"/> walks up before it stops (a hostile list can chain far).</summary>
    internal const int MaxAncestorDepth = 32;

    /// <summary>How many children of one node <see cref="TreeAround"/> shows; the rest are counted in a note.</summary>
    internal const int MaxChildrenShown = 100;

    private static readonly ImmutableArray<ProcessRecord> _noProcesses = [];

    private readonly ImmutableArray<ProcessRecord> _processes;
    private readonly Dictionary<int, List<ProcessRecord>> _processesByPid = [];
    // Keyed by record value, not reference: a caller holding a copy of a row (p with { }) gets the same answers.
    private readonly Dictionary<ProcessRecord, ProcessRecord> _livingParent = new(ProcessRecordComparer.Instance);
    private readonly HashSet<ProcessRecord> _parentPidReused = new(ProcessRecordComparer.Instance);
    private readonly Dictionary<ProcessRecord, List<ProcessRecord>> _children = new(ProcessRecordComparer.Instance);
    private readonly Dictionary<ProcessRecord, int> _order = new(ProcessRecordComparer.Instance);

    /// <summary>
    /// The parent process when it is present in the snapshot AND was created before (or at the same time as) the
    /// child; otherwise null. Windows reuses pids, so a pid match alone is not parenthood. When either creation time
    /// is unknown the link cannot be confirmed and the answer is null.
    /// </summary>
    public ProcessRecord? LivingParentOf(ProcessRecord process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return _livingParent.TryGetValue(process, out var parent) ? parent : null;
    }

    /// <summary>
    /// True when a process with the parent pid exists but was created after the child: the pid was reused by an
    /// unrelated process after the real parent exited.
    /// </summary>
    public bool ParentPidReused(ProcessRecord process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return _parentPidReused.Contains(process);
    }

    /// <summary>Only true children: processes whose living parent is this one (created after it), by creation time then pid.</summary>
    public ImmutableArray<ProcessRecord> ChildrenOf(ProcessRecord process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return _children.TryGetValue(process, out var children) ? [.. children] : _noProcesses;
    }

    /// <summary>
    /// Other processes with the same name (case-insensitive) in the same session, in snapshot order, at most
    /// <see cref="MaxRelatedListed"/>. Processes whose session is unknown are never counted: "two csrss in one
    /// session" must rest on evidence.
    /// </summary>
    public ImmutableArray<ProcessRecord> SameNameInSameSession(ProcessRecord process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.SessionId is not int session)
        {
            return _noProcesses;
        }

        return SameSessionGroup(process, session);
    }

    /// <summary>
    /// The tree around one process, flattened with depths: its living ancestors (oldest first, depth 0), the focus,
    /// its children and grandchildren. The top line says why the chain stops ("no living parent",
    /// "parent pid N reused (created after child)", a self-parent or a loop).
    /// </summary>
    public ProcessTreeView TreeAround(ProcessRecord focus)
    {
        ArgumentNullException.ThrowIfNull(focus);

        var emitted = new HashSet<ProcessRecord>(ProcessRecordComparer.Instance) { focus };
        var ancestors = new List<ProcessRecord>();
        string? loopNote = null;
        var current = focus;
        while (ancestors.Count < MaxAncestorDepth && LivingParentOf(current) is { } parent)
        {
            if (!emitted.Add(parent))
            {
                // Only possible with equal creation times (hostile or coarse clocks): A -> B -> A.
                loopNote = $"parent chain loops back to pid {Invariant(parent.Pid)}";
                break;
            }

            ancestors.Add(parent);
            current = parent;
        }

        if (loopNote is null && ancestors.Count == MaxAncestorDepth && LivingParentOf(current) is not null)
        {
            loopNote = $"ancestor chain cut at {Invariant(MaxAncestorDepth)} levels";
        }

        ancestors.Reverse();
        var nodes = ImmutableArray.CreateBuilder<ProcessTreeNode>();
        var top = ancestors.Count > 0 ? ancestors[0] : focus;
        for (var i = 0; i < ancestors.Count; i++)
        {
            var note = ReferenceEquals(ancestors[i], top) ? loopNote ?? RootNote(top) : null;
            nodes.Add(Node(ancestors[i], i, note));
        }

        var focusDepth = ancestors.Count;
        var children = Unemitted(ChildrenOf(focus), emitted);
        var focusNote = ReferenceEquals(top, focus) ? loopNote ?? RootNote(focus) : null;
        nodes.Add(Node(focus, focusDepth, Join(focusNote, HiddenNote(children.Count))));
        foreach (var child in children.Take(MaxChildrenShown))
        {
            emitted.Add(child);
        }

        foreach (var child in children.Take(MaxChildrenShown))
        {
            var grandchildren = Unemitted(ChildrenOf(child), emitted);
            nodes.Add(Node(child, focusDepth + 1, HiddenNote(grandchildren.Count)));
            foreach (var grandchild in grandchildren.Take(MaxChildrenShown))
            {
                emitted.Add(grandchild);
                nodes.Add(Node(grandchild, focusDepth + 2, null));
            }
        }

        return new ProcessTreeView(focus.Pid, nodes.ToImmutable());
    }

    private void IndexProcesses()
    {
        for (var i = 0; i < _processes.Length; i++)
        {
            var process = _processes[i];
            _order[process] = i;
            if (!_processesByPid.TryGetValue(process.Pid, out var samePid))
            {
                samePid = [];
                _processesByPid[process.Pid] = samePid;
            }

            samePid.Add(process);
        }

        foreach (var child in _processes)
        {
            if (child.ParentPid is not int parentPid
                || parentPid == child.Pid
                || !_processesByPid.TryGetValue(parentPid, out var candidates))
            {
                continue;
            }

            ProcessRecord? best = null;
            var laterCandidate = false;
            foreach (var candidate in candidates)
            {
                if (ReferenceEquals(candidate, child)
                    || candidate.CreationTimeUtc is not DateTimeOffset parentTime
                    || child.CreationTimeUtc is not DateTimeOffset childTime)
                {
                    continue;
                }

                if (parentTime <= childTime)
                {
                    // Duplicate pids only appear in hostile or merged lists; the youngest one that predates the
                    // child is the one that can have been alive when the child started.
                    if (best is null || parentTime > best.CreationTimeUtc!.Value)
                    {
                        best = candidate;
                    }
                }
                else
                {
                    laterCandidate = true;
                }
            }

            if (best is not null)
            {
                _livingParent[child] = best;
                if (!_children.TryGetValue(best, out var list))
                {
                    list = [];
                    _children[best] = list;
                }

                list.Add(child);
            }
            else if (laterCandidate)
            {
                _parentPidReused.Add(child);
            }
        }

        foreach (var list in _children.Values)
        {
            list.Sort(CompareByCreation);
        }
    }

    private int CompareByCreation(ProcessRecord x, ProcessRecord y)
    {
        var byTime = Nullable.Compare(x.CreationTimeUtc, y.CreationTimeUtc);
        if (byTime != 0)
        {
            return byTime;
        }

        var byPid = x.Pid.CompareTo(y.Pid);
        return byPid != 0 ? byPid : _order[x].CompareTo(_order[y]);
    }

    private string RootNote(ProcessRecord process)
    {
        if (process.ParentPid is not int parentPid)
        {
            return "no living parent";
        }

        if (parentPid == process.Pid)
        {
            // System (4) and Idle (0) report themselves or each other; never a loop to follow.
            return $"self-parent (pid {Invariant(parentPid)})";
        }

        if (ParentPidReused(process))
        {
            return $"parent pid {Invariant(parentPid)} reused (created after child)";
        }

        var present = _processesByPid.TryGetValue(parentPid, out var candidates)
            && candidates.Exists(c => !c.Equals(process));
        return present
            ? $"no living parent (pid {Invariant(parentPid)} present but creation times unknown)"
            : "no living parent";
    }

    private static List<ProcessRecord> Unemitted(ImmutableArray<ProcessRecord> processes, HashSet<ProcessRecord> emitted)
    {
        var list = new List<ProcessRecord>(processes.Length);
        foreach (var process in processes)
        {
            if (!emitted.Contains(process))
            {
                list.Add(process);
            }
        }

        return list;
    }

    private static string? HiddenNote(int count) =>
        count > MaxChildrenShown ? $"{Invariant(count - MaxChildrenShown)} more children not shown" : null;

    private static string? Join(string? first, string? second) =>
        first is null ? second : second is null ? first : first + "; " + second;

    private ProcessTreeNode Node(ProcessRecord process, int depth, string? note) =>
        new(depth, process.Pid, process.ParentPid, process.Name, ImageOf(process), process.SessionId, null, note);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
