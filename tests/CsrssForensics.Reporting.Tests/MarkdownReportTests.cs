using System.Collections.Immutable;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Tests.Support;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Reporting.Tests;

public sealed class MarkdownReportTests
{
    private static readonly string[] _sectionOrder =
    [
        "# csrss.exe forensic report: ",
        "## What to do now\n",
        "### What not to do\n",
        "### After cleanup checklist\n",
        "## Findings\n",
        "## Evidence for each finding\n",
        "## Launchers to remove with each fake\n",
        "## What to record before cleanup\n",
        "## Other files in the same folder\n",
        "## Host context\n",
        "## Resource usage\n",
        "## Process tree\n",
        "## Integrity and host\n",
        "## Not examined, not collected, anomalies\n",
        "## Legitimate verdicts\n",
        "## Reference: reading csrss.exe evidence\n",
    ];

    [Fact]
    public void Sections_appear_in_triage_order()
    {
        var markdown = ReportWriter.ToMarkdown(SampleReports.Rich());

        var positions = _sectionOrder.Select(heading => markdown.IndexOf(heading, StringComparison.Ordinal)).ToList();

        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order().ToList(), positions);
        Assert.StartsWith("# csrss.exe forensic report: WS-0147\\_2026-03-01\n\n**Overall status:** **compromised** · **Integrity:** **failed** · **Verdicts:** 2 fake, 0 suspicious, 1 inconclusive, 2 legitimate · **Evidence behind the verdicts:** 0 verified offline", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_integrity_finding_is_listed_in_the_integrity_section()
    {
        var markdown = ReportWriter.ToMarkdown(SampleReports.Rich());
        var integrity = Between(markdown, "## Integrity and host", "**Host:**");

        Assert.Contains("**Integrity:** **failed**", integrity, StringComparison.Ordinal);
        Assert.Contains("| changed | processes.csv | SHA-256 differs from the manifest | manifest.json \\[3\\] (files\\[2\\].sha256) |", integrity, StringComparison.Ordinal);
        Assert.Contains("| extra | binaries/extra.bin | Not listed in the manifest | binaries/extra.bin |", integrity, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_are_listed_worst_first_and_a_repeated_reason_is_written_once()
    {
        var report = SampleReports.Rich();
        var inconclusive = report.Verdicts.Single(v => v.Verdict == Verdict.Inconclusive);
        var fake = report.Verdicts.First(v => v.Verdict == Verdict.Fake);
        report = report with { Verdicts = [inconclusive, fake, fake with { Subject = fake.Subject with { Pid = 4243 } }] };

        var findings = Between(ReportWriter.ToMarkdown(report), "## Findings", "## Evidence for each finding");

        Assert.Contains("| 1 | process csrss.exe | 4242 |", findings, StringComparison.Ordinal);
        Assert.Contains("| 2 | process csrss.exe | 4243 |", findings, StringComparison.Ordinal);
        Assert.Contains("| 3 | process csrss.exe | 5120 |", findings, StringComparison.Ordinal);
        Assert.Contains("| as #1 |", findings, StringComparison.Ordinal);
        Assert.Equal(2, findings.Split("csrss.exe runs from a user-writable folder and is not signed by Microsoft.").Length);
    }

    [Fact]
    public void Verdict_detail_shows_decision_path_evidence_findings_and_signature_disagreement()
    {
        var markdown = ReportWriter.ToMarkdown(SampleReports.Rich());
        var fake = Between(markdown, "### #1 process csrss.exe (pid 4242): fake", "### #2 ");
        var legitimate = Between(markdown, "## Legitimate verdicts", "## Reference");

        Assert.Contains("**Decision path:** CSR-010 (Is the image in %SystemRoot%\\System32?) no → ", fake, StringComparison.Ordinal);
        Assert.Contains("**Evidence:** processes.csv row 7; files.csv row 4", fake, StringComparison.Ordinal);
        Assert.Contains("CSR-LAUNCH-TASK (high): Launched by a scheduled task.", fake, StringComparison.Ordinal);
        Assert.Contains("host-reported status Valid. **Disagreement:** the suspect host reported Valid, the offline check found notSigned.", fake, StringComparison.Ordinal);
        Assert.Contains("**Signature evidence:** binaries/9f2c1e0d.bin @0x3c", fake, StringComparison.Ordinal);
        Assert.Contains("**Why legitimate (#4):** System32 copy signed by Microsoft through a catalog.", legitimate, StringComparison.Ordinal);
        Assert.Contains("| 4 | process csrss.exe | 612 | C:\\Windows\\System32\\csrss.exe | none (nothing verified) | microsoftSigned (offlineCatalog) | CSR-010 → CSR-020 |", legitimate, StringComparison.Ordinal);
        Assert.DoesNotContain("Disagreement", legitimate, StringComparison.Ordinal);
    }

    [Fact]
    public void Launchers_are_listed_with_the_fake_they_start()
    {
        var markdown = ReportWriter.ToMarkdown(SampleReports.Rich());
        var launchers = Between(markdown, "## Launchers to remove with each fake", "## What to record before cleanup");

        Assert.Contains(
            "| scheduled-task | \\Microsoft\\Windows\\WinUpdateSvc | C:\\Windows\\System32\\Tasks\\Microsoft\\Windows\\WinUpdateSvc | cmd.exe /c start \"\" \"%APPDATA%\\Microsoft\\csrss.exe\" | C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\csrss.exe | C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\csrss.exe | tasks/Microsoft/Windows/WinUpdateSvc.xml (Exec action 1) |",
            launchers,
            StringComparison.Ordinal);
        Assert.Contains("| run-key | OneDrive |", launchers, StringComparison.Ordinal);
        Assert.Contains("investigate (starts no fake)", launchers, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fake_without_a_known_launcher_says_to_check_by_hand_in_every_format()
    {
        // The advice is the analysis's action (ACT-REMOVE-FAKE-NO-LAUNCHER), not a sentence only the Markdown adds.
        const string Fake = @"C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe";
        var report = SampleReports.Rich() with
        {
            Launchers = [],
            Actions = [ReportWording.Action("ACT-REMOVE-FAKE-NO-LAUNCHER", Fake, ("path", Fake))],
        };
        const string Advice = "No launcher was found in the bundle: check scheduled tasks, Run keys, services and the Startup folders by hand.";

        Assert.Contains(Advice, Between(ReportWriter.ToMarkdown(report), "## What to do now", "### What not to do"), StringComparison.Ordinal);
        Assert.Contains(Advice, ReportWriter.ToHtml(report), StringComparison.Ordinal);
        Assert.Contains(Advice, ReportWriter.ToJson(report), StringComparison.Ordinal);
    }

    [Fact]
    public void What_not_to_do_always_protects_the_System32_csrss_even_without_actions()
    {
        var report = SampleReports.Rich() with { Actions = [] };

        var doNot = Between(ReportWriter.ToMarkdown(report), "### What not to do", "### After cleanup checklist");

        Assert.Contains("- Do not end or delete the System32 csrss.exe: ending the real process crashes Windows or forces a restart.", doNot, StringComparison.Ordinal);
        Assert.Contains("repair Windows offline instead (sfc /scannow, DISM)", doNot, StringComparison.Ordinal);
    }

    [Fact]
    public void Actions_go_under_do_or_do_not_with_their_subject()
    {
        var markdown = ReportWriter.ToMarkdown(SampleReports.Rich());
        var doSection = Between(markdown, "## What to do now", "### What not to do");
        var doNot = Between(markdown, "### What not to do", "### After cleanup checklist");

        Assert.Contains("1. Remove the scheduled task \\Microsoft\\Windows\\WinUpdateSvc and then the fake copy. (applies to C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\csrss.exe)", doSection, StringComparison.Ordinal);
        Assert.Contains("- Do not end or delete the System32 csrss.exe (pid 612 and 700): it is the real Windows process. (applies to C:\\Windows\\System32\\csrss.exe)", doNot, StringComparison.Ordinal);
        Assert.DoesNotContain("Do not end", doSection, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_before_cleanup_has_path_signature_parent_startup_source_and_creation_date()
    {
        var section = Between(ReportWriter.ToMarkdown(SampleReports.Rich()), "## What to record before cleanup", "## Other files in the same folder");

        Assert.Contains("| Full path | Signature | Parent process | Startup source | Creation date | Evidence |", section, StringComparison.Ordinal);
        Assert.Contains("| C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\csrss.exe | not signed (offline); host claimed Valid | svchost.exe (pid 1188,", section, StringComparison.Ordinal);
        Assert.Contains("| scheduled task \\Microsoft\\Windows\\WinUpdateSvc | 2026-02-27T22:41:09Z |", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_tree_is_indented_by_depth_and_marks_the_judged_processes()
    {
        var tree = Between(ReportWriter.ToMarkdown(SampleReports.Rich()), "## Process tree", "## Integrity and host");

        Assert.Contains("\n- pid 1188 svchost.exe", tree, StringComparison.Ordinal);
        Assert.Contains("\n  - pid 4242 csrss.exe", tree, StringComparison.Ordinal);
        Assert.Contains("· **fake** · **(judged)**", tree, StringComparison.Ordinal);
        Assert.Contains("\n    - pid 4388 conhost.exe", tree, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_process_trees_draw_each_process_once()
    {
        var report = SampleReports.Rich();
        var tree = report.ProcessTrees.Single(t => t.FocusPid == 4242);
        report = report with { ProcessTrees = [tree, tree with { FocusPid = 4388 }] };

        var section = Between(ReportWriter.ToMarkdown(report), "## Process tree", "## Integrity and host");

        Assert.Single(section.Split("- pid 4242 csrss.exe").Skip(1));
        Assert.Contains("- pid 4388 conhost.exe · path C:\\Windows\\System32\\conhost.exe · session 1 · parent pid 4242 · **(judged)**", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Actions_that_differ_only_in_their_path_are_one_line()
    {
        var report = SampleReports.Rich() with
        {
            Actions =
            [
                new ActionItem("do", "Collect the binary of C:\\A\\x.exe and analyse again.", "C:\\A\\x.exe"),
                new ActionItem("do", "Collect the binary of C:\\B\\y.exe and analyse again.", "C:\\B\\y.exe"),
            ],
        };

        var doSection = Between(ReportWriter.ToMarkdown(report), "## What to do now", "### What not to do");

        Assert.Contains("1. Collect the binary of C:\\A\\x.exe, C:\\B\\y.exe and analyse again.\n2. Act only on", doSection, StringComparison.Ordinal);
    }

    [Fact]
    public void Resource_usage_is_shown_only_when_present()
    {
        var rich = ReportWriter.ToMarkdown(SampleReports.Rich());
        var clean = ReportWriter.ToMarkdown(SampleReports.Clean());

        Assert.Contains("| 1376 | dwm.exe | C:\\Windows\\System32\\dwm.exe | 3.25 | 34.5 | 116.0 MiB | processes.csv row 5 |", rich, StringComparison.Ordinal);
        Assert.DoesNotContain("## Resource usage", clean, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_uninitialised_lists_renders_every_format()
    {
        // A stage that forgot to fill a list must not crash the writers.
        var report = new AnalysisReport(
            "1.0",
            new ToolInfo("CsrssForensics", "0.1.0", "r1"),
            new BundleInfo("empty", null, null, null, null, null),
            new HostSummary(null, null, null, null, null, default),
            OverallStatus.Suspicious,
            "Nothing could be judged.",
            new IntegrityReport(IntegrityStatus.Unverified, null, default),
            [new SubjectVerdict(new Subject(SubjectKind.File, "csrss.exe", null, null), Verdict.Inconclusive, "no data", default, default, default,
                new SignatureEvidence(SignatureStatus.Unknown, SignatureSource.None, null, null, null, null, null, null, null, null, null, default, default))],
            default, default, default, default, default, default, default, default, default);

        var markdown = ReportWriter.ToMarkdown(report);
        var json = ReportWriter.ToJson(report);
        var csv = ReportWriter.ToCsv(report);
        var html = ReportWriter.ToHtml(report);

        Assert.Contains("| 1 | file csrss.exe | — | — | **inconclusive** | none (nothing verified) | no data | unknown (none) | — | — |", markdown, StringComparison.Ordinal);
        Assert.Contains("\"anomalies\": []", json, StringComparison.Ordinal);
        Assert.Equal(2, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("<strong class=\"badge badge-inconclusive\">inconclusive</strong>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SignatureStatus.NotSigned, SignatureSource.Offline, "Valid", true)]
    [InlineData(SignatureStatus.MicrosoftSigned, SignatureSource.OfflineCatalog, "Valid", false)]
    [InlineData(SignatureStatus.MicrosoftSigned, SignatureSource.OfflineEmbedded, "NotSigned", true)]
    [InlineData(SignatureStatus.Invalid, SignatureSource.Offline, "HashMismatch", false)]
    [InlineData(SignatureStatus.Invalid, SignatureSource.Offline, "Valid", true)]
    [InlineData(SignatureStatus.SignedOther, SignatureSource.OfflineEmbedded, "NotTrusted", false)]
    [InlineData(SignatureStatus.NotSigned, SignatureSource.Offline, "notsigned", false)]
    [InlineData(SignatureStatus.NotSigned, SignatureSource.Offline, "UnknownError", false)]
    [InlineData(SignatureStatus.MicrosoftSigned, SignatureSource.HostReported, "Valid", false)]
    [InlineData(SignatureStatus.Unknown, SignatureSource.None, "Valid", false)]
    public void Host_and_offline_signature_answers_disagree_only_when_both_are_known_and_differ(SignatureStatus status, SignatureSource source, string host, bool disagrees)
    {
        var evidence = new SignatureEvidence(status, source, null, null, null, null, null, null, null, null, host, [], []);

        Assert.Equal(disagrees, Text.SignatureAgreement.Disagrees(evidence));
    }

    [Fact]
    public void Unknown_action_kinds_are_shown_not_guessed()
    {
        var report = SampleReports.Rich() with { Actions = [new ActionItem("maybe", "Reimage the machine.", null)] };

        var doSection = Between(ReportWriter.ToMarkdown(report), "## What to do now", "### What not to do");

        Assert.Contains("1. (maybe) Reimage the machine.", doSection, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_process_trees_are_capped_in_depth()
    {
        var nodes = Enumerable.Range(0, 40).Select(i => new ProcessTreeNode(i, 100 + i, 99 + i, "p.exe", null, 1, null, null)).ToImmutableArray();
        var report = SampleReports.Rich() with { ProcessTrees = [new ProcessTreeView(139, nodes)] };

        var markdown = ReportWriter.ToMarkdown(report);

        Assert.Contains("\n" + new string(' ', 32) + "- pid 139 p.exe", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("\n" + new string(' ', 34) + "- ", markdown, StringComparison.Ordinal);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"Missing '{start}'");
        var to = text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        Assert.True(to >= 0, $"Missing '{end}' after '{start}'");
        return text[from..to];
    }

}
