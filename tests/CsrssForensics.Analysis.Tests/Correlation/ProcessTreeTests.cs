using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using static CsrssForensics.Analysis.Tests.Correlation.SnapshotFactory;
using CorrelationModel = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Correlation;

public sealed class ProcessTreeTests
{
    private const string System32 = @"C:\Windows\System32\";

    [Fact]
    public void Living_parent_is_the_process_with_the_parent_pid_created_before_the_child()
    {
        var wininit = Process(600, 500, "wininit.exe", System32 + "wininit.exe", 1, session: 0);
        var services = Process(700, 600, "services.exe", System32 + "services.exe", 2, session: 0);
        var correlation = CorrelationModel.Build(Snapshot([wininit, services]));

        Assert.Same(wininit, correlation.LivingParentOf(services));
        Assert.False(correlation.ParentPidReused(services));
        Assert.Equal<ProcessRecord>([services], correlation.ChildrenOf(wininit));
        Assert.Null(correlation.LivingParentOf(wininit));
    }

    [Fact]
    public void Parent_created_after_the_child_is_pid_reuse_not_a_parent()
    {
        // csrss's parent (the per-session smss) exited; its pid 404 now belongs to a later notepad.
        var csrss = Process(520, 404, "csrss.exe", System32 + "csrss.exe", 1, session: 1);
        var notepad = Process(404, 3000, "notepad.exe", System32 + "notepad.exe", 90, session: 1);
        var correlation = CorrelationModel.Build(Snapshot([csrss, notepad]));

        Assert.Null(correlation.LivingParentOf(csrss));
        Assert.True(correlation.ParentPidReused(csrss));
        Assert.Empty(correlation.ChildrenOf(notepad));

        var tree = correlation.TreeAround(csrss);
        var node = Assert.Single(tree.Nodes);
        Assert.Equal("parent pid 404 reused (created after child)", node.Note);
        Assert.Equal(0, node.Depth);
        Assert.Equal(520, tree.FocusPid);
    }

    [Fact]
    public void Parent_created_at_the_same_time_counts_as_living()
    {
        var parent = Process(10, 4, "smss.exe", System32 + "smss.exe", 5);
        var child = Process(11, 10, "autochk.exe", System32 + "autochk.exe", 5);
        var correlation = CorrelationModel.Build(Snapshot([parent, child]));

        Assert.Same(parent, correlation.LivingParentOf(child));
    }

    [Fact]
    public void Unknown_creation_time_means_no_confirmed_parent_and_no_reuse()
    {
        var parent = Process(10, 4, "explorer.exe", @"C:\Windows\explorer.exe", startedMinutes: null);
        var child = Process(11, 10, "cmd.exe", System32 + "cmd.exe", 5);
        var correlation = CorrelationModel.Build(Snapshot([parent, child]));

        Assert.Null(correlation.LivingParentOf(child));
        Assert.False(correlation.ParentPidReused(child));
        Assert.Equal("no living parent (pid 10 present but creation times unknown)", Assert.Single(correlation.TreeAround(child).Nodes).Note);
    }

    [Fact]
    public void Self_parented_System_and_Idle_do_not_loop()
    {
        var idle = Process(0, 0, "Idle", null, 0, session: 0);
        var system = Process(4, 0, "System", null, 0, session: 0);
        var smss = Process(300, 4, "smss.exe", System32 + "smss.exe", 0.1, session: 0);
        var correlation = CorrelationModel.Build(Snapshot([idle, system, smss]));

        Assert.Null(correlation.LivingParentOf(idle));
        Assert.Same(idle, correlation.LivingParentOf(system));
        Assert.DoesNotContain(idle, correlation.ChildrenOf(idle));

        var tree = correlation.TreeAround(smss);
        Assert.Equal([(0, 0), (1, 4), (2, 300)], tree.Nodes.Select(n => (n.Depth, n.Pid)));
        Assert.Equal("self-parent (pid 0)", tree.Nodes[0].Note);
    }

    [Fact]
    public void Parent_cycle_with_equal_creation_times_is_cut()
    {
        // Hostile or coarse-clock lists: A says B is its parent and B says A is.
        var a = Process(100, 200, "a.exe", @"C:\x\a.exe", 3);
        var b = Process(200, 100, "b.exe", @"C:\x\b.exe", 3);
        var correlation = CorrelationModel.Build(Snapshot([a, b]));

        var tree = correlation.TreeAround(a);

        Assert.Equal([200, 100], tree.Nodes.Select(n => n.Pid));
        Assert.Equal("parent chain loops back to pid 100", tree.Nodes[0].Note);
        Assert.Equal(2, tree.Nodes.Length);
    }

    [Fact]
    public void Long_ancestor_chains_are_capped()
    {
        var chain = Enumerable.Range(1, 100).Select(i => Process(i * 4, (i - 1) * 4, "p" + i, @"C:\x\p.exe", i)).ToList();
        var correlation = CorrelationModel.Build(Snapshot(chain));

        var tree = correlation.TreeAround(chain[^1]);

        Assert.Equal(CsrssForensics.Analysis.Correlation.Correlation.MaxAncestorDepth + 1, tree.Nodes.Length);
        Assert.Equal("ancestor chain cut at 32 levels", tree.Nodes[0].Note);
        Assert.Equal(400, tree.Nodes[^1].Pid);
    }

