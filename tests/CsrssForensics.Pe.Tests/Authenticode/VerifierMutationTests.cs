using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Text.RegularExpressions;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Pe.Tests.Authenticode.Support;

namespace CsrssForensics.Pe.Tests.Authenticode;

/// <summary>
/// Seeded random corruption of signed files (headers, certificate table, the SignedData inside it, the end of the
/// file): verification never throws, reading from a stream answers exactly as reading from memory, and every anomaly
/// carries a stable code and the file's own name. A failure prints the seed and iteration to replay.
/// </summary>
public sealed partial class VerifierMutationTests
{
    private const int Iterations = 400;

    private static readonly uint[] _extremeValues = [0, 1, 7, 8, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF8, 0x1000];

    public static TheoryData<string, int> Bases() => new()
    {
        { "signed-sha256", 11 },
        { "expired-rfc3161", 23 },
        { "nested-sha1-sha256", 37 },
        { "expired-countersignature", 41 },
        { "runtime:" + SigFixtures.SystemAppContext, 53 },
    };

    [Theory]
    [MemberData(nameof(Bases))]
    public void Corrupted_signed_files_never_throw_and_stream_agrees_with_memory(string baseName, int seed)
    {
        byte[] original = baseName.StartsWith("runtime:", StringComparison.Ordinal) ? SigFixtures.Read(baseName["runtime:".Length..]) : Scenarios.Get(baseName);
        int table = (int)BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan(TableDirectory(original)));
        var random = new Random(seed);
        AuthenticodeVerifier memoryVerifier = Scenarios.Verifier();
        AuthenticodeVerifier streamVerifier = Scenarios.Verifier();
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            byte[] mutated = Mutate(original, table, random);
            string where = $"{baseName} seed {seed} iteration {iteration}";
            var memorySink = new AnomalyList();
            var streamSink = new AnomalyList();
            FileVerification memory;
            FileVerification streamed;
            try
            {
                memory = memoryVerifier.Verify("m.exe", mutated, memorySink);
                using var stream = new MemoryStream(mutated, writable: false);
                streamed = streamVerifier.Verify("m.exe", stream, streamSink, VerificationHashes.None);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"{where}: {ex}");
            }

            Assert.True(memory.Verdict == streamed.Verdict, $"{where}: {memory.Verdict} from memory, {streamed.Verdict} from a stream");
            Assert.True(memory.AuthenticodeSha256 == streamed.AuthenticodeSha256, where + ": hashes differ");
            Assert.True(
                memorySink.Items.Select(static a => a.Code).SequenceEqual(streamSink.Items.Select(static a => a.Code)),
                $"{where}: anomalies differ ({string.Join(",", memorySink.Items.Select(static a => a.Code))} / {string.Join(",", streamSink.Items.Select(static a => a.Code))})");
            foreach (Anomaly anomaly in memorySink.Items)
            {
                Assert.True(CodePattern().IsMatch(anomaly.Code), $"{where}: bad code {anomaly.Code}");
                Assert.Equal("m.exe", anomaly.Evidence.BundleFile);
            }
        }
    }

    [Fact]
    public void Corrupted_catalogs_never_throw_while_indexed_or_used()
    {
        byte[] pe = Scenarios.Get("unsigned");
        byte[] sha256 = TestAuthenticode.ImageHash(pe, System.Security.Cryptography.HashAlgorithmName.SHA256);
        byte[] catalog = TestAuthenticode.SignCatalog(
            TestAuthenticode.TrustList("1.3.6.1.4.1.311.12.1.3", new TestAuthenticode.Member(sha256, TestAuthenticode.IndirectData(sha256, TestAuthenticode.Sha256Oid), Hint: "csrss.exe")),
            TestPki.Default.Leaf,
            [TestPki.Default.Root]);
        var random = new Random(67);
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            byte[] mutated = (byte[])catalog.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            try
            {
                var sink = new AnomalyList();
                CatalogIndex index = CatalogIndex.Build([("m.cat", mutated)], sink);
                FileVerification result = Scenarios.Verifier(catalogs: index).Verify("member.exe", pe, sink);
                Assert.True(result.Verdict is not CsrssForensics.Core.Verdicts.SignatureStatus.MicrosoftSigned, $"iteration {iteration}: a test-root catalog cannot make a file Microsoft-signed");
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"catalog seed 67 iteration {iteration}: {ex}");
            }
        }
    }

    [Fact]
    public void A_signer_certificate_with_an_impossible_validity_date_is_unusable_not_a_crash()
    {
        byte[] signed = Scenarios.Get("signed-sha256");
        byte[] leaf = TestPki.Default.Leaf.RawData;
        int at = signed.AsSpan().IndexOf(leaf);
        Assert.True(at > 0, "the leaf certificate is embedded in the signature");

        // Validity is SEQUENCE { UTCTime notBefore, UTCTime notAfter }: make notAfter's month 99 (same length).
        int notAfter = at + NotAfterOffset(leaf);
        Assert.Equal(0x17, signed[notAfter]);
        signed = (byte[])signed.Clone();
        "99"u8.CopyTo(signed.AsSpan(notAfter + 2 + 2));
        var sink = new AnomalyList();

        FileVerification result = Scenarios.Verifier().Verify("bad-date.exe", signed, sink);

        Assert.Equal(CsrssForensics.Core.Verdicts.SignatureStatus.Invalid, result.Verdict);
        Assert.Contains(sink.Items, static a => a.Code == "SIG0012" && a.Message.Contains("signer certificate not in the SignedData", StringComparison.Ordinal));
    }

    /// <summary>Offset of notAfter's TLV in a v3 certificate: tbs { [0] version, serial, signature, issuer, validity { notBefore, notAfter } }.</summary>
    private static int NotAfterOffset(byte[] certificate)
    {
        AsnDecoder.ReadSequence(certificate, AsnEncodingRules.DER, out int position, out _, out _);
        AsnDecoder.ReadSequence(certificate.AsSpan(position), AsnEncodingRules.DER, out int tbsContent, out _, out _);
        position += tbsContent;
        for (int field = 0; field < 4; field++)
        {
            AsnDecoder.ReadEncodedValue(certificate.AsSpan(position), AsnEncodingRules.DER, out _, out _, out int consumed);
            position += consumed;
        }

        AsnDecoder.ReadSequence(certificate.AsSpan(position), AsnEncodingRules.DER, out int validityContent, out _, out _);
        position += validityContent;
        AsnDecoder.ReadEncodedValue(certificate.AsSpan(position), AsnEncodingRules.DER, out _, out _, out int notBefore);
        return position + notBefore;
    }

    /// <summary>File offset of data directory 4 (the certificate table entry) of a valid PE32+ or PE32 image.</summary>
    private static int TableDirectory(byte[] pe)
    {
        int optional = (int)BinaryPrimitives.ReadUInt32LittleEndian(pe.AsSpan(0x3C)) + 24;
        bool plus = BinaryPrimitives.ReadUInt16LittleEndian(pe.AsSpan(optional)) == 0x20B;
        return optional + (plus ? 144 : 128);
    }

    private static byte[] Mutate(byte[] original, int table, Random random)
    {
        byte[] image = (byte[])original.Clone();
        int operations = random.Next(1, 4);
        for (int i = 0; i < operations; i++)
        {
            // Headers, the certificate table (the ASN.1 inside it above all) and the last bytes take most of the damage.
            int target = random.Next(4) switch
            {
                0 => random.Next(Math.Min(image.Length, 0x400)),
                1 or 2 => table + random.Next(Math.Max(1, image.Length - table)),
                _ => random.Next(image.Length),
            };
            target = Math.Clamp(target, 0, image.Length - 1);
            switch (random.Next(4))
            {
                case 0:
                    image[target] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    image[target] = (byte)random.Next(256);
                    break;
                case 2 when target + 4 <= image.Length:
                    BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(target), _extremeValues[random.Next(_extremeValues.Length)]);
                    break;
                default:
                    image = image[..Math.Max(0x40, image.Length - random.Next(1, 64))];
                    break;
            }
        }

        return image;
    }

    [GeneratedRegex("^(SIG|PE)[0-9]{4}$")]
    private static partial Regex CodePattern();
}
