namespace CsrssForensics.Pe;

/// <summary>
/// Stable anomaly codes of the PE layer. Codes never change meaning; new problems get new numbers.
/// PE0001-PE0009 image identity, PE0010-PE0029 headers and sections, PE0030-PE0039 imports,
/// PE0040-PE0049 resources, PE0050-PE0059 version info, PE0060-PE0069 cross-checks, PE0099 the anomaly cap.
/// </summary>
public static class PEAnomalyCodes
{
    /// <summary>The image is empty or shorter than IMAGE_DOS_HEADER, or does not start with <c>MZ</c>.</summary>
    public const string MissingMz = "PE0001";

    /// <summary>IMAGE_DOS_HEADER.e_lfanew points outside the file or is misaligned.</summary>
    public const string BadLfanew = "PE0002";

    /// <summary>No <c>PE\0\0</c> signature at e_lfanew.</summary>
    public const string MissingPeSignature = "PE0003";

    /// <summary>IMAGE_FILE_HEADER is cut off by the end of the file.</summary>
    public const string TruncatedFileHeader = "PE0010";

    /// <summary>The optional header is cut off, or SizeOfOptionalHeader is too small for its magic.</summary>
    public const string TruncatedOptionalHeader = "PE0011";

    /// <summary>IMAGE_OPTIONAL_HEADER.Magic is neither 0x10B (PE32) nor 0x20B (PE32+).</summary>
    public const string UnknownOptionalHeaderMagic = "PE0012";

    /// <summary>IMAGE_FILE_HEADER.Machine is not a known value.</summary>
    public const string UnknownMachine = "PE0013";

    /// <summary>NumberOfRvaAndSizes is above 16 or the data directories do not fit SizeOfOptionalHeader.</summary>
    public const string BadDataDirectoryCount = "PE0014";

    /// <summary>FileAlignment or SectionAlignment is not a power of two or violates the loader's limits.</summary>
    public const string BadAlignment = "PE0015";

    /// <summary>SizeOfHeaders is smaller than the headers or larger than the file.</summary>
    public const string BadSizeOfHeaders = "PE0016";

    /// <summary>The section table is cut off by the end of the file.</summary>
    public const string TruncatedSectionTable = "PE0017";

    /// <summary>More sections than the Windows loader accepts (96) or than this reader reads.</summary>
    public const string TooManySections = "PE0018";

    /// <summary>A section's raw data extends past the end of the file.</summary>
    public const string SectionBeyondEof = "PE0019";

    /// <summary>Two sections' raw data overlap in the file.</summary>
    public const string SectionsOverlap = "PE0020";

    /// <summary>Two sections' virtual ranges overlap, or one is not ascending.</summary>
    public const string SectionsVirtualOverlap = "PE0021";

    /// <summary>The stored CheckSum differs from the recomputed one (only when the stored value is not 0).</summary>
    public const string CheckSumMismatch = "PE0022";

    /// <summary>A data directory's RVA does not map to bytes inside the file.</summary>
    public const string DirectoryNotMapped = "PE0023";

    /// <summary>The certificate table (a file offset) lies outside the file or inside the headers/sections.</summary>
    public const string CertificateTableOutOfRange = "PE0024";

    /// <summary>The entry point does not fall inside any section.</summary>
    public const string EntryPointOutsideSections = "PE0025";

    /// <summary>The CLR (COM descriptor) header is present but cannot be read.</summary>
    public const string BadClrHeader = "PE0026";

    /// <summary>An import descriptor or thunk is truncated or points outside the file.</summary>
    public const string BadImportDescriptor = "PE0030";

    /// <summary>The import table has more entries than this reader reads.</summary>
    public const string TooManyImports = "PE0031";

    /// <summary>An import DLL or function name is unterminated, too long, or not mapped.</summary>
    public const string BadImportName = "PE0032";

    /// <summary>A delay-load import descriptor is truncated or points outside the file.</summary>
    public const string BadDelayImportDescriptor = "PE0033";

    /// <summary>A resource directory or entry is truncated or points outside the resource data.</summary>
    public const string BadResourceDirectory = "PE0040";

    /// <summary>A resource directory refers back to a directory already on the path (a loop).</summary>
    public const string ResourceLoop = "PE0041";

    /// <summary>Resource directories nest deeper than the three levels Windows uses.</summary>
    public const string ResourceTooDeep = "PE0042";

    /// <summary>The resource tree has more entries than this reader visits.</summary>
    public const string TooManyResources = "PE0043";

    /// <summary>A resource data entry points outside the file.</summary>
    public const string BadResourceData = "PE0044";

    /// <summary>A version resource block has a length that is too small or runs past its parent.</summary>
    public const string BadVersionBlock = "PE0050";

    /// <summary>VS_FIXEDFILEINFO is missing its 0xFEEF04BD signature or is truncated.</summary>
    public const string BadFixedFileInfo = "PE0051";

    /// <summary>A version string or key is unterminated or too long.</summary>
    public const string BadVersionString = "PE0052";

    /// <summary>The version resource nests too deep or has too many children.</summary>
    public const string VersionTooComplex = "PE0053";

    /// <summary>The framework's PE reader (System.Reflection.PortableExecutable) rejects headers this reader accepted.</summary>
    public const string FrameworkRejectsHeaders = "PE0060";

    /// <summary>The framework's PE reader and this reader disagree about a header field (a parser differential).</summary>
    public const string ParserDifferential = "PE0061";

    /// <summary>The image produced more anomalies than are reported (100); the rest were dropped.</summary>
    public const string TooManyAnomalies = "PE0099";
}
