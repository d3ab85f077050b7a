using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CsrssForensics.Pe.Tests.Authenticode.Support;

/// <summary>A throw-away PKI made with CertificateRequest: roots, code-signing leaves and a TSA, RSA 2048.</summary>
internal static class TestPki
{
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Collection time the verifier falls back to: after the expired leaf expired, inside every other validity.</summary>
    public static readonly DateTimeOffset CollectionTime = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<TestPkiSet> _set = new(() => new TestPkiSet());

    public static TestPkiSet Default => _set.Value;

    public static X509Certificate2 CreateRoot(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    public static X509Certificate2 CreateLeaf(X509Certificate2 issuer, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, string usage)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], critical: usage == TimeStamping));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 publicOnly = request.Create(issuer, notBefore, notAfter, serial);
        return publicOnly.CopyWithPrivateKey(key);
    }

    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";
    public const string TimeStamping = "1.3.6.1.5.5.7.3.8";

    public static string ToPem(params X509Certificate2[] certificates)
    {
        var text = new StringBuilder();
        foreach (X509Certificate2 certificate in certificates)
        {
            text.Append(certificate.ExportCertificatePem()).Append('\n');
        }

        return text.ToString();
    }

    public static string KeyPem(X509Certificate2 certificate) => certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem();
}

/// <summary>The certificates most tests share (generated once per test run).</summary>
internal sealed class TestPkiSet
{
    public TestPkiSet()
    {
        DateTimeOffset e = TestPki.Epoch;
        Root = TestPki.CreateRoot("CN=CsrssForensics Test Root, O=Test", e.AddYears(-1), e.AddYears(20));
        Leaf = TestPki.CreateLeaf(Root, "CN=Test Publisher, O=Test", e, e.AddYears(10), TestPki.CodeSigning);
        ExpiredLeaf = TestPki.CreateLeaf(Root, "CN=Expired Publisher, O=Test", e, e.AddYears(1), TestPki.CodeSigning);
        Tsa = TestPki.CreateLeaf(Root, "CN=Test TSA, O=Test", e, e.AddYears(15), TestPki.TimeStamping);
        AttackerRoot = TestPki.CreateRoot("CN=Microsoft Root Certificate Authority 2010, O=Microsoft Corporation, L=Redmond, S=Washington, C=US", e.AddYears(-1), e.AddYears(20));
        ForgedMicrosoft = TestPki.CreateLeaf(AttackerRoot, "CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US", e, e.AddYears(10), TestPki.CodeSigning);
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Leaf { get; }

    /// <summary>Valid 2024-01-01 .. 2025-01-01: expired at <see cref="TestPki.CollectionTime"/>.</summary>
    public X509Certificate2 ExpiredLeaf { get; }

    public X509Certificate2 Tsa { get; }

    /// <summary>A self-made root that copies the Microsoft Root 2010 subject name.</summary>
    public X509Certificate2 AttackerRoot { get; }

    /// <summary>"CN=Microsoft Windows" issued by <see cref="AttackerRoot"/>.</summary>
    public X509Certificate2 ForgedMicrosoft { get; }
}
