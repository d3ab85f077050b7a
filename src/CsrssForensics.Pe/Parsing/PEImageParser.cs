using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Parsing;

/// <summary>
/// Reads one image with our own tolerant code. Header fields come straight from the bytes; every problem becomes an
/// anomaly and parsing goes on with what is still trustworthy. Split by concern with <c>partial</c>.
/// </summary>
internal sealed partial class PEImageParser
{
    private const int DosHeaderSize = 64;
    private const int FileHeaderSize = 20;
    private const int SectionHeaderSize = 40;
    private const int MaxSectionsRead = 256;
    private const int MaxAnomalies = 100;

    /// <summary>Windows XP's loader limit; later loaders accept more but real binaries stay far below it.</summary>
    private const int LoaderSectionLimit = 96;

    private const int DirectoryImport = 1;
    private const int DirectoryResource = 2;
    private const int DirectorySecurity = 4;
    private const int DirectoryDelayImport = 13;
    private const int DirectoryClr = 14;

    private readonly ReadOnlyMemory<byte> _image;
    private readonly string _evidenceFile;
    private readonly IAnomalySink _sink;
    private readonly ImmutableArray<Anomaly>.Builder _anomalies = ImmutableArray.CreateBuilder<Anomaly>();
    private readonly List<SectionHeader> _sections = [];
    private readonly (uint Rva, uint Size)[] _directories = new (uint, uint)[16];

    private ulong _dataDirectoriesOffset;
    private bool _isPe32Plus;
    private ulong _imageBase;
    private uint _sizeOfHeaders;

    public PEImageParser(ReadOnlyMemory<byte> image, string evidenceFile, IAnomalySink sink)
    {
        _image = image;
        _evidenceFile = evidenceFile;
        _sink = sink;
    }

    private ReadOnlySpan<byte> Data => _image.Span;

    public PEFileInfo Parse()
    {
        var data = Data;
        if (data.Length < DosHeaderSize || data[0] != (byte)'M' || data[1] != (byte)'Z')
        {
            Report(PEAnomalyCodes.MissingMz, AnomalySeverity.Medium, "no MZ header (IMAGE_DOS_HEADER.e_magic): not a PE image", 0);
            return NotPe();
        }

        SpanReader.TryReadUInt32At(data, 0x3C, out var lfanew);
        if (!SpanReader.Fits(data, lfanew, 4))
        {
            Report(PEAnomalyCodes.BadLfanew, AnomalySeverity.Medium,
                Invariant($"e_lfanew 0x{lfanew:X} points past the end of the file ({data.Length} bytes)"), 0x3C);
            return NotPe();
        }

        if (data[(int)lfanew] != (byte)'P' || data[(int)lfanew + 1] != (byte)'E' || data[(int)lfanew + 2] != 0 || data[(int)lfanew + 3] != 0)
        {
            Report(PEAnomalyCodes.MissingPeSignature, AnomalySeverity.Medium, "no PE\\0\\0 signature at e_lfanew", lfanew);
            return NotPe();
        }

        return ParseNtHeaders(lfanew);
    }

    private PEFileInfo NotPe() => new(
        IsPe: false, Machine: null, Subsystem: null, TimeDateStampUtc: null, IsPE32Plus: false, IsDll: false, IsDotNet: false,
        DeclaredCheckSum: 0, ComputedCheckSum: 0, Sections: [], OverlayOffset: null, OverlaySize: 0, Imports: [],
        Version: null, Layout: null, Anomalies: _anomalies.ToImmutable());

