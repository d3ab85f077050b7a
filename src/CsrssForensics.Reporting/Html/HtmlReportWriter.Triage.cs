using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Markdown;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;
using static CsrssForensics.Reporting.Html.HtmlText;

namespace CsrssForensics.Reporting.Html;

/// <summary>The triage parts of the page: actions, findings and their evidence, launchers, folded legitimate verdicts.</summary>
internal static partial class HtmlReportWriter
{
    private static string N(int value) => ReportText.Number(value);

    private static string VerdictBadge(Verdict verdict) =>
        $"<strong class=\"badge badge-{ReportText.Name(verdict)}\">{ReportText.Name(verdict)}</strong>";

    private static string EvidenceList(IEnumerable<EvidenceRef> evidence)
    {
        var items = evidence.Select(e => E(ReportText.Evidence(e))).ToList();
        return items.Count == 0 ? Missing : string.Join("; ", items);
    }

    private static string NodeLink(string nodeId) => $"<a href=\"#{Id("node", nodeId)}\">{E(nodeId)}</a>";

    private static void WriteActions(TextWriter writer, AnalysisReport report)
    {
        var doItems = ActionGroups.Of(report.Actions.Where(a => !MarkdownReportWriter.IsDoNotKind(a.Kind)));
        var doNot = ActionGroups.Of(report.Actions.Where(a => MarkdownReportWriter.IsDoNotKind(a.Kind)));
        writer.Write("<ol class=\"actions\">\n");
        var number = 0;
        foreach (var action in doItems)
        {
            number++;
            writer.Write($"<li id=\"action-{N(number)}\">{KindPrefix(action.Kind)}{ActionHtml(action)}</li>\n");
        }

        writer.Write("</ol>\n<h3 id=\"do-not\">What not to do</h3>\n<ul class=\"do-not\">\n");
        foreach (var action in doNot)
        {
            writer.Write($"<li>{KindPrefix(action.Kind)}{ActionHtml(action)}</li>\n");
        }

        writer.Write("</ul>\n<h3 id=\"after-cleanup\">After cleanup checklist</h3>\n");
        if (report.AfterCleanup.IsEmpty)
        {
            writer.Write("<p>No cleanup step was produced for this bundle.</p>\n");
            return;
        }

        writer.Write("<ol>\n");
        foreach (var step in report.AfterCleanup)
        {
            writer.Write($"<li>{E(step.Text)}</li>\n");
        }

        writer.Write("</ol>\n");
    }

    private static string KindPrefix(string? kind) =>
        kind is not null && (kind.Equals("do", StringComparison.OrdinalIgnoreCase) || MarkdownReportWriter.IsDoNotKind(kind))
            ? string.Empty
            : $"({E(kind)}) ";

    private static string ActionHtml(ActionGroup action)
    {
        // Before and After are pieces of one sentence: the space that joins them to the paths is ordinary text.
        var html = Piece(action.Before)
            + string.Join(", ", action.Paths.Select(p => $"<code class=\"path\">{P(p)}</code>"))
            + Piece(action.After);
        return string.IsNullOrEmpty(action.AppliesTo) ? html : html + $" (applies to <code class=\"path\">{P(action.AppliesTo)}</code>)";
    }

    private static string Piece(string text)
    {
        var trimmed = text.Trim(' ');
        if (trimmed.Length == 0)
        {
            return text.Length == 0 ? string.Empty : " ";
        }

        return (text[0] == ' ' ? " " : string.Empty) + E(trimmed) + (text[^1] == ' ' ? " " : string.Empty);
    }

    private static void WriteFindings(TextWriter writer, TriageView view, HashSet<int> treePids)
    {
        if (view.Findings.IsEmpty)
        {
            writer.Write("<p>No fake, suspicious or inconclusive verdict.</p>\n");
            return;
        }

        writer.Write("<p>Verdict rows link to their evidence; node IDs link to the decision-tree question they asked. <strong>Evidence strength</strong>: verified offline (the bundle's bytes, checked against pinned roots), host-reported (the suspect host's own check, which it can forge) or none. Only a verdict verified offline can be legitimate.</p>\n");
        WriteVerdictTable(writer, view.Findings, treePids, reasonsAbove: false);
    }