    [Fact]
    public void Tree_shows_ancestors_focus_children_and_grandchildren_with_depths()
    {
        var explorer = Process(1000, 900, "explorer.exe", @"C:\Windows\explorer.exe", 1);
        var fake = Process(2000, 1000, "csrss.exe", @"C:\Users\a\AppData\Roaming\csrss.exe", 2);
        var cmd = Process(2100, 2000, "cmd.exe", System32 + "cmd.exe", 4);
        var conhost = Process(2200, 2100, "conhost.exe", System32 + "conhost.exe", 4.5);
        var miner = Process(2050, 2000, "xmrig.exe", @"C:\Users\a\AppData\Roaming\xmrig.exe", 3);
        var greatGrandchild = Process(2300, 2200, "deep.exe", @"C:\x\deep.exe", 5);
        var correlation = CorrelationModel.Build(Snapshot([explorer, fake, cmd, conhost, miner, greatGrandchild]));

        var tree = correlation.TreeAround(fake);

        Assert.Equal(
            [(0, 1000, "no living parent"), (1, 2000, null), (2, 2050, null), (2, 2100, null), (3, 2200, null)],
            tree.Nodes.Select(n => (n.Depth, n.Pid, n.Note)));
        Assert.Equal(@"C:\Users\a\AppData\Roaming\csrss.exe", tree.Nodes[1].ImagePath);
        Assert.Equal(1000, tree.Nodes[1].ParentPid);
        Assert.Equal<ProcessRecord>([miner, cmd], correlation.ChildrenOf(fake));
    }

    [Fact]
    public void Tree_normalises_image_paths_and_counts_hidden_children()
    {
        var parent = Process(8, 4, "svc.exe", @"\Device\HarddiskVolume3\Tools\svc.exe", 0);
        var children = Enumerable.Range(1, 105).Select(i => Process(1000 + i, 8, "w.exe", @"C:\Tools\w.exe", 1 + i)).ToList();
        var correlation = CorrelationModel.Build(Snapshot([parent, .. children]));

        var tree = correlation.TreeAround(parent);

        Assert.Equal(@"C:\Tools\svc.exe", tree.Nodes[0].ImagePath);
        Assert.Equal("no living parent; 5 more children not shown", tree.Nodes[0].Note);
        Assert.Equal(101, tree.Nodes.Length);
    }

    [Fact]
    public void Duplicate_pid_rows_pick_the_youngest_that_predates_the_child()
    {
        var older = Process(50, 4, "old.exe", @"C:\x\old.exe", 1, row: 1);
        var younger = Process(50, 4, "young.exe", @"C:\x\young.exe", 5, row: 2);
        var later = Process(50, 4, "later.exe", @"C:\x\later.exe", 20, row: 3);
        var child = Process(60, 50, "c.exe", @"C:\x\c.exe", 10);
        var correlation = CorrelationModel.Build(Snapshot([older, younger, later, child]));

        Assert.Same(younger, correlation.LivingParentOf(child));
        Assert.False(correlation.ParentPidReused(child));
    }

    [Fact]
    public void Same_name_in_same_session_counts_only_known_equal_sessions()
    {
        var csrss0 = Process(500, 400, "csrss.exe", System32 + "csrss.exe", 1, session: 0);
        var csrss1 = Process(600, 404, "csrss.exe", System32 + "csrss.exe", 1, session: 1);
        var fake1 = Process(7000, 1000, "CSRSS.EXE", @"C:\Users\a\AppData\Roaming\csrss.exe", 30, session: 1);
        var unknown = Process(7100, 1000, "csrss.exe", @"C:\x\csrss.exe", 31, session: null);
        var correlation = CorrelationModel.Build(Snapshot([csrss0, csrss1, fake1, unknown]));

        Assert.Equal<ProcessRecord>([fake1], correlation.SameNameInSameSession(csrss1));
        Assert.Equal<ProcessRecord>([csrss1], correlation.SameNameInSameSession(fake1));
        Assert.Empty(correlation.SameNameInSameSession(csrss0));
        Assert.Empty(correlation.SameNameInSameSession(unknown));
    }

    [Fact]
    public void Tree_of_a_process_with_no_parent_pid_says_no_living_parent()
    {
        var orphan = Process(77, null, "x.exe", @"C:\x.exe", 1);
        var tree = CorrelationModel.Build(Snapshot([orphan])).TreeAround(orphan);

        Assert.Equal<ProcessTreeNode>(
            [new ProcessTreeNode(0, 77, null, "x.exe", @"C:\x.exe", 1, null, "no living parent")],
            tree.Nodes);
    }

    [Fact]
    public void Snapshot_with_default_arrays_builds_an_empty_correlation()
    {
        var empty = Snapshot() with
        {
            Processes = default,
            Files = default,
            Tasks = default,
            Autoruns = default,
            MissingParts = default,
        };

        var correlation = CorrelationModel.Build(empty);

        Assert.Empty(correlation.Launchers);
        Assert.Empty(correlation.SameNameCopies("csrss.exe", null));
        Assert.Empty(correlation.LaunchersOf(@"C:\x.exe"));
        var stray = Process(1, 2, "a", null);
        Assert.Null(correlation.LivingParentOf(stray));
        Assert.Single(correlation.TreeAround(stray).Nodes);
    }

    [Fact]
    public void Answers_do_not_depend_on_holding_the_same_record_instance()
    {
        var parent = Process(10, 4, "explorer.exe", @"C:\Windows\explorer.exe", 1);
        var child = Process(11, 10, "csrss.exe", @"C:\Users\a\csrss.exe", 2);
        var twin = Process(12, 10, "csrss.exe", @"C:\Users\a\csrss.exe", 3);
        var correlation = CorrelationModel.Build(Snapshot([parent, child, twin]));

        Assert.Same(parent, correlation.LivingParentOf(child with { }));
        Assert.Equal<ProcessRecord>([child, twin], correlation.ChildrenOf(parent with { }));
        Assert.Equal<ProcessRecord>([twin], correlation.SameNameInSameSession(child with { }));
    }
}

