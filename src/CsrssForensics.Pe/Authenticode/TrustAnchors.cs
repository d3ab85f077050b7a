using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// The certificates chains may end in, chosen explicitly and offline: the pinned Microsoft roots (always present) plus
/// any roots the caller names (a bundle's exported certificate stores, a user PEM). The host's own store is never read.
/// Each root remembers where it came from (<see cref="RootOrigin"/>), so a verdict can tell a root the suspect host
/// could have planted from one it cannot forge.
/// </summary>
public sealed class TrustAnchors
{
    private const string ResourceName = "CsrssForensics.Pe.Authenticode.MicrosoftRoots.pem";

    /// <summary>Cap on one PEM file, so a hostile certstore export cannot exhaust memory.</summary>
    internal const int MaxPemBytes = 64 * 1024 * 1024;

    private static readonly Lazy<X509Certificate2[]> _pinned = new(LoadPinned, LazyThreadSafetyMode.ExecutionAndPublication);

    private TrustAnchors(X509Certificate2Collection roots, X509Certificate2Collection intermediates, Dictionary<string, RootOrigin> origins)
    {
        Roots = roots;
        Intermediates = intermediates;
        RootOrigins = origins.ToFrozenDictionary(StringComparer.Ordinal);
        RootSha256 = RootOrigins.Keys.ToFrozenSet(StringComparer.Ordinal);
        IntermediateSha256 = intermediates.Select(static c => Thumbprint256(c)).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Self-signed certificates used as the custom trust store.</summary>
    internal X509Certificate2Collection Roots { get; }

    /// <summary>Non-self-signed certificates from the PEM files: offered to chain building, never trusted on their own.</summary>
    internal X509Certificate2Collection Intermediates { get; }

    internal FrozenSet<string> RootSha256 { get; }

    internal FrozenSet<string> IntermediateSha256 { get; }

    /// <summary>Where each root (by SHA-256) came from; the strongest origin wins when several sources hold it.</summary>
    internal FrozenDictionary<string, RootOrigin> RootOrigins { get; }

    /// <summary>Number of trust anchors (pinned Microsoft roots included).</summary>
    public int Count => Roots.Count;

    /// <summary>Only the pinned Microsoft roots.</summary>
    public static TrustAnchors PinnedMicrosoftOnly()
    {
        var roots = new X509Certificate2Collection();
        roots.AddRange(_pinned.Value);
        return new TrustAnchors(roots, [], PinnedOrigins());
    }

    /// <summary>
    /// The pinned Microsoft roots plus every self-signed certificate in PEM files the analyst supplied (<c>--roots</c>);
    /// others become intermediates. An unreadable block is reported (SIG0020) and skipped.
    /// </summary>
    public static TrustAnchors FromPem(IEnumerable<(string Name, byte[] Pem)> files, IAnomalySink sink) =>
        FromSources([], files, sink);

    /// <summary>
    /// The pinned Microsoft roots, the roots of a bundle's exported certificate stores (the suspect host's word) and the
    /// roots the analyst supplied. A root in both keeps the stronger origin; a root whose SHA-256 is pinned is pinned
    /// whichever file it came from.
    /// </summary>
    public static TrustAnchors FromSources(
        IEnumerable<(string Name, byte[] Pem)> hostStoreFiles,
        IEnumerable<(string Name, byte[] Pem)> analystFiles,
        IAnomalySink sink)
    {
        ArgumentNullException.ThrowIfNull(hostStoreFiles);
        ArgumentNullException.ThrowIfNull(analystFiles);
        ArgumentNullException.ThrowIfNull(sink);
        var roots = new X509Certificate2Collection();
        roots.AddRange(_pinned.Value);
        var origins = PinnedOrigins();
        var intermediates = new X509Certificate2Collection();
        var seenIntermediates = new HashSet<string>(StringComparer.Ordinal);
        var files = hostStoreFiles.Select(static f => (f.Name, f.Pem, Origin: RootOrigin.HostStore))
            .Concat(analystFiles.Select(static f => (f.Name, f.Pem, Origin: RootOrigin.Analyst)));
        foreach ((string name, byte[] pem, RootOrigin supplied) in files)
        {
            if (pem.Length > MaxPemBytes)
            {
                sink.Report(new Anomaly("SIG0020", AnomalySeverity.Medium, $"PEM file larger than {MaxPemBytes} bytes; not read", new EvidenceRef(name)));
                continue;
            }

            foreach (X509Certificate2 certificate in ReadPem(name, pem, sink))
            {
                string thumbprint = Thumbprint256(certificate);
                if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
                {
                    if (seenIntermediates.Add(thumbprint))
                    {
                        intermediates.Add(certificate);
                    }

                    continue;
                }

                RootOrigin origin = ClassifyRoot(thumbprint, supplied);
                if (!origins.TryGetValue(thumbprint, out RootOrigin known))
                {
                    roots.Add(certificate);
                    origins[thumbprint] = origin;
                }
                else if (Strength(origin) > Strength(known))
                {
                    origins[thumbprint] = origin;
                }
            }
        }

        return new TrustAnchors(roots, intermediates, origins);
    }

    /// <summary>
    /// The origin of a root by its SHA-256: a pinned thumbprint is pinned whoever supplied the certificate (nobody can
    /// make another certificate hash to it); any other root keeps the origin of the file it came from.
    /// </summary>
    internal static RootOrigin ClassifyRoot(string sha256Thumbprint, RootOrigin supplied) =>
        IsPinnedMicrosoftRoot(sha256Thumbprint) ? RootOrigin.PinnedMicrosoft
        : PinnedPublicRoots.Sha256Thumbprints.Contains(sha256Thumbprint) ? RootOrigin.PinnedPublic
        : supplied;

    /// <summary>Where a trust anchor came from; <see cref="RootOrigin.None"/> for a certificate that is not one.</summary>
    internal RootOrigin OriginOf(string? sha256Thumbprint) =>
        sha256Thumbprint is not null && RootOrigins.TryGetValue(sha256Thumbprint, out RootOrigin origin) ? origin : RootOrigin.None;

    private static int Strength(RootOrigin origin) => origin switch
    {
        RootOrigin.PinnedMicrosoft => 4,
        RootOrigin.PinnedPublic => 3,
        RootOrigin.Analyst => 2,
        RootOrigin.HostStore => 1,
        _ => 0,
    };

    private static Dictionary<string, RootOrigin> PinnedOrigins() =>
        _pinned.Value.ToDictionary(static c => Thumbprint256(c), static _ => RootOrigin.PinnedMicrosoft, StringComparer.Ordinal);

    /// <summary>True when the certificate is one of the pinned Microsoft roots (by SHA-256 of its DER).</summary>
    internal static bool IsPinnedMicrosoftRoot(string sha256Thumbprint) => PinnedMicrosoftRoots.Sha256Thumbprints.Contains(sha256Thumbprint);

    internal static string Thumbprint256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    internal static List<X509Certificate2> ReadPem(string name, byte[] pem, IAnomalySink sink) =>
        [.. ReadPemWithOffsets(name, pem, sink).Select(static c => c.Certificate)];

    /// <summary>The readable certificates of a PEM file, each with the character offset of its block.</summary>
    internal static List<(X509Certificate2 Certificate, int Offset)> ReadPemWithOffsets(string name, byte[] pem, IAnomalySink sink)
    {
        var result = new List<(X509Certificate2, int)>();
        string text = Encoding.ASCII.GetString(pem);
        ReadOnlySpan<char> rest = text;
        int consumed = 0;
        while (PemEncoding.TryFind(rest, out PemFields fields))
        {
            ReadOnlySpan<char> label = rest[fields.Label];
            if (label.SequenceEqual("CERTIFICATE") || label.SequenceEqual("TRUSTED CERTIFICATE") || label.SequenceEqual("X509 CERTIFICATE"))
            {
                try
                {
                    byte[] der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
                    X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);

                    // Validity and names decode lazily: read them now so a malformed anchor is refused here, not mid-chain.
                    _ = (certificate.NotBefore, certificate.NotAfter, certificate.Subject, certificate.Issuer);
                    result.Add((certificate, consumed + fields.Location.Start.Value));
                }
                catch (Exception ex) when (ex is CryptographicException or FormatException)
                {
                    sink.Report(new Anomaly("SIG0020", AnomalySeverity.Low, $"Unreadable certificate in PEM file: {ex.Message}",
                        new EvidenceRef(name, Offset: consumed + fields.Location.Start.Value)));
                }
            }

            int advance = fields.Location.End.Value;
            consumed += advance;
            rest = rest[advance..];
        }

        return result;
    }