    private static void WriteVerdictTable(TextWriter writer, IEnumerable<NumberedVerdict> rows, HashSet<int> treePids, bool reasonsAbove)
    {
        writer.Write("<table class=\"verdicts\">\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Subject</th><th scope=\"col\">PID</th><th scope=\"col\">Path</th>");
        writer.Write("<th scope=\"col\">Verdict</th>");
        writer.Write("<th scope=\"col\">Evidence strength</th><th scope=\"col\">Reason</th><th scope=\"col\">Signature</th><th scope=\"col\">Decision path</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
        foreach (var n in rows)
        {
            var v = n.Verdict;
            var number = n.Verdict.Verdict is Verdict.Fake or Verdict.Suspicious
                ? $"<a href=\"#v-{N(n.Number)}-evidence\">#{N(n.Number)}</a>"
                : $"#{N(n.Number)}";
            var pid = v.Subject.Pid is not { } p ? Missing : treePids.Contains(p) ? $"<a href=\"#pid-{N(p)}\">{N(p)}</a>" : N(p);
            var reason = reasonsAbove ? "see above" : n.SameReasonAs is { } first ? $"as <a href=\"#v-{N(first)}\">#{N(first)}</a>" : E(v.Reason);
            var signature = v.Signature is null ? "none" : $"{ReportText.Name(v.Signature.Status)} ({ReportText.Name(v.Signature.Source)})";
            var path = v.DecisionPath.IsEmpty ? Missing : string.Join(" → ", v.DecisionPath.Select(s => NodeLink(s.NodeId)));
            writer.Write($"<tr id=\"v-{N(n.Number)}\" class=\"row-{ReportText.Name(v.Verdict)}\"><td>{number}</td><td>{ReportText.Name(v.Subject.Kind)} {P(v.Subject.Name)}</td><td>{pid}</td><td class=\"path\">{P(v.Subject.Path)}</td>");
            writer.Write($"<td>{VerdictBadge(v.Verdict)}</td>");
            writer.Write($"<td class=\"strength-{ReportText.Name(v.Strength)}\">{ReportText.Strength(v.Strength)}</td><td>{reason}</td><td>{signature}</td><td>{path}</td><td>{EvidenceList(v.Evidence)}</td></tr>\n");
        }

        writer.Write("</tbody>\n</table>\n");
    }

    private static void WriteFindingDetails(TextWriter writer, TriageView view, HashSet<int> treePids)
    {
        var detailed = view.Findings.Where(MarkdownReportWriter.NeedsDetail).ToList();
        if (detailed.Count == 0)
        {
            writer.Write("<p>No fake or suspicious verdict: the findings table holds every verdict's reason, decision path and evidence.</p>\n");
        }

        foreach (var n in detailed)
        {
            var v = n.Verdict;
            var pid = v.Subject.Pid is { } p ? $" (pid {N(p)})" : string.Empty;
            writer.Write($"<article id=\"v-{N(n.Number)}-evidence\" class=\"detail row-{ReportText.Name(v.Verdict)}\">\n");
            writer.Write($"<h3><a href=\"#v-{N(n.Number)}\">#{N(n.Number)}</a> {ReportText.Name(v.Subject.Kind)} {P(v.Subject.Name)}{pid}: {VerdictBadge(v.Verdict)}</h3>\n");
            writer.Write($"<p><b>Path:</b> <code class=\"path\">{P(v.Subject.Path)}</code> · <b>Evidence strength:</b> {ReportText.Strength(v.Strength)}</p>\n<p><b>Reason:</b> {E(v.Reason)}</p>\n");
            writer.Write("<ol class=\"decision\">\n");
            foreach (var step in v.DecisionPath)
            {
                writer.Write($"<li>{NodeLink(step.NodeId)}: {E(step.Question)} → <b>{E(step.Answer)}</b></li>\n");
            }

            writer.Write("</ol>\n");
            WriteFindingList(writer, $"v-{N(n.Number)}-f", v.Findings);
            writer.Write($"<p><b>Signature:</b> {SignatureText(v.Signature)}</p>\n<p><b>Evidence:</b> {EvidenceList(v.Evidence)}</p>\n");
            if (v.Subject.Pid is { } focus && treePids.Contains(focus))
            {
                writer.Write($"<p><a href=\"#pid-{N(focus)}\">Process tree around pid {N(focus)}</a></p>\n");
            }

            writer.Write("</article>\n");
        }

        var others = view.Findings.Where(n => !MarkdownReportWriter.NeedsDetail(n) && !n.Verdict.Findings.IsEmpty).ToList();
        if (others.Count > 0)
        {
            writer.Write("<h3 id=\"other-findings\">Findings of the other verdicts</h3>\n<ul class=\"findings\">\n");
            foreach (var group in others.SelectMany(n => n.Verdict.Findings.Select(f => (n.Number, Finding: f)))
                         .GroupBy(p => (p.Finding.Code, p.Finding.Severity, p.Finding.Title, p.Finding.Detail)))
            {
                var numbers = string.Join(", ", group.Select(p => $"<a href=\"#v-{N(p.Number)}\">#{N(p.Number)}</a>"));
                writer.Write($"<li id=\"{Id("finding", $"{group.First().Number}-{group.Key.Code}")}\">{numbers}: <b>{E(group.Key.Code)}</b> ({ReportText.Name(group.Key.Severity)}): {E(group.Key.Title)}. {E(group.Key.Detail)} Evidence: {EvidenceList(group.SelectMany(p => p.Finding.Evidence).Distinct())}</li>\n");
            }

            writer.Write("</ul>\n");
        }
    }

    private static void WriteFindingList(TextWriter writer, string idPrefix, IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        writer.Write("<ul class=\"findings\">\n");
        for (var i = 0; i < findings.Count; i++)
        {
            var f = findings[i];
            writer.Write($"<li id=\"{idPrefix}{N(i + 1)}\" class=\"sev-{ReportText.Name(f.Severity)}\"><b>{E(f.Code)}</b> ({ReportText.Name(f.Severity)}): {E(f.Title)}. {E(f.Detail)} Evidence: {EvidenceList(f.Evidence)}</li>\n");
        }

        writer.Write("</ul>\n");
    }

    private static string SignatureText(SignatureEvidence? s)
    {
        if (s is null)
        {
            return "no signature information: treat the file as unverified.";
        }

        var text = $"{ReportText.Name(s.Status)} (source {ReportText.Name(s.Source)}), signer {E(s.SignerSubject)} (thumbprint {E(s.SignerThumbprint)}), issuer {E(s.IssuerSubject)}, root {E(s.RootSubject)}"
            + (s.ChainTrusted is null ? string.Empty : $", root origin {ReportText.Name(s.RootOrigin)}{(s.PublisherKnown ? " (publisher known)" : string.Empty)}")
            + $", timestamp {E(ReportText.Utc(s.TimestampUtc))}, catalog {E(s.CatalogFile)}, Authenticode SHA-256 {E(s.AuthenticodeSha256)}, host-reported status {E(s.HostStatus)}.";
        if (SignatureAgreement.Disagrees(s))
        {
            text += $" <b>Disagreement:</b> the suspect host reported {E(s.HostStatus)}, the offline check found {ReportText.Name(s.Status)}; the offline result is used.";
        }

        return text + string.Concat(s.Notes.Select(note => $" <b>Note:</b> {E(note)}")) + $" Evidence: {EvidenceList(s.Evidence)}";
    }

    private static void WriteLaunchers(TextWriter writer, AnalysisReport report)
    {
        writer.Write("<p>A fake copy comes back unless the task, Run key, service or startup item that starts it is removed too.</p>\n");
        if (report.Launchers.IsEmpty)
        {
            writer.Write("<p>No launcher of a judged subject was found.</p>\n");
            return;
        }

        writer.Write("<table>\n<thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Name</th><th scope=\"col\">Location</th><th scope=\"col\">Command</th><th scope=\"col\">Runs</th><th scope=\"col\">Remove with</th><th scope=\"col\">Findings</th><th scope=\"col\">Evidence</th></tr></thead>\n<tbody>\n");
        var number = 0;
        foreach (var l in report.Launchers)
        {
            number++;
            var removeWith = l.RemoveWith.IsEmpty ? "investigate (starts no fake)" : string.Join("; ", l.RemoveWith.Select(P));
            var findings = l.Findings.IsEmpty ? Missing : string.Join("<br>", l.Findings.Select(f => $"<b>{E(f.Code)}</b> ({ReportText.Name(f.Severity)}): {E(f.Title)}. {E(f.Detail)}"));
            writer.Write($"<tr id=\"launcher-{N(number)}\" class=\"{(l.RemoveWith.IsEmpty ? "row-inconclusive" : "row-fake")}\"><td>{E(l.Kind)}</td><td>{E(l.Name)}</td><td class=\"path\">{P(l.Location)}</td><td class=\"path\">{P(l.Command)}</td><td class=\"path\">{P(l.ResolvedTarget)}</td><td class=\"path\">{removeWith}</td><td>{findings}</td><td>{E(ReportText.Evidence(l.Evidence))}</td></tr>\n");
        }

        writer.Write("</tbody>\n</table>\n");
    }

    private static void WriteLegitimate(TextWriter writer, TriageView view, HashSet<int> treePids)
    {
        writer.Write($"<section id=\"legitimate\">\n<h2>Legitimate verdicts</h2>\n");
        if (view.Legitimate.IsEmpty)
        {
            writer.Write("<p>No verdict is legitimate.</p>\n</section>\n");
            return;
        }

        writer.Write($"<details>\n<summary>Show the {N(view.Legitimate.Length)} legitimate verdicts</summary>\n");
        foreach (var group in view.Legitimate.GroupBy(n => n.Verdict.Reason, StringComparer.Ordinal))
        {
            writer.Write($"<p><b>Why legitimate ({string.Join(", ", group.Select(n => "#" + N(n.Number)))}):</b> {E(group.Key)}</p>\n");
        }

        // The reason is written once above the table, not once per row.
        WriteVerdictTable(writer, view.Legitimate, treePids, reasonsAbove: true);
        foreach (var n in view.Legitimate.Where(n => !n.Verdict.Findings.IsEmpty))
        {
            writer.Write($"<p><b>Findings of #{N(n.Number)}</b></p>\n");
            WriteFindingList(writer, $"v-{N(n.Number)}-f", n.Verdict.Findings);
        }

        writer.Write("</details>\n</section>\n");
    }

    private static void WriteNodes(TextWriter writer, TriageView view)
    {
        writer.Write("<section id=\"nodes\">\n<h2>Decision-tree nodes used</h2>\n");
        if (view.Nodes.IsEmpty)
        {
            writer.Write("<p>No decision path was recorded.</p>\n</section>\n");
            return;
        }

        writer.Write("<table>\n<thead><tr><th scope=\"col\">Node</th><th scope=\"col\">Question</th><th scope=\"col\">References</th></tr></thead>\n<tbody>\n");
        foreach (var step in view.Nodes)
        {
            writer.Write($"<tr id=\"{Id("node", step.NodeId)}\"><td>{E(step.NodeId)}</td><td>{E(step.Question)}</td><td>{(step.References.IsEmpty ? Missing : string.Join(", ", step.References.Select(E)))}</td></tr>\n");
        }

        writer.Write("</tbody>\n</table>\n</section>\n");
    }
}
