using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Parsing;

/// <summary>Consistency checks of the headers once read: alignment, header sizes, entry point, certificate table range, overlay.</summary>
internal sealed partial class PEImageParser
{
    private void CheckAlignment(ulong optionalOffset, uint sectionAlignment, uint fileAlignment)
    {
        // Loader rules: FileAlignment a power of two in 512..64K, SectionAlignment >= FileAlignment; below the page size
        // both must be equal ("low alignment" images).
        var problems = new List<string>();
        if (!IsPowerOfTwo(fileAlignment))
        {
            problems.Add(Invariant($"FileAlignment 0x{fileAlignment:X} is not a power of two"));
        }

        if (!IsPowerOfTwo(sectionAlignment))
        {
            problems.Add(Invariant($"SectionAlignment 0x{sectionAlignment:X} is not a power of two"));
        }

        if (sectionAlignment < fileAlignment)
        {
            problems.Add(Invariant($"SectionAlignment 0x{sectionAlignment:X} is below FileAlignment 0x{fileAlignment:X}"));
        }
        else if (sectionAlignment >= 0x1000 && (fileAlignment < 0x200 || fileAlignment > 0x10000))
        {
            problems.Add(Invariant($"FileAlignment 0x{fileAlignment:X} is outside 0x200..0x10000"));
        }

        if (problems.Count > 0)
        {
            Report(PEAnomalyCodes.BadAlignment, AnomalySeverity.Low, string.Join("; ", problems), optionalOffset + 32);
        }
    }

    /// <summary>File offset of IMAGE_DATA_DIRECTORY[<paramref name="index"/>], the evidence for problems with that directory.</summary>
    private ulong DirectoryEntryOffset(int index) => _dataDirectoriesOffset + ((ulong)index * 8);

    private static bool IsPowerOfTwo(uint value) => value != 0 && (value & (value - 1)) == 0;

    private void CheckHeaderSizes(OptionalHeader optional, ulong endOfSectionTable)
    {
        var offset = optional.CheckSumOffset - 4;
        if (optional.SizeOfHeaders < endOfSectionTable)
        {
            Report(PEAnomalyCodes.BadSizeOfHeaders, AnomalySeverity.Low,
                Invariant($"SizeOfHeaders 0x{optional.SizeOfHeaders:X} ends before the section table (0x{endOfSectionTable:X})"), offset);
        }
        else if (optional.SizeOfHeaders > (ulong)Data.Length)
        {
            Report(PEAnomalyCodes.BadSizeOfHeaders, AnomalySeverity.Low,
                Invariant($"SizeOfHeaders 0x{optional.SizeOfHeaders:X} is larger than the file (0x{Data.Length:X})"), offset);
        }
    }

    private void CheckEntryPoint(OptionalHeader optional)
    {
        // A DLL without DllMain has entry point 0; anything else should land in a section.
        if (optional.AddressOfEntryPoint == 0 || _sections.Count == 0)
        {
            return;
        }

        foreach (var section in _sections)
        {
            if (optional.AddressOfEntryPoint >= section.VirtualAddress
                && (ulong)optional.AddressOfEntryPoint < (ulong)section.VirtualAddress + section.MappedSize)
            {
                return;
            }
        }

        Report(PEAnomalyCodes.EntryPointOutsideSections, AnomalySeverity.Low,
            Invariant($"AddressOfEntryPoint 0x{optional.AddressOfEntryPoint:X} is not inside any section"), optional.CheckSumOffset - 48);
    }

    private (uint Offset, uint Size) CheckCertificateTable(OptionalHeader optional)
    {
        var (offset, size) = _directories[DirectorySecurity];
        if (size == 0)
        {
            // WinVerifyTrust treats a zero-sized entry as "no signature" whatever the offset says.
            return (offset, 0);
        }

        // IMAGE_DIRECTORY_ENTRY_SECURITY holds a file offset, not an RVA. Its content is the Authenticode layer's job;
        // here only the range is checked.
        if (!SpanReader.Fits(Data, offset, size))
        {
            Report(PEAnomalyCodes.CertificateTableOutOfRange, AnomalySeverity.Medium,
                Invariant($"certificate table 0x{offset:X}+0x{size:X} does not lie inside the file (0x{Data.Length:X} bytes)"),
                optional.CertificateDirectoryEntryOffset);
        }
        else if (offset < optional.SizeOfHeaders)
        {
            Report(PEAnomalyCodes.CertificateTableOutOfRange, AnomalySeverity.Medium,
                Invariant($"certificate table at 0x{offset:X} starts inside the headers (SizeOfHeaders 0x{optional.SizeOfHeaders:X})"),
                optional.CertificateDirectoryEntryOffset);
        }

        return (offset, size);
    }

    /// <summary>
    /// Bytes after the end of the last section's raw data. A certificate table at the end of the file is not overlay:
    /// signing puts it there.
    /// </summary>
    private (long? Offset, long Size) ComputeOverlay(uint certificateOffset, uint certificateSize)
    {
        var length = (ulong)Data.Length;
        ulong end = 0;
        foreach (var section in _sections)
        {
            if (section.SizeOfRawData == 0)
            {
                continue;
            }

            end = Math.Max(end, (ulong)section.PointerToRawData + section.SizeOfRawData);
        }

        if (_sections.Count == 0 || end == 0)
        {
            end = _sizeOfHeaders;
        }

        if (end >= length)
        {
            return (null, 0);
        }

        var overlayStart = end;
        var overlaySize = length - end;
        var certificateEnd = (ulong)certificateOffset + certificateSize;
        if (certificateSize != 0 && certificateOffset >= end && certificateEnd <= length)
        {
            overlaySize -= certificateSize;
            if (certificateOffset == end)
            {
                overlayStart = certificateEnd;
            }
        }

        return overlaySize == 0 ? (null, 0) : ((long)overlayStart, (long)overlaySize);
    }
}
