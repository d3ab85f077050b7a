using System.Collections.Immutable;
using System.Text.Json;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Tests.Support;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Reporting.Tests.Wording;

/// <summary>
/// Items that carry a coded line beside their text (an imitation root's action, a "what to record" cell) are shown
/// from the code and its parameters by every writer; an item built without one shows its stored text.
/// </summary>
public sealed class ModelWordingTests
{
    private const string Store = "TestStore";
    private const string Command = "certutil -delstore TestStore 00AA";
    private const string Stale = "stale text the writers must not show";

    private static readonly string _rendered = $"Record it, then remove it from {Store} ({Command})";

    [Fact]
    public void Every_writer_renders_the_root_action_from_its_code_and_parameters()
    {
        // Given a root whose stored texts are stale but whose coded line names ROOT-REMOVE with a store and command
        var line = ReportWording.Line("ROOT-REMOVE", ("store", Store), ("command", Command)) with { Text = Stale };
        var report = WithFirstRoot(r => r with { Action = Stale, ActionLine = line });

        // Then Markdown, HTML and CSV show the table's wording of that code
        foreach (var text in new[] { ReportWriter.ToMarkdown(report), ReportWriter.ToHtml(report), ReportWriter.ToCsv(report) })
        {
            Assert.Contains(_rendered, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Stale, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_root_built_without_a_coded_line_shows_its_stored_action()
    {
        var report = WithFirstRoot(r => r with { Action = "Remove it by hand", ActionLine = null });

        Assert.Contains("**Action:** Remove it by hand.", ReportWriter.ToMarkdown(report), StringComparison.Ordinal);
        Assert.Contains("action: Remove it by hand", ReportWriter.ToCsv(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_carries_the_root_action_code_and_parameters()
    {
        var line = ReportWording.Line("ROOT-REMOVE-ANCHORING", ("store", Store), ("command", null));
        var report = WithFirstRoot(r => r with { Action = line.Text, ActionLine = line });

        using var json = JsonDocument.Parse(ReportWriter.ToJson(report));
        var actionLine = json.RootElement.GetProperty("rogueRoots")[0].GetProperty("actionLine");

        Assert.Equal("ROOT-REMOVE-ANCHORING", actionLine.GetProperty("code").GetString());
        Assert.Equal(Store, actionLine.GetProperty("params").GetProperty("store").GetString());
        Assert.False(actionLine.GetProperty("params").TryGetProperty("command", out _));
        Assert.Equal($"Record it, then remove it from {Store} and treat every file whose signature it anchors as unsigned", actionLine.GetProperty("text").GetString());
    }

    [Fact]
    public void The_record_table_shows_each_cell_from_its_coded_lines()
    {
        // Given a row whose stored cells are stale but whose coded lines say otherwise
        var signature = ReportWording.Line("REC-SIGNATURE", ("status", "NotSigned"), ("source", "Offline"), ("signer", null), ("hostStatus", "Valid"));
        ImmutableArray<ReportLine> parents =
        [
            ReportWording.Line("REC-PARENT-LIVING", ("parent", "explorer.exe"), ("parentPid", "3120"), ("pid", "6400")),
            ReportWording.Line("REC-PARENT-PID-REUSED", ("parentPid", "500"), ("pid", "512")),
        ];
        var report = SampleReports.Rich() with
        {
            RecordBeforeCleanup = [.. SampleReports.Rich().RecordBeforeCleanup.Take(1).Select(r => r with
            {
                Signature = Stale,
                ParentProcess = Stale,
                SignatureLine = signature,
                ParentProcessLines = parents,
                StartupSourceLines = [ReportWording.Line("REC-STARTUP-NONE")],
                CreationDateLines = [ReportWording.Line("REC-FILE-CREATED-NOT-COLLECTED")],
            })],
        };

        var markdown = ReportWriter.ToMarkdown(report);

        Assert.Contains("| NotSigned (Offline); host said Valid |", markdown, StringComparison.Ordinal);
        Assert.Contains(
            "| explorer.exe (pid 3120) for pid 6400; no living parent: parent pid 500 was reused by a later process (pid 512) |",
            markdown,
            StringComparison.Ordinal);
        Assert.Contains("| none found in the bundle (check tasks, Run keys, services by hand) | file creation time not collected |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(Stale, markdown, StringComparison.Ordinal);
    }

    private static AnalysisReport WithFirstRoot(Func<RogueRootFinding, RogueRootFinding> change)
    {
        var report = SampleReports.Rich();
        Assert.NotEmpty(report.RogueRoots);
        return report with { RogueRoots = [change(report.RogueRoots[0]), .. report.RogueRoots.Skip(1)] };
    }
}
