using System.Collections.Frozen;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Public root CAs that commercial code-signing certificates chain to, pinned by SHA-256 of the DER. A chain to one of
/// them names a publisher a CA vetted; the suspect host cannot make its own root hash to one of these values. Only the
/// thumbprints are pinned: the certificate itself comes from the signature or the bundle's exported stores.
/// </summary>
internal static class PinnedPublicRoots
{
    /// <summary>Thumbprints (upper-case hex); each confirmed by two public sources, see PublicRoots.PROVENANCE.md.</summary>
    public static FrozenSet<string> Sha256Thumbprints { get; } = new[]
    {
        // DigiCert Assured ID Root CA
        "3E9099B5015E8F486C00BCEA9D111EE721FABA355A89BCF1DF69561E3DC6325C",
        // DigiCert Global Root CA
        "4348A0E9444C78CB265E058D5E8944B4D84F9662BD26DB257F8934A443C70161",
        // DigiCert Global Root G2
        "CB3CCBB76031E5E0138F8DD39A23F9DE47FFC35E43C1144CEA27D46A5AB1CB5F",
        // DigiCert Global Root G3
        "31AD6648F8104138C738F39EA4320133393E3A18CC02296EF97C2AC9EF6731D0",
        // DigiCert Trusted Root G4
        "552F7BDCF1A7AF9E6CE672017F4F12ABF77240C78E761AC203D1D9D20AC89988",
        // USERTrust RSA Certification Authority (Sectigo)
        "E793C9B02FD8AA13E21C31228ACCB08119643B749C898964B1746D46C3D4CBD2",
        // USERTrust ECC Certification Authority (Sectigo)
        "4FF460D54B9C86DABFBCFC5712E0400D2BED3FBC4D4FBDAA86E06ADCD2A9AD7A",
        // COMODO RSA Certification Authority (Sectigo)
        "52F0E1C4E58EC629291B60317F074671B85D7EA80D5B07273463534B32B40234",
        // GlobalSign Root CA (R1)
        "EBD41040E4BB3EC742C9E381D31EF2A41A48B6685C96E7CEF3C1DF6CD4331C99",
        // GlobalSign Root CA - R3
        "CBB522D7B7F127AD6A0113865BDF1CD4102E7D0759AF635A7CF4720DC963C53B",
        // Entrust Root Certification Authority - G2
        "43DF5774B03E7FEF5FE40D931A7BEDF1BB2E6B42738C4E6D3841103D3AA7F339",
        // SSL.com Root Certification Authority RSA
        "85666A562EE0BE5CE925C1D8890A6F76A87EC16D4D7D5F29EA7419CF20123B69",
        // SSL.com Root Certification Authority ECC
        "3417BB06CC6007DA1B961C920B8AB4CE3FAD820E4AA30B9ACBC4A74EBDCEBC65",
        // Certum Trusted Network CA
        "5C58468D55F58E497E743982D2B50010B6D165374ACF83A7D4A32DB768C4408E",
        // Certum Trusted Network CA 2
        "B676F2EDDAE8775CD36CB0F63CD1D4603961F49E6265BA013A2F0307B6D0B804",
        // Go Daddy Root Certificate Authority - G2
        "45140B3247EB9CC8C5B4F0D7B53091F73292089E6E5A63E2749DD3ACA9198EDA",
        // Starfield Root Certificate Authority - G2
        "2CE1CB0BF9D2F9E102993FBE215152C3B2DD0CABDE1C68E5319B839154DBB7F5",
    }.ToFrozenSet(StringComparer.Ordinal);
}
