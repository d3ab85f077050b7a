using System.Security.Cryptography;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>Object identifiers used by Authenticode and security catalogs (wintrust.h, mssign32, RFC 3161).</summary>
internal static class AuthenticodeOids
{
    public const string SpcIndirectData = "1.3.6.1.4.1.311.2.1.4";
    public const string SpcPeImageData = "1.3.6.1.4.1.311.2.1.15";
    public const string SpcFlatFileData = "1.3.6.1.4.1.311.2.1.25";
    public const string SpcLink = "1.3.6.1.4.1.311.2.1.28";
    public const string NestedSignature = "1.3.6.1.4.1.311.2.4.1";
    public const string Rfc3161Timestamp = "1.3.6.1.4.1.311.3.3.1";
    public const string CounterSignature = "1.2.840.113549.1.9.6";
    public const string SigningTime = "1.2.840.113549.1.9.5";
    public const string CertificateTrustList = "1.3.6.1.4.1.311.10.1";
    public const string CatalogList = "1.3.6.1.4.1.311.12.1.1";
    public const string CatalogListMember = "1.3.6.1.4.1.311.12.1.2";
    public const string CatalogListMember2 = "1.3.6.1.4.1.311.12.1.3";
    public const string CatalogNameValue = "1.3.6.1.4.1.311.12.2.1";
    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";
    public const string Sha1 = "1.3.14.3.2.26";
    public const string Sha256 = "2.16.840.1.101.3.4.2.1";
    public const string Sha384 = "2.16.840.1.101.3.4.2.2";
    public const string Sha512 = "2.16.840.1.101.3.4.2.3";
    public const string Md5 = "1.2.840.113549.2.5";

    /// <summary>Maps a digest OID to a hash algorithm this verifier computes; false for MD5 and unknown OIDs.</summary>
    public static bool TryGetHashAlgorithm(string? oid, out HashAlgorithmName algorithm)
    {
        algorithm = oid switch
        {
            Sha1 => HashAlgorithmName.SHA1,
            Sha256 => HashAlgorithmName.SHA256,
            Sha384 => HashAlgorithmName.SHA384,
            Sha512 => HashAlgorithmName.SHA512,
            _ => default,
        };
        return algorithm.Name is not null;
    }

    /// <summary>A short display name for a digest OID.</summary>
    public static string DigestName(string? oid) => oid switch
    {
        Sha1 => "SHA1",
        Sha256 => "SHA256",
        Sha384 => "SHA384",
        Sha512 => "SHA512",
        Md5 => "MD5",
        null => "unknown",
        _ => oid,
    };
}