    private PEFileInfo ParseNtHeaders(uint lfanew)
    {
        var data = Data;
        var fileHeaderOffset = (ulong)lfanew + 4;
        var reader = new SpanReader(data, fileHeaderOffset);
        if (!reader.Fits(fileHeaderOffset, FileHeaderSize))
        {
            Report(PEAnomalyCodes.TruncatedFileHeader, AnomalySeverity.Medium, "IMAGE_FILE_HEADER is cut off by the end of the file", fileHeaderOffset);
            return Partial(header: null);
        }

        reader.TryReadUInt16(out var machine);
        reader.TryReadUInt16(out var numberOfSections);
        reader.TryReadUInt32(out var timeDateStamp);
        reader.TrySkip(8); // PointerToSymbolTable, NumberOfSymbols: images have no COFF symbols worth reading.
        reader.TryReadUInt16(out var sizeOfOptionalHeader);
        reader.TryReadUInt16(out var characteristics);

        var machineName = PENames.DescribeMachine(machine);
        if (machineName is null)
        {
            Report(PEAnomalyCodes.UnknownMachine, AnomalySeverity.Low, Invariant($"unknown IMAGE_FILE_HEADER.Machine 0x{machine:X4}"), fileHeaderOffset);
            machineName = PENames.Hex(machine, 4);
        }

        var header = new FileHeader(
            machine,
            machineName,
            numberOfSections,
            timeDateStamp == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(timeDateStamp),
            sizeOfOptionalHeader,
            IsDll: (characteristics & 0x2000) != 0);

        var optionalHeaderOffset = fileHeaderOffset + FileHeaderSize;
        var optional = ReadOptionalHeader(optionalHeaderOffset, sizeOfOptionalHeader);
        if (optional is null)
        {
            return Partial(header);
        }

        ReadSections(optionalHeaderOffset + sizeOfOptionalHeader, numberOfSections, fileHeaderOffset + 2);
        CheckHeaderSizes(optional, optionalHeaderOffset + sizeOfOptionalHeader + ((ulong)numberOfSections * SectionHeaderSize));
        CheckEntryPoint(optional);

        var computed = PEChecksum.Compute(data, (long)optional.CheckSumOffset);
        if (optional.CheckSum != 0 && optional.CheckSum != computed)
        {
            Report(PEAnomalyCodes.CheckSumMismatch, AnomalySeverity.Info,
                Invariant($"IMAGE_OPTIONAL_HEADER.CheckSum 0x{optional.CheckSum:X8} differs from the computed 0x{computed:X8}"),
                optional.CheckSumOffset);
        }

        var (certificateOffset, certificateSize) = CheckCertificateTable(optional);
        var (overlayOffset, overlaySize) = ComputeOverlay(certificateOffset, certificateSize);
        var isDotNet = ReadClrHeader();
        var imports = ReadImports();
        var version = ReadVersionResource();

        CrossCheckWithFramework(header, optional);

        var layout = new PEHeaderLayout(
            (long)optionalHeaderOffset,
            (long)optional.CheckSumOffset,
            (long)optional.CertificateDirectoryEntryOffset,
            optional.SizeOfHeaders,
            certificateOffset,
            certificateSize,
            optional.SectionAlignment,
            optional.FileAlignment);

        return new PEFileInfo(
            IsPe: true,
            header.MachineName,
            PENames.SubsystemName(optional.Subsystem),
            header.TimeDateStampUtc,
            _isPe32Plus,
            header.IsDll,
            isDotNet,
            optional.CheckSum,
            computed,
            BuildSectionRecords(),
            overlayOffset,
            overlaySize,
            imports,
            version,
            layout,
            _anomalies.ToImmutable());
    }

    /// <summary>A PE whose headers stop early: what the file header gave, nothing more.</summary>
    private PEFileInfo Partial(FileHeader? header) => new(
        IsPe: true, header?.MachineName, Subsystem: null, header?.TimeDateStampUtc, IsPE32Plus: false, header?.IsDll ?? false,
        IsDotNet: false, DeclaredCheckSum: 0, ComputedCheckSum: PEChecksum.Compute(Data, -1), Sections: [], OverlayOffset: null,
        OverlaySize: 0, Imports: [], Version: null, Layout: null, Anomalies: _anomalies.ToImmutable());

