using System.Security.Cryptography;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Pe.Tests.Authenticode.Support;

/// <summary>Named test PEs, each built once per run; every one of them is also checked against osslsigncode.</summary>
internal static class Scenarios
{
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> _all = new(BuildAll);

    public static IReadOnlyDictionary<string, byte[]> All => _all.Value;

    public static byte[] Get(string name) => All[name];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in new[]
        {
            "unsigned", "signed-sha256", "signed-sha1", "tampered", "forged-microsoft", "expired-no-timestamp",
            "expired-rfc3161", "expired-countersignature", "nested-sha1-sha256", "multi-entry", "truncated-entry",
            "table-not-at-eof",
        })
        {
            data.Add(name);
        }

        return data;
    }

    public static TrustAnchors TestAnchors(bool withAttackerRoot = false)
    {
        TestPkiSet pki = TestPki.Default;
        var files = new List<(string, byte[])> { ("test-root.pem", System.Text.Encoding.ASCII.GetBytes(TestPki.ToPem(pki.Root))) };
        if (withAttackerRoot)
        {
            files.Add(("attacker-root.pem", System.Text.Encoding.ASCII.GetBytes(TestPki.ToPem(pki.AttackerRoot))));
        }

        return TrustAnchors.FromPem(files, new AnomalyList());
    }

    public static AuthenticodeVerifier Verifier(TrustAnchors? anchors = null, CatalogIndex? catalogs = null) =>
        new(anchors ?? TestAnchors(), catalogs ?? CatalogIndex.Empty, TestPki.CollectionTime);

    private static Dictionary<string, byte[]> BuildAll()
    {
        TestPkiSet pki = TestPki.Default;
        byte[] unsigned = TestAuthenticode.UnsignedPe();
        byte[] sha256 = TestAuthenticode.SignPe(unsigned, pki.Leaf, [pki.Root], HashAlgorithmName.SHA256);
        byte[] sha1 = TestAuthenticode.SignPe(unsigned, pki.Leaf, [pki.Root], HashAlgorithmName.SHA1);
        byte[] signed = TestAuthenticode.SignedPe(unsigned, sha256);
        byte[] tampered = (byte[])signed.Clone();
        tampered[0x210] ^= 0x01; // inside .text, covered by the hash

        byte[] expired = TestAuthenticode.SignPe(unsigned, pki.ExpiredLeaf, [pki.Root], HashAlgorithmName.SHA256);
        DateTimeOffset whileValid = TestPki.Epoch.AddMonths(3);
        byte[] table = TestAuthenticode.WinCertificate(sha256);
        byte[] second = TestAuthenticode.WinCertificate([1, 2, 3, 4, 5, 6, 7, 8, 9], type: 0x0001);
        byte[] truncated = (byte[])table.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(truncated, table.Length + 64);
        byte[] notAtEof = [.. signed, .. new byte[16]];

        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["unsigned"] = unsigned,
            ["signed-sha256"] = signed,
            ["signed-sha1"] = TestAuthenticode.SignedPe(unsigned, sha1),
            ["tampered"] = tampered,
            ["forged-microsoft"] = TestAuthenticode.SignedPe(unsigned, TestAuthenticode.SignPe(unsigned, pki.ForgedMicrosoft, [pki.AttackerRoot], HashAlgorithmName.SHA256)),
            ["expired-no-timestamp"] = TestAuthenticode.SignedPe(unsigned, expired),
            ["expired-rfc3161"] = TestAuthenticode.SignedPe(unsigned, TestAuthenticode.AddRfc3161Timestamp(expired, pki.Tsa, [pki.Root], whileValid)),
            ["expired-countersignature"] = TestAuthenticode.SignedPe(unsigned, TestAuthenticode.AddCounterSignature(expired, pki.Tsa, whileValid)),
            ["nested-sha1-sha256"] = TestAuthenticode.SignedPe(unsigned, TestAuthenticode.AddNested(sha1, sha256)),
            ["multi-entry"] = TestAuthenticode.Embed(unsigned, [.. table, .. second]),
            ["truncated-entry"] = TestAuthenticode.Embed(unsigned, truncated),
            ["table-not-at-eof"] = notAtEof,
            ["signed-pss"] = TestAuthenticode.SignedPe(unsigned, TestAuthenticode.SignPe(unsigned, pki.Leaf, [pki.Root], HashAlgorithmName.SHA256, RSASignaturePadding.Pss)),
        };
    }
}
