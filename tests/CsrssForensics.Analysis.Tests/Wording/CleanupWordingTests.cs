using System.Text.Json;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Tests.Wording;

/// <summary>
/// The "what to record" cells and the imitation root's action are coded lines: in every fixture's report.json each
/// cell is its lines' texts joined by "; ", and each line is its code's wording filled with its parameters.
/// </summary>
public sealed class CleanupWordingTests
{
    private static readonly string[] _cells = ["parentProcess", "startupSource", "creationDate"];

    // Every shipped fixture, analysed once: most hold no fake and no imitation root, so each check runs over all of
    // them and asserts that it met some rows.
    private static readonly Lazy<List<AnalysisReport>> _reports = new(() =>
        [.. Directory.GetDirectories(RepositoryPaths.Fixture("bundles")).Order(StringComparer.Ordinal).Select(d => Analyze(Path.GetFileName(d)))]);

    [Fact]
    public void Every_record_cell_is_its_coded_lines()
    {
        var rows = 0;
        foreach (var report in _reports.Value)
        {
            using var json = JsonDocument.Parse(ReportWriter.ToJson(report));
            foreach (var row in json.RootElement.GetProperty("recordBeforeCleanup").EnumerateArray())
            {
                rows++;
                AssertWorded(row.GetProperty("signatureLine"), row.GetProperty("signature").GetString()!, "REC-SIGNATURE");
                foreach (var cell in _cells)
                {
                    var lines = row.GetProperty(cell + "Lines").EnumerateArray().ToList();
                    Assert.NotEmpty(lines);
                    Assert.Equal(row.GetProperty(cell).GetString(), string.Join("; ", lines.Select(l => l.GetProperty("text").GetString())));
                    Assert.All(lines, l => AssertWorded(l, l.GetProperty("text").GetString()!, "REC-"));
                }
            }
        }

        Assert.True(rows > 5, $"only {rows} record rows in the fixtures");
    }

    [Fact]
    public void Every_imitation_root_action_is_its_coded_line()
    {
        var roots = 0;
        foreach (var report in _reports.Value)
        {
            using var json = JsonDocument.Parse(ReportWriter.ToJson(report));
            foreach (var root in json.RootElement.GetProperty("rogueRoots").EnumerateArray())
            {
                roots++;
                AssertWorded(root.GetProperty("actionLine"), root.GetProperty("action").GetString()!, "ROOT-REMOVE");
            }
        }

        Assert.True(roots > 0, "no fixture holds an imitation root");
    }

    [Fact]
    public void The_rogue_root_fixture_codes_its_root_and_its_record_rows()
    {
        var report = Analyze("rogue-root-signed");

        var root = Assert.Single(report.RogueRoots);
        Assert.Equal("ROOT-REMOVE-ANCHORING", root.ActionLine?.Code);
        Assert.Equal(["store", "command"], root.ActionLine!.Params.Select(p => p.Name));
        var row = Assert.Single(report.RecordBeforeCleanup);
        Assert.Equal("REC-SIGNATURE", row.SignatureLine?.Code);
        Assert.Equal(["status", "source", "signer", "hostStatus"], row.SignatureLine!.Params.Select(p => p.Name));
        Assert.Equal("REC-PARENT-LIVING", Assert.Single(row.ParentProcessLines).Code);
        Assert.Equal(["REC-FILE-CREATED", "REC-PROCESS-STARTED"], row.CreationDateLines.Select(l => l.Code));
    }

    [Fact]
    public void A_file_only_copy_without_a_launcher_is_recorded_with_coded_absences()
    {
        var report = Analyze("collector-stub");

        var fileOnly = Assert.Single(report.RecordBeforeCleanup, r => r.ParentProcessLines.Any(l => l.Code == "REC-PARENT-NO-PROCESS"));
        Assert.Equal("no running process (file only)", fileOnly.ParentProcess);
        var noLauncher = report.RecordBeforeCleanup.First(r => r.StartupSourceLines.Any(l => l.Code == "REC-STARTUP-NONE"));
        Assert.Equal("none found in the bundle (check tasks, Run keys, services by hand)", noLauncher.StartupSource);
    }

    [Fact]
    public void Every_fake_has_a_removal_action_naming_the_launchers_that_start_it()
    {
        // The Markdown-only "remove with each fake" bullets are gone: the actions, in every format, carry what they said.
        var fakes = 0;
        var started = 0;
        foreach (var report in _reports.Value)
        {
            foreach (var path in report.Verdicts.Where(v => v.Verdict == Verdict.Fake && v.Subject.Path is not null).Select(v => v.Subject.Path!).Distinct())
            {
                fakes++;
                var removal = Assert.Single(report.Actions, a => a.SubjectPath == path && a.Code is "ACT-REMOVE-FAKE" or "ACT-REMOVE-FAKE-NO-LAUNCHER");
                var starters = report.Launchers.Where(l => l.RemoveWith.Contains(path, StringComparer.Ordinal)).ToList();
                if (starters.Count == 0)
                {
                    continue;
                }

                started++;
                Assert.Equal("ACT-REMOVE-FAKE", removal.Code);
                var named = removal.Params.Single(p => p.Name == "launchers").Value;
                Assert.All(starters, l => Assert.Contains($"{l.Kind} '{l.Name}'", named, StringComparison.Ordinal));
            }
        }

        Assert.True(fakes > started && started > 0, $"{fakes} fakes, {started} with a launcher: the fixtures should hold both kinds");
    }

    private static AnalysisReport Analyze(string scenario)
    {
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        return BundleAnalyzer.Analyze(bundle);
    }

    private static void AssertWorded(JsonElement line, string text, string codePrefix)
    {
        var code = line.GetProperty("code").GetString()!;
        Assert.StartsWith(codePrefix, code, StringComparison.Ordinal);
        Assert.Equal(text, line.GetProperty("text").GetString());
        var parameters = line.GetProperty("params").EnumerateObject().Select(p => new ItemParameter(p.Name, p.Value.GetString()!));
        Assert.Equal(ReportWording.Render(code, [.. parameters]), text);
    }
}
