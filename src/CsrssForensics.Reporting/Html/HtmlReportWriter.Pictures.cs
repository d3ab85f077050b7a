using System.Globalization;
using System.Text.RegularExpressions;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;
using static CsrssForensics.Reporting.Html.HtmlText;

namespace CsrssForensics.Reporting.Html;

/// <summary>
/// The two pictures, inline SVG with no script: the process tree around the findings and the incident's timeline.
/// Both are laid out from the model alone (deterministic) and each is followed by its text alternative.
/// </summary>
internal static partial class HtmlReportWriter
{
    // Pictures larger than this are left out (their text alternative is still written): a hostile bundle must not
    // make the page draw without bound.
    private const int MaxPictureRows = 300;
    private const int RowHeight = 26;

    private static void WriteProcessTree(TextWriter writer, AnalysisReport report, ProcessForest forest)
    {
        if (report.ProcessTrees.IsEmpty)
        {
            writer.Write("<p>No process tree: no finding concerns a running process.</p>\n");
            return;
        }

        var lines = forest.Lines;
        if (lines.Count > 0 && lines.Count <= MaxPictureRows)
        {
            var height = (lines.Count * RowHeight) + 8;
            writer.Write($"<svg class=\"tree\" role=\"img\" aria-labelledby=\"tree-title tree-desc\" viewBox=\"0 0 1000 {N(height)}\" width=\"1000\" height=\"{N(height)}\" preserveAspectRatio=\"xMinYMin meet\">\n");
            writer.Write("<title id=\"tree-title\">Process tree around the findings</title>\n");
            writer.Write("<desc id=\"tree-desc\">Each box is a process (pid, name, session); solid lines join a parent to its children, dashed lines mark a parent pid that was reused or is not alive. The list below says the same in text.</desc>\n");
            var lastAtDepth = new Dictionary<int, int>();
            for (var row = 0; row < lines.Count; row++)
            {
                var (depth, node) = lines[row];
                var x = 8 + (depth * 28);
                var y = 4 + (row * RowHeight);
                var dashed = node.Note is { } note && (note.Contains("reuse", StringComparison.OrdinalIgnoreCase) || note.Contains("no living parent", StringComparison.OrdinalIgnoreCase));
                if (depth > 0 && lastAtDepth.TryGetValue(depth - 1, out var parentRow))
                {
                    var px = 8 + ((depth - 1) * 28) + 10;
                    var py = 4 + (parentRow * RowHeight) + 20;
                    writer.Write($"<path class=\"edge\" d=\"M{N(px)} {N(py)} V{N(y + 10)} H{N(x)}\"/>\n");
                }
                else if (dashed)
                {
                    writer.Write($"<path class=\"edge dashed\" d=\"M{N(x - 6)} {N(y + 10)} H{N(x)}\"/>\n");
                }

                lastAtDepth[depth] = row;
                var verdict = string.IsNullOrEmpty(node.Verdict) ? "none" : Id("v", node.Verdict.ToLowerInvariant())[2..];
                var label = $"pid {N(node.Pid)} {node.Name} · session {ReportText.Number(node.SessionId) ?? "?"}{(string.IsNullOrEmpty(node.Verdict) ? string.Empty : " · " + node.Verdict)}{(forest.Focus.Contains(node.Pid) ? " · judged" : string.Empty)}{(string.IsNullOrEmpty(node.Note) ? string.Empty : " · " + node.Note)}";
                writer.Write($"<g class=\"node v-{verdict}{(forest.Focus.Contains(node.Pid) ? " focus" : string.Empty)}{(dashed ? " orphan" : string.Empty)}\"><rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(120, 990 - x))}\" height=\"20\" rx=\"3\"/>");
                writer.Write($"<text x=\"{N(x + 6)}\" y=\"{N(y + 14)}\">{E(Clip(label, 140 - (depth * 3)))}</text></g>\n");
            }

            writer.Write("</svg>\n");
        }
        else if (lines.Count > MaxPictureRows)
        {
            writer.Write($"<p>The tree has {N(lines.Count)} processes, too many to draw; the list follows.</p>\n");
        }

        writer.Write("<p>The processes around every judged process, each once; <b>(judged)</b> marks the processes the trees were drawn around.</p>\n");
        WriteTreeList(writer, forest);
    }

    private static void WriteTreeList(TextWriter writer, ProcessForest forest)
    {
        // Nested lists from depths; a child list sits inside its parent's <li>, as HTML requires.
        var current = -1;
        foreach (var (rawDepth, node) in forest.Lines)
        {
            var depth = Math.Min(rawDepth, current + 1);
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
            var verdict = string.IsNullOrEmpty(node.Verdict) ? string.Empty : $" · <strong class=\"badge badge-{Id("v", node.Verdict.ToLowerInvariant())[2..]}\">{E(node.Verdict)}</strong>";
            var note = string.IsNullOrEmpty(node.Note) ? string.Empty : $" · {E(node.Note)}";
            var focus = forest.Focus.Contains(node.Pid) ? " · <b>(judged)</b>" : string.Empty;
            writer.Write($"<li id=\"pid-{N(node.Pid)}\">pid {N(node.Pid)} {P(node.Name)} · path <span class=\"path\">{P(node.ImagePath)}</span> · session {E(ReportText.Number(node.SessionId))} · parent pid {E(ReportText.Number(node.ParentPid))}{verdict}{note}{focus}");
        }

        for (; current >= 0; current--)
        {
            writer.Write("</li>\n</ul>\n");
        }
    }