    private static X509Certificate2[] LoadPinned()
    {
        using Stream stream = typeof(TrustAnchors).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the build");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var list = ReadPem(ResourceName, memory.ToArray(), new AnomalyList());
        X509Certificate2[] pinned = [.. list.Where(static c => IsPinnedMicrosoftRoot(Thumbprint256(c)))];
        if (pinned.Length != PinnedMicrosoftRoots.Sha256Thumbprints.Count)
        {
            // A build with a wrong resource must fail loudly, not quietly trust less (or more) than documented.
            throw new InvalidOperationException($"{ResourceName} holds {pinned.Length} of the {PinnedMicrosoftRoots.Sha256Thumbprints.Count} pinned roots");
        }

        return pinned;
    }
}

/// <summary>The Microsoft roots a chain must end in for a "Microsoft" verdict, pinned by SHA-256 of the DER.</summary>
internal static class PinnedMicrosoftRoots
{
    /// <summary>Thumbprints (upper-case hex); see MicrosoftRoots.PROVENANCE.md.</summary>
    public static FrozenSet<string> Sha256Thumbprints { get; } = new[]
    {
        // Microsoft Root Authority (1997, expired 2020-12-31): anchors old timestamped signatures.
        "F38406E540D7A9D90CB4A9479299640FFB6DF9E224ECC7A01C0D9558D8DAD77D",
        // Microsoft Root Certificate Authority (2001, expired 2021-05-09): older Windows files.
        "885DE64C340E3EA70658F01E1145F957FCDA27AABEEA1AB9FAA9FDB0102D4077",
        // Microsoft Root Certificate Authority 2010: Windows Production PCA 2011, Time-Stamp PCA 2010.
        "DF545BF919A2439C36983B54CDFC903DFA4F37D3996D8D84B4C31EEC6F3C163E",
        // Microsoft Root Certificate Authority 2011: Code Signing PCA 2011/2024 (.NET, Sysinternals).
        "847DF6A78497943F27FC72EB93F9A637320A02B561D0A91B09E87A7807ED7C61",
        // Microsoft Identity Verification Root Certificate Authority 2020.
        "5367F20C7ADE0E2BCA790915056D086B720C33C1FA2A2661ACF787E3292E1270",
        // Microsoft ECC Product Root Certificate Authority 2018.
        "CACA93B9D23D2B6FA76E8B8471931E0DF3EC6F63AF3CDBB936C41954A1872326",
        // Microsoft ECC TS Root Certificate Authority 2018.
        "3FD4BE8BAAD2F26E1BDE06C7584BB720DD1A972D111F5A4999BC44B08FB4960D",
    }.ToFrozenSet(StringComparer.Ordinal);
}
