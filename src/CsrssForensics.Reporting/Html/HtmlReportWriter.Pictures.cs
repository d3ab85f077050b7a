using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;
using static CsrssForensics.Reporting.Html.HtmlText;

namespace CsrssForensics.Reporting.Html;

/// <summary>
/// The process-tree pictures, inline SVG with no script: one small tree per judged process (its parent chain, itself,
/// its children), laid out from the model alone (deterministic), each followed by its text alternative.
/// </summary>
internal static partial class HtmlReportWriter
{
    private const int RowHeight = 26;

    private static void WriteProcessTree(TextWriter writer, AnalysisReport report, ProcessPictures pictures)
    {
        if (pictures.Pictures.Count == 0)
        {
            writer.Write(report.ProcessTrees.IsEmpty
                ? "<p>No process tree: no finding concerns a running process.</p>\n"
                : "<p>The process list has no entry for the judged processes, so no tree can be drawn.</p>\n");
            return;
        }

        writer.Write("<p>One picture per judged process, worst first: its living parents (oldest at the top), the process itself (thick border), its children and grandchildren. ");
        writer.Write($"Solid lines join a parent to its child; a dashed box and line mark a parent pid that is not alive or was reused by a newer process. Each picture shows at most {N(ProcessPictures.MaxNodes)} processes and is followed by the same tree as a list.</p>\n");
        var legitimateOpened = false;
        foreach (var picture in pictures.Pictures)
        {
            if (picture.FocusVerdict == "legitimate" && !legitimateOpened)
            {
                legitimateOpened = true;
                writer.Write("<details class=\"legit-trees\">\n<summary>Trees around legitimate processes that carry a finding</summary>\n");
            }

            WriteTreePicture(writer, picture);
        }

        if (legitimateOpened)
        {
            writer.Write("</details>\n");
        }

        if (pictures.NotDrawn > 0)
        {
            writer.Write($"<p>{N(pictures.NotDrawn)} more trees are not drawn (at most {N(ProcessPictures.MaxPictures)} pictures per page); report.json lists every tree.</p>\n");
        }
    }

    private static void WriteTreePicture(TextWriter writer, TreePicture picture)
    {
        var focus = picture.Tree.FocusPid;
        var nodes = picture.Nodes;
        var top = nodes[0];
        var ghost = GhostParent(top);
        var offset = ghost is null ? 0 : 1;
        var height = ((nodes.Count + offset) * RowHeight) + 8;
        var verdict = string.IsNullOrEmpty(picture.FocusVerdict) ? "not judged" : picture.FocusVerdict;
        var title = $"Process tree around pid {N(focus)} {nodes.FirstOrDefault(n => n.Pid == focus)?.Name} ({verdict})";
        writer.Write($"<figure id=\"pid-{N(focus)}\" class=\"tree-figure\">\n");
        writer.Write($"<svg class=\"tree\" role=\"img\" aria-labelledby=\"tree-{N(focus)}-title tree-{N(focus)}-desc\" viewBox=\"0 0 1000 {N(height)}\" width=\"1000\" height=\"{N(height)}\" preserveAspectRatio=\"xMinYMin meet\">\n");
        writer.Write($"<title id=\"tree-{N(focus)}-title\">{E(title)}</title>\n");
        writer.Write($"<desc id=\"tree-{N(focus)}-desc\">Each box is a process (pid, name, session, verdict); the list below the picture says the same in text.</desc>\n");
        if (ghost is not null)
        {
            writer.Write($"<g class=\"node ghost\"><rect x=\"8\" y=\"4\" width=\"420\" height=\"20\" rx=\"3\"/><text x=\"14\" y=\"18\">{E(Clip(ghost, 60))}</text></g>\n");
            writer.Write($"<path class=\"edge dashed\" d=\"M18 24 V{N(4 + RowHeight + 10)} H36\"/>\n");
        }

        var lastAtDepth = new Dictionary<int, int>();
        var baseDepth = nodes.Min(n => n.Depth);
        for (var index = 0; index < nodes.Count; index++)
        {
            var node = nodes[index];
            // Under a dashed parent box every process moves one level in, so the top process hangs from it.
            var depth = Math.Min(Math.Max(0, node.Depth - baseDepth), ProcessForest.MaxDepth) + offset;
            var row = index + offset;
            var x = 8 + (depth * 28);
            var y = 4 + (row * RowHeight);
            if (depth > offset && lastAtDepth.TryGetValue(depth - 1, out var parentRow))
            {
                var px = 8 + ((depth - 1) * 28) + 10;
                var py = 4 + (parentRow * RowHeight) + 20;
                writer.Write($"<path class=\"edge\" d=\"M{N(px)} {N(py)} V{N(y + 10)} H{N(x)}\"/>\n");
            }

            lastAtDepth[depth] = row;
            var isFocus = node.Pid == focus;
            var label = $"pid {N(node.Pid)} {node.Name} · session {ReportText.Number(node.SessionId) ?? "?"}{(string.IsNullOrEmpty(node.Verdict) ? string.Empty : " · " + node.Verdict)}{(isFocus ? " · judged" : string.Empty)}{(string.IsNullOrEmpty(node.Note) ? string.Empty : " · " + node.Note)}";
            writer.Write($"<g class=\"node v-{VerdictClass(node.Verdict)}{(isFocus ? " focus" : string.Empty)}\"><rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(120, 990 - x))}\" height=\"20\" rx=\"3\"/>");
            writer.Write($"<text x=\"{N(x + 6)}\" y=\"{N(y + 14)}\">{E(Clip(label, 140 - (depth * 3)))}</text></g>\n");
        }

        writer.Write("</svg>\n<figcaption>");
        writer.Write(E(title));
        if (picture.LeftOut > 0)
        {
            writer.Write($"; {N(picture.LeftOut)} more processes of this tree are not drawn (report.json lists them)");
        }

        writer.Write("</figcaption>\n");
        if (ghost is not null)
        {
            writer.Write($"<p class=\"tree-note\">{E(ghost)}.</p>\n");
        }

        WriteTreeList(writer, picture);
        writer.Write("</figure>\n");
    }

