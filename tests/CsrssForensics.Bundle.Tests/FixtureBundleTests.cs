using CsrssForensics.Core.Snapshot;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Bundle.Tests;

/// <summary>The committed scenario bundles under fixtures/bundles read cleanly (or fail integrity where meant to).</summary>
public sealed class FixtureBundleTests
{
    private static string FixturesFolder() => TestEnvironment.PathOf("fixtures", "bundles");

    public static TheoryData<string> CleanScenarios => new()
    {
        "appdata-csrss-task",
        "clean-two-sessions",
        "core-lookalikes-tree",
        "csrsss-runkey",
        "fake-cpu-siblings",
        "legit-gpu-overlay",
        "miner-driver-siblings",
        "script-chain-process-tree",
        "startup-script-chain",
        "system32-not-collected",
    };

    [Fact]
    public void Entry_length_is_the_listed_length_of_an_entry_and_null_for_anything_else()
    {
        using var opened = BundleReader.Open(Path.Combine(FixturesFolder(), "startup-script-chain"));
        var script = opened.Snapshot.Files.Single(f => f.Path.EndsWith(@"\run.bat", StringComparison.Ordinal));

        Assert.Equal(script.Size, opened.Source.EntryLength(script.BinaryBundlePath!));
        Assert.Null(opened.Source.EntryLength("binaries/absent.bin"));
        Assert.Null(opened.Source.EntryLength("../manifest.json"));
    }

    [Theory]
    [MemberData(nameof(CleanScenarios))]
    public void Scenario_bundle_is_verified_without_anomalies(string scenario)
    {
        var folder = Path.Combine(FixturesFolder(), scenario);

        using var opened = BundleReader.Open(folder);

        Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        Assert.Empty(opened.Snapshot.Integrity.Findings);
        Assert.Empty(opened.Snapshot.Anomalies);
        Assert.NotEmpty(opened.Snapshot.Processes);
        Assert.NotNull(opened.Snapshot.Host);
    }

    [Fact]
    public void Tampered_scenario_fails_integrity_on_processes_csv()
    {
        using var opened = BundleReader.Open(Path.Combine(FixturesFolder(), "tampered-after-manifest"));

        Assert.Equal(IntegrityStatus.Failed, opened.Snapshot.Integrity.Status);
        var finding = Assert.Single(opened.Snapshot.Integrity.Findings);
        Assert.Equal(IntegrityProblem.Changed, finding.Problem);
        Assert.Equal("processes.csv", finding.Path);
        Assert.NotEmpty(opened.Snapshot.Processes);
    }

    [Fact]
    public void Appdata_scenario_task_is_read_from_utf16()
    {
        using var opened = BundleReader.Open(Path.Combine(FixturesFolder(), "appdata-csrss-task"));

        var task = Assert.Single(opened.Snapshot.Tasks);
        Assert.Equal(@"\Microsoft\Windows\Maintenance\csrss", task.TaskPath);
        Assert.True(task.Hidden);
        Assert.Equal("%ComSpec%", task.Actions[0].Command);
    }

    [Fact]
    public void Collector_stub_bundle_parses_cleanly_and_verifies_against_its_manifest()
    {
        using var opened = BundleReader.Open(Path.Combine(FixturesFolder(), "collector-stub"));

        Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
        Assert.Empty(opened.Snapshot.Integrity.Findings);
        Assert.Empty(opened.Snapshot.Anomalies);
        Assert.Empty(opened.Snapshot.MissingParts);
        Assert.Contains(opened.Snapshot.Tasks, t => t.TaskPath == @"\Microsoft\Windows\Maintenance\SystemHealthMonitor");
    }
}
