using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Tests.Authenticode.Support;

namespace CsrssForensics.Analysis.Tests.Trust;

/// <summary>
/// A two-edit name (CptHost.exe near conhost.exe) signed by another publisher is legitimate only when its chain ends in
/// a root the suspect host cannot forge. A root that only the bundle's exported stores hold is the host's word: an
/// attacker who plants a root in LocalMachine\Root gets inconclusive, never legitimate.
/// </summary>
public sealed class KnownPublisherTests
{
    private const string CptHost = @"C:\Users\alice\AppData\Roaming\Zoom\bin\CptHost.exe";

    [Fact]
    public void A_signed_two_edit_name_whose_root_is_only_in_the_hosts_store_is_inconclusive()
    {
        // Given a bundle holding a signed CptHost.exe in AppData and its root only in certstores/
        using var bundle = new SignedCptHostBundle(rootInHostStore: true);

        // When it is analysed with the default options
        var report = bundle.Analyze(AnalysisOptions.Default);

        // Then both the process and the file are inconclusive through CORE-115, never legitimate nor fake
        var verdicts = CptHostVerdicts(report);
        Assert.All(verdicts, v =>
        {
            Assert.Equal(Verdict.Inconclusive, v.Verdict);
            Assert.Contains(v.DecisionPath, s => s.NodeId == "CORE-115");
            Assert.Equal(SignatureSource.OfflineEmbedded, v.Signature!.Source);
            Assert.True(v.Signature.ChainTrusted);
            Assert.Equal(RootOrigin.HostStore, v.Signature.RootOrigin);
            Assert.False(v.Signature.PublisherKnown);
            Assert.Contains(v.Findings, f => f.Code == "CORE-SIG-HOST-ROOT" && f.Detail.Contains("CN=Test Publisher", StringComparison.Ordinal));
            Assert.DoesNotContain(v.Findings, f => f.Code == "CORE-NAME-LOOKALIKE");
        });
    }

    [Fact]
    public void The_same_bundle_with_the_root_passed_by_the_analyst_is_legitimate()
    {
        // Given the same bundle, and the analyst passing the publisher's root with --roots
        using var bundle = new SignedCptHostBundle(rootInHostStore: true);
        var options = new AnalysisOptions(ExtraRoots: [("publisher-root.pem", Encoding.ASCII.GetBytes(TestPki.ToPem(bundle.Root)))]);

        // When it is analysed
        var report = bundle.Analyze(options);

        // Then the publisher is known and the resemblance alone is no evidence
        var verdicts = CptHostVerdicts(report);
        Assert.All(verdicts, v =>
        {
            Assert.Equal(Verdict.Legitimate, v.Verdict);
            Assert.Contains(v.DecisionPath, s => s.NodeId == "CORE-109");
            Assert.Equal(RootOrigin.Analyst, v.Signature!.RootOrigin);
            Assert.True(v.Signature.PublisherKnown);
            Assert.DoesNotContain(v.Findings, f => f.Code == "CORE-SIG-HOST-ROOT");
        });
    }

    [Fact]
    public void Without_any_root_the_chain_proves_no_publisher_and_the_name_stays_fake()
    {
        using var bundle = new SignedCptHostBundle(rootInHostStore: false);

        var report = bundle.Analyze(AnalysisOptions.Default);

        Assert.All(CptHostVerdicts(report), v =>
        {
            Assert.Equal(Verdict.Fake, v.Verdict);
            Assert.Equal(RootOrigin.None, v.Signature!.RootOrigin);
        });
    }

    private static List<SubjectVerdict> CptHostVerdicts(AnalysisReport report)
    {
        var verdicts = report.Verdicts.Where(v => v.Subject.Path == CptHost).ToList();
        Assert.Equal(2, verdicts.Count);
        Assert.Contains(verdicts, v => v.Subject.Kind == SubjectKind.Process);
        Assert.Contains(verdicts, v => v.Subject.Kind == SubjectKind.File);
        return verdicts;
    }

    /// <summary>
    /// The clean-two-sessions fixture plus alice's Zoom CptHost.exe (process and copied binary, signed by a test
    /// publisher whose root is optionally exported in certstores/), with the manifest rewritten to match.
    /// </summary>
    private sealed class SignedCptHostBundle : IDisposable
    {
        private readonly FixtureCopy _copy = new("clean-two-sessions", keepManifest: true);

        public SignedCptHostBundle(bool rootInHostStore)
        {
            TestPkiSet pki = TestPki.Default;
            Root = pki.Root;
            byte[] unsigned = TestAuthenticode.UnsignedPe("CptHost");
            byte[] pe = TestAuthenticode.SignedPe(unsigned, TestAuthenticode.SignPe(unsigned, pki.Leaf, [], HashAlgorithmName.SHA256));
            string sha = Convert.ToHexStringLower(SHA256.HashData(pe));
            string binary = "binaries/" + sha + ".bin";
            WriteBytes(binary, pe);
            if (rootInHostStore)
            {
                WriteBytes("certstores/LocalMachine-Root.pem", Encoding.ASCII.GetBytes(TestPki.ToPem(pki.Root)));
            }

            _copy.Edit("processes.csv", text => text + string.Create(CultureInfo.InvariantCulture,
                $"5120,3120,CptHost.exe,{CptHost},\"\"\"{CptHost}\"\" -parentpid 3120\",2026-11-20T07:05:00Z,1,CORP\\alice,0.1,0,20480000\n"));
            _copy.Edit("files.csv", text => text + string.Create(CultureInfo.InvariantCulture,
                $"{CptHost},{pe.Length},{sha},2024-05-07T05:12:44Z,2024-05-07T05:12:44Z,Valid,Embedded,\"CN=Test Publisher, O=Test\",,,,{binary},process-image,\n"));
            RewriteManifest();
        }

        public System.Security.Cryptography.X509Certificates.X509Certificate2 Root { get; }

        public AnalysisReport Analyze(AnalysisOptions options)
        {
            using var opened = BundleReader.Open(_copy.Folder);
            Assert.Equal(IntegrityStatus.Verified, opened.Snapshot.Integrity.Status);
            return BundleAnalyzer.Analyze(opened, options);
        }

        public void Dispose() => _copy.Dispose();

        private void WriteBytes(string entry, byte[] data)
        {
            var target = Path.Combine([_copy.Folder, .. entry.Split('/')]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, data);
        }

        private void RewriteManifest()
        {
            var path = Path.Combine(_copy.Folder, "manifest.json");
            var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            var files = new JsonArray();
            foreach (var file in Directory.EnumerateFiles(_copy.Folder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(_copy.Folder, f).Replace('\\', '/'))
                .Where(f => f != "manifest.json")
                .Order(StringComparer.Ordinal))
            {
                var data = File.ReadAllBytes(Path.Combine(_copy.Folder, file));
                files.Add(new JsonObject { ["path"] = file, ["size"] = data.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)) });
            }

            manifest["files"] = files;
            File.WriteAllText(path, manifest.ToJsonString());
        }
    }
}