    // The top process's parent when the chain stops at a pid that is not alive or was reused: drawn as a dashed box.
    private static string? GhostParent(ProcessTreeNode top)
    {
        if (top.ParentPid is not { } parent || parent == top.Pid || string.IsNullOrEmpty(top.Note))
        {
            return null;
        }

        var reused = top.Note.Contains("reuse", StringComparison.OrdinalIgnoreCase);
        var dead = top.Note.Contains("no living parent", StringComparison.OrdinalIgnoreCase);
        return reused ? $"parent pid {N(parent)}: reused by a newer process"
            : dead ? $"parent pid {N(parent)}: not alive at collection"
            : null;
    }

    private static string VerdictClass(string? verdict) =>
        string.IsNullOrEmpty(verdict) ? "none" : Id("v", verdict.ToLowerInvariant())[2..];

    private static void WriteTreeList(TextWriter writer, TreePicture picture)
    {
        // Nested lists from depths; a child list sits inside its parent's <li>, as HTML requires.
        var current = -1;
        var anchorsLeft = new HashSet<int>(picture.Anchored);
        var baseDepth = picture.Nodes.Min(n => n.Depth);
        foreach (var node in picture.Nodes)
        {
            var depth = Math.Min(Math.Max(0, node.Depth - baseDepth), current + 1);
            if (depth > current)
            {
                writer.Write(current < 0 ? "<ul class=\"tree-list\">\n" : "\n<ul>\n");
            }
            else
            {
                writer.Write("</li>\n");
                for (; current > depth; current--)
                {
                    writer.Write("</ul>\n</li>\n");
                }
            }

            current = depth;
            var verdict = string.IsNullOrEmpty(node.Verdict) ? string.Empty : $" · <strong class=\"badge badge-{VerdictClass(node.Verdict)}\">{E(node.Verdict)}</strong>";
            var note = string.IsNullOrEmpty(node.Note) ? string.Empty : $" · {E(node.Note)}";
            var focus = node.Pid == picture.Tree.FocusPid ? " · <b>(judged)</b>" : string.Empty;
            var id = anchorsLeft.Remove(node.Pid) ? $" id=\"pid-{N(node.Pid)}\"" : string.Empty;
            writer.Write($"<li{id}>pid {N(node.Pid)} {P(node.Name)} · path <span class=\"path\">{P(node.ImagePath)}</span> · session {E(ReportText.Number(node.SessionId))} · parent pid {E(ReportText.Number(node.ParentPid))}{verdict}{note}{focus}");
        }

        for (; current >= 0; current--)
        {
            writer.Write("</li>\n</ul>\n");
        }
    }

    private static string Clip(string text, int length) =>
        text.Length <= Math.Max(20, length) ? text : text[..Math.Max(20, length)] + "…";
}