    private OptionalHeader? ReadOptionalHeader(ulong offset, ushort sizeOfOptionalHeader)
    {
        var data = Data;
        if (!SpanReader.TryReadUInt16At(data, offset, out var magic))
        {
            Report(PEAnomalyCodes.TruncatedOptionalHeader, AnomalySeverity.Medium, "the optional header is cut off by the end of the file", offset);
            return null;
        }

        if (magic is not 0x10B and not 0x20B)
        {
            Report(PEAnomalyCodes.UnknownOptionalHeaderMagic, AnomalySeverity.Medium,
                Invariant($"IMAGE_OPTIONAL_HEADER.Magic 0x{magic:X4} is neither PE32 (0x10B) nor PE32+ (0x20B)"), offset);
            return null;
        }

        _isPe32Plus = magic == 0x20B;

        // Offsets of IMAGE_OPTIONAL_HEADER32/64 fields: identical up to Subsystem except ImageBase; the data
        // directories start at 96 (PE32) or 112 (PE32+).
        var directoriesStart = _isPe32Plus ? 112u : 96u;
        if (!SpanReader.Fits(data, offset, directoriesStart))
        {
            Report(PEAnomalyCodes.TruncatedOptionalHeader, AnomalySeverity.Medium,
                Invariant($"the {(_isPe32Plus ? "PE32+" : "PE32")} optional header needs {directoriesStart} bytes but the file ends first"), offset);
            return null;
        }

        if (sizeOfOptionalHeader < directoriesStart)
        {
            Report(PEAnomalyCodes.TruncatedOptionalHeader, AnomalySeverity.Low,
                Invariant($"SizeOfOptionalHeader {sizeOfOptionalHeader} is smaller than the {directoriesStart}-byte fixed part; the section table overlaps it"),
                offset);
        }

        var reader = new SpanReader(data, offset + 16);
        reader.TryReadUInt32(out var entryPoint);
        if (_isPe32Plus)
        {
            SpanReader.TryReadUInt64At(data, offset + 24, out _imageBase);
        }
        else
        {
            SpanReader.TryReadUInt32At(data, offset + 28, out var imageBase32);
            _imageBase = imageBase32;
        }

        SpanReader.TryReadUInt32At(data, offset + 32, out var sectionAlignment);
        SpanReader.TryReadUInt32At(data, offset + 36, out var fileAlignment);
        SpanReader.TryReadUInt32At(data, offset + 60, out var sizeOfHeaders);
        SpanReader.TryReadUInt32At(data, offset + 64, out var checkSum);
        SpanReader.TryReadUInt16At(data, offset + 68, out var subsystem);
        SpanReader.TryReadUInt32At(data, offset + directoriesStart - 4, out var numberOfRvaAndSizes);
        _sizeOfHeaders = sizeOfHeaders;

        CheckAlignment(offset, sectionAlignment, fileAlignment);
        ReadDataDirectories(offset, directoriesStart, sizeOfOptionalHeader, numberOfRvaAndSizes);

        return new OptionalHeader(
            entryPoint,
            sectionAlignment,
            fileAlignment,
            sizeOfHeaders,
            checkSum,
            subsystem,
            CheckSumOffset: offset + 64,
            CertificateDirectoryEntryOffset: offset + directoriesStart + (DirectorySecurity * 8));
    }

