using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using CsrssForensics.Analysis.Tests.Support;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Analysis.Tests.EndToEnd;

/// <summary>An imitation Microsoft root that anchors nothing is still a finding, and the machine is no longer clean.</summary>
public sealed class RogueRootStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "csrss-rogue-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Imitation_root_anchoring_nothing_is_a_medium_finding_and_the_status_is_suspicious()
    {
        // Given the clean fixture with one more store file, listed in the manifest so integrity still holds
        var pem = SelfSignedPem("CN=Micr\u043Esoft Root Certificate Authority 2011, O=Micr\u043Esoft Corporation");
        CopyWithStoreFile("clean-two-sessions", "certstores/LocalMachine-AuthRoot.pem", pem);

        // When
        using var bundle = BundleReader.Open(_folder);
        var report = BundleAnalyzer.Analyze(bundle);

        // Then
        var root = Assert.Single(report.RogueRoots);
        Assert.Equal(AnomalySeverity.Medium, root.Severity);
        Assert.Empty(root.Anchors);
        Assert.Equal(@"LocalMachine\AuthRoot", root.Store);
        Assert.Contains("certutil -delstore AuthRoot " + root.Sha1Thumbprint, root.Action, StringComparison.Ordinal);
        Assert.Equal(OverallStatus.Suspicious, report.OverallStatus);
    }

    [Fact]
    public void A_root_with_an_unrelated_name_is_not_reported()
    {
        CopyWithStoreFile("clean-two-sessions", "certstores/LocalMachine-Root.pem", SelfSignedPem("CN=Contoso Enterprise Root, O=Contoso"));

        using var bundle = BundleReader.Open(_folder);
        var report = BundleAnalyzer.Analyze(bundle);

        Assert.Empty(report.RogueRoots);
    }

    private static byte[] SelfSignedPem(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = request.CreateSelfSigned(start, start.AddYears(10));
        return Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n");
    }

    private void CopyWithStoreFile(string scenario, string entry, byte[] content)
    {
        var source = RepositoryPaths.Fixture("bundles", scenario);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var path = Path.Combine(_folder, entry.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);

        var manifestPath = Path.Combine(_folder, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        manifest["files"]!.AsArray().Add(new JsonObject
        {
            ["path"] = entry,
            ["size"] = content.Length,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(content)),
        });
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }
}
