using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Analysis.Trust;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules;
using static CsrssForensics.Analysis.Tests.Correlation.SnapshotFactory;
using CorrelationModel = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Findings;

/// <summary>
/// One finding engine: every code the C# emits has an entry in the rules data (severity, wording, references) and
/// every entry has a producer, so <c>--rules</c> can change any finding and no entry is dead.
/// </summary>
public sealed partial class FindingCatalogTests
{
    private static readonly RuleSet _embedded = RuleSet.LoadEmbedded();

    // Every string constant of the analysis assembly that looks like a finding code (LNC-TASK-HIDDEN, CTX-, EVD-...),
    // wherever it is declared: a code added as a constant anywhere is seen here.
    private static SortedSet<string> CodeConstantsInCode() =>
        new(typeof(BundleAnalyzer).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => FindingCode().IsMatch(v)),
            StringComparer.Ordinal);

    private static SortedSet<string> RegisteredCodes() =>
        new(LauncherCodes.Produced.Concat(HostContextCodes.Produced).Concat(TrustCodes.Produced).Select(p => p.Code), StringComparer.Ordinal);

    [Fact]
    public void Every_finding_code_constant_in_the_code_is_registered_as_produced()
    {
        Assert.NotEmpty(CodeConstantsInCode());
        Assert.Equal<string>(CodeConstantsInCode(), RegisteredCodes());
    }

    [Fact]
    public void Every_produced_code_and_variant_is_defined_in_the_rules_data_with_its_producer()
    {
        // Throws with the list of missing codes and variants when the data lacks one.
        BundleAnalyzer.RequireProducedFindings(_embedded);
        var definitions = _embedded.FindingDefinitions.ToDictionary(d => d.Code, StringComparer.Ordinal);
        Assert.All(LauncherCodes.Produced, p => Assert.Equal(FindingProducer.Launchers, definitions[p.Code].Producer));
        Assert.All(HostContextCodes.Produced, p => Assert.Equal(FindingProducer.HostContext, definitions[p.Code].Producer));
        Assert.All(TrustCodes.Produced, p => Assert.Equal(FindingProducer.Trust, definitions[p.Code].Producer));
    }

    [Fact]
    public void Every_produced_entry_of_the_rules_data_has_a_producer_in_the_code_and_no_unused_variant()
    {
        var registered = LauncherCodes.Produced.Concat(HostContextCodes.Produced).Concat(TrustCodes.Produced).ToDictionary(p => p.Code, p => p.Variants, StringComparer.Ordinal);
        var produced = _embedded.FindingDefinitions.Where(d => d.Producer != FindingProducer.Tree && !d.UserExtension).ToList();

        Assert.NotEmpty(produced);
        Assert.All(produced, d =>
        {
            Assert.True(registered.TryGetValue(d.Code, out var variants), $"{d.Code} is in the rules data but nothing in the code emits it");
            Assert.Equal<string>(d.Variants, [.. variants!.Order(StringComparer.Ordinal)]);
        });
    }

    [Fact]
    public void Every_tree_entry_of_the_rules_data_is_reachable_from_a_leaf_or_its_condition()
    {
        var orphans = _embedded.FindingDefinitions
            .Where(d => d.Producer == FindingProducer.Tree && !d.UserExtension && !d.HasCondition && !d.NamedByTree)
            .Select(d => d.Code);

        Assert.Empty(orphans);
    }

    [Fact]
    public void An_override_without_a_produced_finding_is_rejected_with_the_missing_code()
    {
        // Given a rules document written before LNC-TASK-HIDDEN had an entry
        var document = JsonNode.Parse(RuleSet.ReadEmbedded())!.AsObject();
        var findings = document["findings"]!.AsArray();
        findings.Remove(findings.Single(f => (string?)f!["code"] == LauncherCodes.TaskHidden));
        var rules = RuleSet.Load(document.ToJsonString());

        // When / Then
        var error = Assert.Throws<RuleSetException>(() => BundleAnalyzer.RequireProducedFindings(rules));
        Assert.Contains(error.Errors, e => e.Contains(LauncherCodes.TaskHidden, StringComparison.Ordinal));
    }

    [Fact]
    public void An_override_changes_the_severity_and_wording_of_a_launcher_finding()
    {
        // Given rules that make a hidden task high and word it differently
        var document = JsonNode.Parse(RuleSet.ReadEmbedded())!.AsObject();
        var hidden = document["findings"]!.AsArray().Single(f => (string?)f!["code"] == LauncherCodes.TaskHidden)!.AsObject();
        hidden["severity"] = "High";
        hidden["title"] = "Hidden task (site policy)";
        hidden["detail"] = "Site policy: '{task}' hides itself.";
        var rules = RuleSet.Load(document.ToJsonString());

        // When
        var finding = HiddenTaskFinding(@"\Hidden", rules);

        // Then
        Assert.Equal(AnomalySeverity.High, finding.Severity);
        Assert.Equal("Hidden task (site policy)", finding.Title);
        Assert.Equal(@"Site policy: '\Hidden' hides itself.", finding.Detail);
    }

    [Fact]
    public void An_override_changes_the_severity_and_wording_of_the_integrity_finding()
    {
        // Given rules that make EVD-INTEGRITY-FAILED medium and word it for a site
        var document = JsonNode.Parse(RuleSet.ReadEmbedded())!.AsObject();
        var integrity = document["findings"]!.AsArray().Single(f => (string?)f!["code"] == TrustCodes.IntegrityFailed)!.AsObject();
        integrity["severity"] = "Medium";
        integrity["detail"] = "Site policy: {problems}";

        // When the bundle tampered after its manifest is analysed with them
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", "tampered-after-manifest"));
        var report = BundleAnalyzer.Analyze(bundle, new AnalysisOptions(RulesJson: document.ToJsonString()));

        // Then the finding takes the data's severity and wording, with the manifest's problem as its parameter
        var findings = report.Verdicts.SelectMany(v => v.Findings).Where(f => f.Code == TrustCodes.IntegrityFailed).ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f =>
        {
            Assert.Equal(AnomalySeverity.Medium, f.Severity);
            Assert.StartsWith("Site policy: 'processes.csv' is ", f.Detail, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Embedded_wording_of_a_launcher_finding_is_the_wording_reports_always_had()
    {
        var finding = HiddenTaskFinding(@"\Hidden");

        Assert.Equal(AnomalySeverity.Low, finding.Severity);
        Assert.Equal("Hidden scheduled task", finding.Title);
        Assert.Equal(@"Task '\Hidden' is marked Hidden, so Task Scheduler does not show it by default.", finding.Detail);
    }

    [Fact]
    public void A_task_name_with_braces_is_printed_as_written_not_read_as_a_placeholder()
    {
        var finding = HiddenTaskFinding(@"\{target}{where|x}");

        Assert.Equal(@"Task '\{target}{where|x}' is marked Hidden, so Task Scheduler does not show it by default.", finding.Detail);
    }

    [Fact]
    public void Core_names_of_the_launcher_checks_come_from_the_core_process_table()
    {
        // Given a Run value that starts the System32 csrss.exe, which only Windows itself starts
        var snapshot = Snapshot(autoruns: [Autorun(Core.Snapshot.AutorunKind.RunKey, @"HKLM\Software\Microsoft\Windows\CurrentVersion\Run", "x", @"C:\Windows\System32\csrss.exe")]);
        var document = JsonNode.Parse(RuleSet.ReadEmbedded())!.AsObject();
        var csrss = document["coreProcesses"]!.AsArray().Single(c => (string?)c!["name"] == "csrss.exe")!.AsObject();
        csrss.Remove("startedOnlyByWindows");

        // When judged with the embedded table, and with a table whose csrss row lacks the flag
        var embedded = Assert.Single(CorrelationModel.Build(snapshot).Launchers);
        var edited = Assert.Single(CorrelationModel.Build(snapshot, null, RuleSet.Load(document.ToJsonString())).Launchers);

        // Then the table alone decides: in its own folder, csrss is a finding only while the row says Windows alone starts it
        Assert.Equal("Launcher starts a core process name", Assert.Single(embedded.Findings, f => f.Code == LauncherCodes.CoreNameTarget).Title);
        Assert.DoesNotContain(edited.Findings, f => f.Code == LauncherCodes.CoreNameTarget);
    }

    // The one LNC-TASK-HIDDEN finding of a hidden task starting notepad, worded by the given rules (else the embedded ones).
    private static Finding HiddenTaskFinding(string taskPath, RuleSet? rules = null)
    {
        var task = Task(taskPath, Exec(@"C:\Windows\System32\notepad.exe")) with { Hidden = true };
        var launcher = Assert.Single(CorrelationModel.Build(Snapshot(tasks: [task]), null, rules).Launchers);
        return Assert.Single(launcher.Findings, f => f.Code == LauncherCodes.TaskHidden);
    }

    [GeneratedRegex("^(LNC|CTX|CORE|CSR|EVD)(-[A-Z0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex FindingCode();
}
