using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting;
using CsrssForensics.Reporting.Text;
using CsrssForensics.Reporting.Triage;
using CsrssForensics.Reporting.Wording;
using CsrssForensics.Rules;

namespace CsrssForensics.Analysis.Tests.Wording;

/// <summary>
/// Every format says the same thing: for each shipped fixture, the action and after-cleanup lines of the Markdown
/// and the HTML, read as plain text, are the lines of report.json (folded by path the way every writer folds them), and
/// every coded line's text is its code's wording.
/// </summary>
public sealed partial class FormatAgreementTests
{
    private static readonly RuleSet _rules = RuleSet.LoadEmbedded();

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(RepositoryPaths.Fixture("bundles")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(directory));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Markdown_html_and_json_carry_the_same_action_texts(string scenario)
    {
        // Given the report of a fixture in every format
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        var report = BundleAnalyzer.Analyze(bundle);
        var json = ReportWriter.ToJson(report);
        var markdown = ReportWriter.ToMarkdown(report);
        var html = ReportWriter.ToHtml(report);

        // When the JSON's lines are folded as the writers fold them
        var (doLines, doNotLines, afterLines) = JsonLines(json);

        // Then the Markdown and the HTML show exactly those lines, in that order
        Assert.NotEmpty(doNotLines);
        Assert.NotEmpty(doLines);
        Assert.NotEmpty(afterLines);
        Assert.Equal<string>(doLines, MarkdownList(markdown, "## What to do now", "### What not to do"));
        Assert.Equal<string>(doNotLines, MarkdownList(markdown, "### What not to do", "### After cleanup checklist"));
        Assert.Equal<string>(afterLines, MarkdownList(markdown, "### After cleanup checklist", "\n## "));
        Assert.Equal<string>(doLines, HtmlList(html, "<ol class=\"actions\">", "</ol>"));
        Assert.Equal<string>(doNotLines, HtmlList(html, "<ul class=\"do-not\">", "</ul>"));
        Assert.Equal<string>(afterLines, HtmlList(html, "<h3 id=\"after-cleanup\">After cleanup checklist</h3>\n<ol>", "</ol>"));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_summary_and_capped_reasons_are_their_coded_lines(string scenario)
    {
        // Given a fixture's report.json
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        using var json = JsonDocument.Parse(ReportWriter.ToJson(BundleAnalyzer.Analyze(bundle)));
        var root = json.RootElement;

        // Then the summary is its lines' texts joined, and every coded line (summary, capped reason) is its code's wording
        var lines = root.GetProperty("summaryLines").EnumerateArray().ToList();
        Assert.NotEmpty(lines);
        Assert.Equal(root.GetProperty("summary").GetString(), string.Join(" ", lines.Select(l => l.GetProperty("text").GetString())));
        Assert.All(lines, l => AssertWorded(l, l.GetProperty("text").GetString()!));
        Assert.All(
            root.GetProperty("verdicts").EnumerateArray(),
            v => AssertReason(v.GetProperty("reasonLine"), v.GetProperty("reason").GetString()!));
    }

    // A capped reason is a wording-table line; any other is the rules leaf's reason, filled with the values given.
    private static void AssertReason(JsonElement line, string text)
    {
        var code = line.GetProperty("code").GetString()!;
        if (ReportWording.Entries.ContainsKey(code))
        {
            AssertWorded(line, text);
            return;
        }

        Assert.True(_rules.LeafReasons.TryGetValue(code, out var template), $"reason code {code} is neither a wording entry nor a leaf reason");
        Assert.Equal(line.GetProperty("text").GetString(), text);
        var values = line.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
        Assert.Equal(text, FindingTemplate.Fill(template!, name => (values.TryGetValue(name, out var value), value)));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void The_trust_step_of_every_verdict_is_its_coded_question_and_answer(string scenario)
    {
        // Given a fixture's report.json
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        using var json = JsonDocument.Parse(ReportWriter.ToJson(BundleAnalyzer.Analyze(bundle)));
        var verdicts = json.RootElement.GetProperty("verdicts").EnumerateArray().ToList();

        // Then every verdict's path ends in the trust step, whose question and answer are wording-table lines
        Assert.NotEmpty(verdicts);
        Assert.All(verdicts, v =>
        {
            var step = v.GetProperty("decisionPath").EnumerateArray().Last();
            Assert.Equal("TRUST-010", step.GetProperty("nodeId").GetString());
            AssertWorded(step.GetProperty("questionLine"), step.GetProperty("question").GetString()!);
            AssertWorded(step.GetProperty("answerLine"), step.GetProperty("answer").GetString()!);
            Assert.StartsWith("STEP-TRUST-", step.GetProperty("answerLine").GetProperty("code").GetString(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Not_collected_lines_gaps_and_reasons_are_their_coded_lines(string scenario)
    {
        // Given a fixture's report.json
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        using var json = JsonDocument.Parse(ReportWriter.ToJson(BundleAnalyzer.Analyze(bundle)));
        var root = json.RootElement;

        // Then the not-collected texts are their coded lines' texts, in order, and each is its code's wording
        var notCollected = root.GetProperty("notCollectedLines").EnumerateArray().ToList();
        Assert.Equal(
            root.GetProperty("notCollected").EnumerateArray().Select(t => t.GetString()),
            notCollected.Select(l => l.GetProperty("text").GetString()));
        Assert.All(notCollected, l => AssertWorded(l, l.GetProperty("text").GetString()!));

        // And every gap's message is its code's wording
        Assert.All(root.GetProperty("gaps").EnumerateArray(), g => AssertWorded(g, g.GetProperty("message").GetString()!));

        // And every sibling's reason is made of its coded lines, every program's reasons are its coded lines
        Assert.All(root.GetProperty("sameFolderFiles").EnumerateArray().SelectMany(f => f.GetProperty("files").EnumerateArray()), file =>
        {
            var lines = file.GetProperty("reasonLines").EnumerateArray().ToList();
            Assert.NotEmpty(lines);
            Assert.All(lines, l => AssertWorded(l, l.GetProperty("text").GetString()!));
            Assert.All(lines, l => Assert.Contains(l.GetProperty("text").GetString()!, file.GetProperty("reason").GetString()!, StringComparison.Ordinal));
        });
        var programs = root.GetProperty("hostContext") is { ValueKind: JsonValueKind.Object } context
            ? context.GetProperty("recentPrograms").EnumerateArray().ToList()
            : [];
        Assert.All(programs, program =>
        {
            var lines = program.GetProperty("reasonLines").EnumerateArray().ToList();
            Assert.Equal(program.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()), lines.Select(l => l.GetProperty("text").GetString()));
            Assert.All(lines, l => AssertWorded(l, l.GetProperty("text").GetString()!));
        });
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Markdown_and_html_name_everything_not_collected(string scenario)
    {
        // Given the report of a fixture as JSON, Markdown and HTML
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        var report = BundleAnalyzer.Analyze(bundle);
        using var json = JsonDocument.Parse(ReportWriter.ToJson(report));
        var html = ReportWriter.ToHtml(report);
        var start = html.IndexOf("<strong>Not collected</strong>", StringComparison.Ordinal);

        // Then both show the same lines, and every line of the JSON is in one of them with its last value
        var lines = json.RootElement.GetProperty("notCollectedLines").EnumerateArray().ToList();
        Assert.Equal(lines.Count == 0, start < 0);
        if (lines.Count == 0)
        {
            return;
        }

        var markdown = MarkdownList(ReportWriter.ToMarkdown(report), "**Not collected**", "**Anomalies");
        Assert.NotEmpty(markdown);
        Assert.Equal<string>(markdown, HtmlList(html[start..], "<ul>", "</ul>"));
        Assert.All(lines, line =>
        {
            var last = line.GetProperty("params").EnumerateObject().Last().Value.GetString()!;
            Assert.Contains(markdown, shown => shown.Contains(VisibleText.Make(last), StringComparison.Ordinal));
        });
    }

    private static (List<string> Do, List<string> DoNot, List<string> After) JsonLines(string json)
    {
        using var document = JsonDocument.Parse(json);
        var actions = document.RootElement.GetProperty("actions").EnumerateArray()
            .Select(a =>
            {
                var text = a.GetProperty("text").GetString()!;
                AssertWorded(a, text);
                return new ActionItem(a.GetProperty("kind").GetString()!, text, a.GetProperty("subjectPath").GetString());
            })
            .ToList();
        var doLines = ActionGroups.Of(actions.Where(a => a.Kind == "do")).Select(g => Shown(g.Text)).ToList();
        var doNotLines = ActionGroups.Of(actions.Where(a => a.Kind == "do-not")).Select(g => Shown(g.Text)).ToList();
        var after = document.RootElement.GetProperty("afterCleanup").EnumerateArray()
            .Select(s =>
            {
                var text = s.GetProperty("text").GetString()!;
                AssertWorded(s, text);
                return Shown(text);
            })
            .ToList();
        return (doLines, doNotLines, after);
    }

    // Hidden characters from the bundle are shown the one way every writer shows them (<U+0020>). The note on a
    // mixed-script name is placed after the path in HTML and after the line in Markdown: same words, other place.
    private static string Shown(string text) => WithoutScriptNotes(VisibleText.Make(text));

    private static string WithoutScriptNotes(string text) => ScriptNote().Replace(text, string.Empty);

    private static void AssertWorded(JsonElement line, string text)
    {
        // Every line of an analysed report is coded: the analysis writes no sentence of its own.
        Assert.True(line.TryGetProperty("code", out var code), $"'{text}' has no code");
        var parameters = line.GetProperty("params").EnumerateObject().Select(p => new ItemParameter(p.Name, p.Value.GetString()!));
        Assert.Equal(ReportWording.Render(code.GetString()!, [.. parameters]), text);
    }

    private static List<string> MarkdownList(string markdown, string from, string to)
    {
        var start = markdown.IndexOf(from, StringComparison.Ordinal) + from.Length;
        var end = markdown.IndexOf(to, start, StringComparison.Ordinal);
        return [.. markdown[start..(end < 0 ? markdown.Length : end)]
            .Split('\n')
            .Select(line => ListMarker().Match(line))
            .Where(m => m.Success)
            .Select(m => WithoutScriptNotes(Markdig.Markdown.ToPlainText(m.Groups["item"].Value).Trim()))];
    }

    private static List<string> HtmlList(string html, string from, string to)
    {
        var start = html.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{from}' is not in the HTML");
        start += from.Length;
        var end = html.IndexOf(to, start, StringComparison.Ordinal);
        return [.. ListItem().Matches(html[start..end])
            .Select(m => WithoutScriptNotes(WebUtility.HtmlDecode(Tag().Replace(m.Groups["item"].Value, string.Empty)).Trim()))];
    }

    [GeneratedRegex(@"^(?:\d+\.|-) (?<item>.+)$")]
    private static partial Regex ListMarker();

    [GeneratedRegex("<li[^>]*>(?<item>.*?)</li>", RegexOptions.Singleline)]
    private static partial Regex ListItem();

    [GeneratedRegex(@" \(mixed scripts: [^)]*\)")]
    private static partial Regex ScriptNote();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
