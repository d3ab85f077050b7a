using System.IO.Compression;
using CsrssForensics.Analysis.Composition;
using CsrssForensics.Analysis.Signatures;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Rules;

namespace CsrssForensics.Analysis.Tests.Trust;

/// <summary>A verdict says what it rests on, and never claims more: no "legitimate" on the host's word or on nothing.</summary>
public sealed class EvidenceStrengthTests
{
    private const string System32Csrss = @"C:\Windows\System32\csrss.exe";

    [Fact]
    public void The_same_bundle_is_clean_only_when_its_signatures_are_verified_offline()
    {
        // Given the clean-two-sessions bundle, judged once as collected (host-reported signatures) and once as if every
        // signature had been verified offline with the same outcome
        using var opened = BundleReader.Open(RepositoryPaths.Fixture("bundles", "clean-two-sessions"));
        var asCollected = Compose(opened, markOffline: false);
        var verified = Compose(opened, markOffline: true);

        // Then only the verified one is clean, and its csrss verdicts are legitimate and verified offline
        Assert.Equal(OverallStatus.Inconclusive, asCollected.OverallStatus);
        Assert.Equal(OverallStatus.Clean, verified.OverallStatus);
        Assert.All(verified.Verdicts.Where(v => v.Subject.Pid != 4), v =>
        {
            Assert.Equal(Verdict.Legitimate, v.Verdict);
            Assert.Equal(EvidenceStrength.VerifiedOffline, v.Strength);
            Assert.Contains(v.DecisionPath, s => s.NodeId == "TRUST-010" && s.Answer.StartsWith("yes: verified offline", StringComparison.Ordinal));
        });
        Assert.StartsWith("Every core process was examined and verified offline", verified.Summary, StringComparison.Ordinal);
        Assert.Contains(verified.Actions, a => a.Kind == "do-not" && a.Text.Contains($"{System32Csrss} (pid 612, 704)", StringComparison.Ordinal));
        Assert.All(asCollected.Verdicts.Where(v => v.Subject.Pid != 4), v =>
        {
            Assert.Equal(Verdict.Inconclusive, v.Verdict);
            Assert.Contains(v.DecisionPath, s => s.NodeId == "TRUST-010" && s.Answer.Contains("capped to inconclusive", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void The_System_process_has_no_image_and_rests_on_the_process_list()
    {
        var report = Analyze("clean-two-sessions");

        var system = Assert.Single(report.Verdicts, v => v.Subject.Pid == 4);
        Assert.Equal(Verdict.Legitimate, system.Verdict);
        Assert.Equal(EvidenceStrength.HostReported, system.Strength);
    }

    [Fact]
    public void A_copied_System32_csrss_whose_bytes_cannot_be_read_never_falls_back_to_the_hosts_Valid()
    {
        // Given a files.csv row that names a copy the bundle cannot give back
        using var copy = new FixtureCopy("clean-two-sessions").Edit("files.csv", text => ReplaceFirst(
            text, ",,,,process-image,", ",,,binaries/0000000000000000000000000000000000000000000000000000000000000000.bin,process-image,"));

        var report = copy.Analyze();

        // Then the file is not legitimate, rests on nothing, and the report does not call it "not copied"
        var file = Assert.Single(report.Verdicts, v => v.Subject.Kind == SubjectKind.File && v.Subject.Path == System32Csrss);
        Assert.Equal(Verdict.Inconclusive, file.Verdict);
        Assert.Equal(EvidenceStrength.None, file.Strength);
        Assert.Equal(SignatureSource.None, file.Signature!.Source);
        Assert.Equal("Valid", file.Signature.HostStatus);
        Assert.Contains(file.Findings, f => f.Code == "EVD-COPY-UNREADABLE");
        Assert.Contains(report.NotCollected, line => line.StartsWith("Binary copied but unreadable", StringComparison.Ordinal) && line.EndsWith(System32Csrss, StringComparison.Ordinal));
        Assert.DoesNotContain(report.NotCollected, line => line == $"Binary not copied, signature not verified offline: {System32Csrss}");
        Assert.DoesNotContain(report.Actions, a => a.Kind == "do" && a.SubjectPath == System32Csrss && !a.Text.StartsWith("Collect", StringComparison.Ordinal));
    }

    [Fact]
    public void A_copy_whose_zip_entry_fails_its_CRC_is_judged_on_nothing_while_the_same_bytes_readable_are_judged_offline()
    {
        // Given the same bundle zipped twice, its System32 csrss copied; in one zip the copy's bytes are damaged
        var copied = ",,,binaries/" + new string('a', 64) + ".bin,process-image,";
        using var copy = new FixtureCopy("clean-two-sessions")
            .Edit("files.csv", text => ReplaceFirst(text, ",,,,process-image,", copied))
            .Write("binaries/" + new string('a', 64) + ".bin", "MZ-placeholder-bytes-of-a-csrss-copy");
        var readable = Path.Combine(copy.Folder, "..", Path.GetFileName(copy.Folder) + "-ok.zip");
        var damaged = Path.Combine(copy.Folder, "..", Path.GetFileName(copy.Folder) + "-crc.zip");
        try
        {
            ZipFile.CreateFromDirectory(copy.Folder, readable, CompressionLevel.NoCompression, includeBaseDirectory: false);
            var bytes = File.ReadAllBytes(readable);
            var at = bytes.AsSpan().IndexOf("MZ-placeholder"u8);
            bytes[at + 3] = (byte)'X';
            File.WriteAllBytes(damaged, bytes);

            var good = AnalyzePath(readable);
            var bad = AnalyzePath(damaged);

            // Then the readable copy is checked offline (unsigned bytes the host called Valid: not legitimate) and the
            // damaged one rests on nothing; neither falls back to the host's "Valid"
            var goodFile = Assert.Single(good.Verdicts, v => v.Subject.Kind == SubjectKind.File && v.Subject.Path == System32Csrss);
            Assert.Equal(EvidenceStrength.VerifiedOffline, goodFile.Strength);
            Assert.NotEqual(Verdict.Legitimate, goodFile.Verdict);
            var badFile = Assert.Single(bad.Verdicts, v => v.Subject.Kind == SubjectKind.File && v.Subject.Path == System32Csrss);
            Assert.Equal(EvidenceStrength.None, badFile.Strength);
            Assert.Equal(Verdict.Inconclusive, badFile.Verdict);
            Assert.Contains(badFile.Findings, f => f.Code == "EVD-COPY-UNREADABLE");
            Assert.DoesNotContain(bad.Actions, a => a.Kind == "do" && a.SubjectPath == System32Csrss && !a.Text.StartsWith("Collect", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(readable);
            File.Delete(damaged);
        }
    }

    [Fact]
    public void Files_csv_changed_after_the_manifest_makes_every_file_verdict_rest_on_nothing()
    {
        // Given a bundle whose files.csv no longer matches its manifest
        using var copy = new FixtureCopy("clean-two-sessions", keepManifest: true).Edit("files.csv", text => text.Replace("2024-05-07T05:12:44Z", "2024-05-07T05:12:45Z", StringComparison.Ordinal));

        var report = copy.Analyze();

        // Then the failure leads the summary and reaches every file verdict
        Assert.Equal(OverallStatus.Suspicious, report.OverallStatus);
        Assert.StartsWith("BUNDLE INTEGRITY FAILED", report.Summary, StringComparison.Ordinal);
        var files = report.Verdicts.Where(v => v.Subject.Kind == SubjectKind.File).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, v =>
        {
            Assert.NotEqual(Verdict.Legitimate, v.Verdict);
            Assert.Equal(EvidenceStrength.None, v.Strength);
            var finding = Assert.Single(v.Findings, f => f.Code == "EVD-INTEGRITY-FAILED");
            Assert.Equal(AnomalySeverity.High, finding.Severity);
            Assert.Contains(finding.Evidence, e => e.BundleFile == "files.csv");
        });
    }

    [Fact]
    public void Strength_counts_add_up_to_the_verdicts()
    {
        foreach (var scenario in new[] { "clean-two-sessions", "appdata-csrss-task", "core-lookalikes-tree", "collector-stub", "tampered-after-manifest" })
        {
            var report = Analyze(scenario);
            var counts = report.StrengthCounts;
            Assert.Equal(report.Verdicts.Length, counts.VerifiedOffline + counts.HostReported + counts.None);
            Assert.Equal(report.Verdicts.Count(v => v.Strength == EvidenceStrength.VerifiedOffline), counts.VerifiedOffline);
            Assert.DoesNotContain(report.Verdicts, v => v.Verdict == Verdict.Legitimate && v.Strength != EvidenceStrength.VerifiedOffline && v.Subject.Pid != 4);
        }
    }

    private static AnalysisReport Analyze(string scenario)
    {
        using var bundle = BundleReader.Open(RepositoryPaths.Fixture("bundles", scenario));
        return BundleAnalyzer.Analyze(bundle);
    }

    private static AnalysisReport AnalyzePath(string path)
    {
        using var bundle = BundleReader.Open(path);
        return BundleAnalyzer.Analyze(bundle);
    }

    private static AnalysisReport Compose(OpenedBundle opened, bool markOffline)
    {
        var snapshot = opened.Snapshot;
        var rules = RuleSet.LoadEmbedded();
        var anomalies = new AnomalyList();
        var verifier = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Build([], anomalies), DateTimeOffset.UnixEpoch);
        var correlation = CsrssForensics.Analysis.Correlation.Correlation.Build(snapshot);
        var contexts = new SubjectCollector(snapshot, rules, new BinaryExaminer(opened.Source, verifier, anomalies), correlation).Collect();
        if (markOffline)
        {
            contexts = [.. contexts.Select(c => c.Signature.Source == SignatureSource.HostReported
                ? c with { Signature = c.Signature with { Source = SignatureSource.OfflineEmbedded } }
                : c)];
        }

        var judgements = BundleAnalyzer.Judge(contexts, rules, snapshot.Integrity, correlation);
        return new ReportComposer(snapshot, rules, correlation, judgements, anomalies.Items).Compose();
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{old}' not found in the fixture");
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }
}
