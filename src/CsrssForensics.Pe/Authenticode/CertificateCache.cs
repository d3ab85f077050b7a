using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>A certificate decoded once, with what the verifier asks of it precomputed.</summary>
internal sealed class CachedCertificate
{
    /// <summary>Public-key objects not in use: one per thread that verifies at the same time, so threads never wait on one key.</summary>
    private readonly ConcurrentBag<AsymmetricAlgorithm> _idleKeys = [];
    private int _keyUnusable;

    /// <exception cref="CryptographicException">A field X509Certificate2 decodes lazily (validity, names, extensions) is malformed.</exception>
    public CachedCertificate(X509Certificate2 certificate, string sha256)
    {
        Certificate = certificate;
        Sha256 = sha256;

        // X509Certificate2 decodes validity and names on first use; a malformed one would throw later, deep inside chain
        // building. Reading them here makes such a certificate "undecodable" once, at load.
        NotBeforeUtc = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        NotAfterUtc = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        Subject = certificate.Subject;
        Issuer = certificate.Issuer;
        Thumbprint = certificate.Thumbprint;
        IssuerName = certificate.IssuerName.RawData;
        SerialNumber = TrimLeadingZeros(certificate.SerialNumberBytes.Span).ToArray();
        SubjectKeyIdentifier = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifierBytes.ToArray() ?? [];
        AllowsCodeSigning = AllowsUsage(certificate, AuthenticodeOids.CodeSigning);
        AllowsTimeStamping = AllowsUsage(certificate, "1.3.6.1.5.5.7.3.8");
    }

    public X509Certificate2 Certificate { get; }

    public DateTimeOffset NotBeforeUtc { get; }

    public DateTimeOffset NotAfterUtc { get; }

    public string Subject { get; }

    public string Issuer { get; }

    /// <summary>SHA-1 thumbprint, the form Windows tools show.</summary>
    public string Thumbprint { get; }

    public string Sha256 { get; }

    public byte[] IssuerName { get; }

    public byte[] SerialNumber { get; }

    public byte[] SubjectKeyIdentifier { get; }

    public bool AllowsCodeSigning { get; }

    public bool AllowsTimeStamping { get; }

    /// <summary>True when this certificate is the one a SignerInfo names.</summary>
    public bool Matches(Pkcs7Signer signer) => signer.SubjectKeyIdentifier.IsEmpty
        ? signer.IssuerName.Span.SequenceEqual(IssuerName) && TrimLeadingZeros(signer.SerialNumber.Span).SequenceEqual(SerialNumber)
        : signer.SubjectKeyIdentifier.Span.SequenceEqual(SubjectKeyIdentifier);

    /// <summary>
    /// Verifies a PKCS#1 v1.5 RSA, RSASSA-PSS (salt = hash length; <see cref="RsaPss"/> checks the parameters first) or
    /// ECDSA signature with the cached public key; null when the algorithm is not supported.
    /// </summary>
    public bool? Verify(string signatureAlgorithm, HashAlgorithmName hash, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        // A key object is not documented as safe for concurrent use, and one lock per key made every thread queue on the
        // signer all files share: each verifying thread borrows a key object of its own and gives it back.
        AsymmetricAlgorithm? key = RentKey();
        if (key is null)
        {
            return null;
        }

        try
        {
            return (signatureAlgorithm, key) switch
            {
                ("1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.5" or "1.2.840.113549.1.1.11" or "1.2.840.113549.1.1.12" or "1.2.840.113549.1.1.13", RSA rsa)
                    => rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1),
                (RsaPss.Oid, RSA rsa) => rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pss),
                ("1.2.840.10045.2.1" or "1.2.840.10045.4.1" or "1.2.840.10045.4.3.2" or "1.2.840.10045.4.3.3" or "1.2.840.10045.4.3.4", ECDsa ecdsa)
                    => ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence),
                _ => null,
            };
        }
        finally
        {
            _idleKeys.Add(key);
        }
    }

    private AsymmetricAlgorithm? RentKey()
    {
        if (_idleKeys.TryTake(out AsymmetricAlgorithm? idle))
        {
            return idle;
        }

        if (Volatile.Read(ref _keyUnusable) != 0)
        {
            return null;
        }

        try
        {
            AsymmetricAlgorithm? created = (AsymmetricAlgorithm?)Certificate.GetRSAPublicKey() ?? Certificate.GetECDsaPublicKey();
            if (created is null)
            {
                Volatile.Write(ref _keyUnusable, 1);
            }

            return created;
        }
        catch (CryptographicException)
        {
            Volatile.Write(ref _keyUnusable, 1);
            return null;
        }
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    /// <summary>An EKU extension, when present, must list the usage (or anyExtendedKeyUsage); no extension allows all.</summary>
    private static bool AllowsUsage(X509Certificate2 certificate, string usage)
    {
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension eku)
            {
                foreach (Oid oid in eku.EnhancedKeyUsages)
                {
                    if (oid.Value == usage || oid.Value == AuthenticodeOids.AnyExtendedKeyUsage)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Certificates by their DER, decoded once per verifier: thousands of files carry the same handful of signer,
/// intermediate and TSA certificates, and decoding one costs more than verifying a signature. Lookup compares the
/// whole DER (no digest per lookup): a hit is byte-for-byte the certificate decoded before.
/// </summary>
internal sealed class CertificateCache
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<byte[], CachedCertificate?> _entries;
    private readonly ConcurrentDictionary<byte[], CachedCertificate?>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;

    private readonly VerifierCounters _counters;

    public CertificateCache(VerifierCounters counters)
    {
        _counters = counters;
        _entries = new ConcurrentDictionary<byte[], CachedCertificate?>(DerComparer.Instance);
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The decoded certificate, or null when the DER does not decode.</summary>
    public CachedCertificate? Get(ReadOnlyMemory<byte> der)
    {
        if (_bySpan.TryGetValue(der.Span, out CachedCertificate? cached))
        {
            return cached;
        }

        long started = VerifierCounters.Now;
        string key = Convert.ToHexString(SHA256.HashData(der.Span));
        CachedCertificate? created;
        try
        {
            created = new CachedCertificate(X509CertificateLoader.LoadCertificate(der.Span), key);
        }
        catch (CryptographicException)
        {
            created = null;
        }

        _counters.CertificateDecoded(started);

        return _entries.Count < MaxEntries ? _entries.GetOrAdd(der.ToArray(), created) : created;
    }

    /// <summary>Decodes (from cache) every certificate of a SignedData.</summary>
    public List<CachedCertificate> GetAll(IEnumerable<ReadOnlyMemory<byte>> certificates)
    {
        var list = new List<CachedCertificate>();
        foreach (ReadOnlyMemory<byte> der in certificates)
        {
            if (Get(der) is { } certificate)
            {
                list.Add(certificate);
            }
        }

        return list;
    }

    /// <summary>Equality is the full byte sequence; the hash only spreads the buckets.</summary>
    private sealed class DerComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly DerComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null || y is null ? ReferenceEquals(x, y) : x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> der)
        {
            var hash = default(HashCode);
            hash.AddBytes(der);
            return hash.ToHashCode();
        }
    }
}