    private static void WriteTimeline(TextWriter writer, AnalysisReport report)
    {
        var events = Timeline(report);
        writer.Write("<h3 id=\"timeline\">Timeline</h3>\n");
        if (events.Count == 0)
        {
            writer.Write("<p>The bundle gives no time for any event.</p>\n");
            return;
        }

        if (events.Count <= MaxPictureRows)
        {
            var height = (events.Count * 22) + 12;
            writer.Write($"<svg class=\"timeline\" role=\"img\" aria-labelledby=\"timeline-title timeline-desc\" viewBox=\"0 0 1000 {N(height)}\" width=\"1000\" height=\"{N(height)}\" preserveAspectRatio=\"xMinYMin meet\">\n");
            writer.Write("<title id=\"timeline-title\">Incident timeline</title>\n<desc id=\"timeline-desc\">Events in time order, earliest at the top, each with its UTC time; the table below lists the same events.</desc>\n");
            writer.Write($"<path class=\"axis\" d=\"M190 4 V{N(height - 4)}\"/>\n");
            for (var i = 0; i < events.Count; i++)
            {
                var (time, kind, label) = events[i];
                var y = 14 + (i * 22);
                writer.Write($"<g class=\"event e-{kind}\"><text class=\"when\" x=\"4\" y=\"{N(y + 4)}\">{ReportText.Utc(time)}</text><circle cx=\"190\" cy=\"{N(y)}\" r=\"6\"/><text x=\"204\" y=\"{N(y + 4)}\">{E(Clip(label, 120))}</text></g>\n");
            }

            writer.Write("</svg>\n");
        }

        writer.Write("<table class=\"timeline-table\">\n<thead><tr><th scope=\"col\">Time (UTC)</th><th scope=\"col\">Event</th></tr></thead>\n<tbody>\n");
        foreach (var (time, _, label) in events)
        {
            writer.Write($"<tr><td>{ReportText.Utc(time)}</td><td>{E(label)}</td></tr>\n");
        }

        writer.Write("</tbody>\n</table>\n<p>Task registration, task last-run and Run-value write times are drawn only where the bundle records them; this bundle format does not.</p>\n");
    }

    // "file created 2026-11-18T21:39:58Z; process started ..." as the composer writes a record row's creation date.
    private static readonly Regex _datedPhrase = new(
        @"([A-Za-z][A-Za-z ]{0,40}?) (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?Z)",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static List<(DateTimeOffset Time, string Kind, string Label)> Timeline(AnalysisReport report)
    {
        var events = new List<(DateTimeOffset, string, string)>();
        if (report.Host?.BootTimeUtc is { } boot)
        {
            events.Add((boot, "host", "host booted"));
        }

        if (report.Bundle.CollectedAtUtc is { } collected)
        {
            events.Add((collected, "collection", "evidence collected"));
        }

        foreach (var row in report.RecordBeforeCleanup.Take(MaxPictureRows))
        {
            // The composer writes a few short phrases here; a longer text is not one of them and is not searched.
            var text = row.CreationDate ?? string.Empty;
            foreach (Match match in _datedPhrase.Matches(text.Length > 1024 ? text[..1024] : text).Take(8))
            {
                if (DateTimeOffset.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    var phrase = match.Groups[1].Value.Trim();
                    events.Add((time, phrase.StartsWith("process", StringComparison.Ordinal) ? "process" : "file", $"{phrase}: {row.FullPath}"));
                }
            }
        }

        foreach (var row in report.HostContext?.DefenderDetections ?? [])
        {
            if (row.Detection.InitialDetectionUtc is { } detected)
            {
                events.Add((detected, "defender", $"Defender detected {row.Detection.ThreatName}"));
            }

            if (row.Detection.RemediationUtc is { } remediated)
            {
                events.Add((remediated, "defender", $"Defender remediated {row.Detection.ThreatName}"));
            }
        }

        foreach (var row in report.HostContext?.RecentPrograms ?? [])
        {
            if (DateTimeOffset.TryParseExact(row.Program.InstallDateText, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var installed))
            {
                events.Add((installed, "program", $"program installed (day only): {row.Program.Name}"));
            }
        }

        return [.. events.OrderBy(e => e.Item1).ThenBy(e => e.Item3, StringComparer.Ordinal).Take(MaxPictureRows * 4)];
    }

    private static string Clip(string text, int length) =>
        text.Length <= Math.Max(20, length) ? text : text[..Math.Max(20, length)] + "…";
}
