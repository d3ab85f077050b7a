using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Pe;

/// <summary>
/// What <see cref="PEFileReader"/> read from one binary. Every field is best effort: a malformed image still yields a
/// record, with the problems listed in <see cref="Anomalies"/>.
/// </summary>
/// <param name="IsPe">True once the MZ header, <c>e_lfanew</c> and the <c>PE\0\0</c> signature were found.</param>
/// <param name="Machine">IMAGE_FILE_HEADER.Machine as a name (<c>I386</c>, <c>AMD64</c>, <c>ARM64</c>...) or <c>0x....</c> when unknown.</param>
/// <param name="Subsystem">IMAGE_OPTIONAL_HEADER.Subsystem as a name (<c>Native</c>, <c>WindowsGui</c>, <c>WindowsCui</c>...).</param>
/// <param name="TimeDateStampUtc">IMAGE_FILE_HEADER.TimeDateStamp as UTC; null when zero. Reproducible builds store a hash here.</param>
/// <param name="DeclaredCheckSum">IMAGE_OPTIONAL_HEADER.CheckSum as stored (0 is common and not an anomaly).</param>
/// <param name="ComputedCheckSum">The checksum recomputed over the file with the standard algorithm.</param>
/// <param name="OverlayOffset">File offset of bytes after the last section's raw data that are not the certificate table; null if none.</param>
/// <param name="OverlaySize">Number of overlay bytes (0 if none).</param>
/// <param name="Imports">Import directory entries in file order, followed by delay-load imports.</param>
/// <param name="Layout">Header offsets Authenticode needs; null when the optional header could not be read.</param>
public sealed record PEFileInfo(
    bool IsPe,
    string? Machine,
    string? Subsystem,
    DateTimeOffset? TimeDateStampUtc,
    bool IsPE32Plus,
    bool IsDll,
    bool IsDotNet,
    uint DeclaredCheckSum,
    uint ComputedCheckSum,
    ImmutableArray<PESection> Sections,
    long? OverlayOffset,
    long OverlaySize,
    ImmutableArray<PEImport> Imports,
    VersionInfo? Version,
    PEHeaderLayout? Layout,
    ImmutableArray<Anomaly> Anomalies)
{
    /// <summary>The subset the rules need, tagged with the binary's path inside the bundle.</summary>
    public BinaryInfo ToBinaryInfo(string bundlePath) => new(
        bundlePath,
        IsPe,
        Machine,
        Subsystem,
        Version?.OriginalFilename,
        Version?.InternalName,
        Version?.CompanyName,
        Version?.FileDescription,
        Version?.ProductName,
        Version?.FileVersion ?? Version?.FixedFileVersion,
        Anomalies);
}

/// <summary>One IMAGE_SECTION_HEADER plus the Shannon entropy (bits per byte, 0..8) of its raw data inside the file.</summary>
/// <param name="Characteristics">The flags as hex plus names, e.g. <c>0x60000020 CNT_CODE|MEM_EXECUTE|MEM_READ</c>.</param>
public sealed record PESection(
    string Name,
    uint VirtualAddress,
    uint VirtualSize,
    uint PointerToRawData,
    uint SizeOfRawData,
    double Entropy,
    string Characteristics);

/// <summary>One imported DLL and the functions taken from it (by name, or <c>#ordinal</c>).</summary>
public sealed record PEImport(string Dll, ImmutableArray<string> Functions);

/// <summary>
/// The version resource (RT_VERSION): the strings of the chosen StringTable (040904B0, then 040904E4, then the first
/// Translation, then the first table) and VS_FIXEDFILEINFO's file version as <c>a.b.c.d</c>.
/// </summary>
public sealed record VersionInfo(
    string? CompanyName,
    string? FileDescription,
    string? OriginalFilename,
    string? InternalName,
    string? ProductName,
    string? FileVersion,
    string? ProductVersion,
    string? LegalCopyright,
    string? FixedFileVersion);

/// <summary>
/// File offsets Authenticode needs: start of optional header, CheckSum field (O+64), certificate directory entry
/// (O+128 PE32 / O+144 PE32+), SizeOfHeaders, certificate table file offset/size from the directory.
/// </summary>
/// <param name="CertificateTableOffset">IMAGE_DIRECTORY_ENTRY_SECURITY.VirtualAddress, which is a file offset, not an RVA.</param>
public sealed record PEHeaderLayout(
    long OptionalHeaderOffset,
    long CheckSumOffset,
    long CertificateDirectoryEntryOffset,
    uint SizeOfHeaders,
    uint CertificateTableOffset,
    uint CertificateTableSize,
    uint SectionAlignment,
    uint FileAlignment);