    private void ReadDataDirectories(ulong optionalOffset, uint directoriesStart, ushort sizeOfOptionalHeader, uint numberOfRvaAndSizes)
    {
        var data = Data;
        var count = numberOfRvaAndSizes;
        if (count > 16)
        {
            // The loader reads at most IMAGE_NUMBEROF_DIRECTORY_ENTRIES (16).
            Report(PEAnomalyCodes.BadDataDirectoryCount, AnomalySeverity.Low,
                Invariant($"NumberOfRvaAndSizes is {numberOfRvaAndSizes}; only 16 data directories exist"), optionalOffset + directoriesStart - 4);
            count = 16;
        }

        if (directoriesStart + (count * 8) > sizeOfOptionalHeader)
        {
            Report(PEAnomalyCodes.BadDataDirectoryCount, AnomalySeverity.Low,
                Invariant($"{count} data directories do not fit SizeOfOptionalHeader {sizeOfOptionalHeader}"), optionalOffset + directoriesStart - 4);
        }

        _dataDirectoriesOffset = optionalOffset + directoriesStart;
        for (var i = 0u; i < count; i++)
        {
            var entryOffset = optionalOffset + directoriesStart + (i * 8);
            if (!SpanReader.TryReadUInt32At(data, entryOffset, out var rva) || !SpanReader.TryReadUInt32At(data, entryOffset + 4, out var size))
            {
                Report(PEAnomalyCodes.BadDataDirectoryCount, AnomalySeverity.Medium,
                    Invariant($"data directory {i} is cut off by the end of the file"), entryOffset);
                break;
            }

            _directories[i] = (rva, size);
        }
    }

    private bool ReadClrHeader()
    {
        var (rva, size) = _directories[DirectoryClr];
        if (rva == 0 && size == 0)
        {
            return false;
        }

        // IMAGE_COR20_HEADER.cb is 72; anything else means the directory is not a CLR header the runtime would load.
        if (size >= 72 && TryMapRva(rva, out var offset, out var available) && available >= 72
            && SpanReader.TryReadUInt32At(Data, offset, out var cb) && cb >= 72)
        {
            return true;
        }

        Report(PEAnomalyCodes.BadClrHeader, AnomalySeverity.Low,
            Invariant($"CLR header directory 0x{rva:X}+0x{size:X} cannot be read as IMAGE_COR20_HEADER"), DirectoryEntryOffset(DirectoryClr));
        return false;
    }

    private ImmutableArray<PESection> BuildSectionRecords()
    {
        var data = Data;
        var builder = ImmutableArray.CreateBuilder<PESection>(_sections.Count);
        foreach (var section in _sections)
        {
            var start = (ulong)section.PointerToRawData;
            var size = (ulong)section.SizeOfRawData;
            var available = start >= (ulong)data.Length ? 0 : Math.Min(size, (ulong)data.Length - start);
            SpanReader.TrySlice(data, start, available, out var raw);
            builder.Add(new PESection(
                section.Name,
                section.VirtualAddress,
                section.VirtualSize,
                section.PointerToRawData,
                section.SizeOfRawData,
                ShannonEntropy.Compute(raw),
                PENames.SectionCharacteristics(section.Characteristics)));
        }

        return builder.MoveToImmutable();
    }

    private void Report(string code, AnomalySeverity severity, string message, ulong? offset)
    {
        // A crafted file can make every structure wrong; past the cap one more anomaly says so and the rest is dropped.
        if (_anomalies.Count > MaxAnomalies)
        {
            return;
        }

        if (_anomalies.Count == MaxAnomalies)
        {
            (code, severity, message, offset) = (PEAnomalyCodes.TooManyAnomalies, AnomalySeverity.Medium,
                Invariant($"more than {MaxAnomalies} anomalies; the rest are not reported"), null);
        }

        var anomaly = new Anomaly(code, severity, message, new EvidenceRef(_evidenceFile, Offset: offset is ulong o ? (long)o : null));
        _anomalies.Add(anomaly);
        _sink.Report(anomaly);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record FileHeader(ushort Machine, string MachineName, ushort NumberOfSections, DateTimeOffset? TimeDateStampUtc, ushort SizeOfOptionalHeader, bool IsDll);

    private sealed record OptionalHeader(
        uint AddressOfEntryPoint,
        uint SectionAlignment,
        uint FileAlignment,
        uint SizeOfHeaders,
        uint CheckSum,
        ushort Subsystem,
        ulong CheckSumOffset,
        ulong CertificateDirectoryEntryOffset);
}
