using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Parsing;

/// <summary>Section table and RVA-to-file-offset mapping.</summary>
internal sealed partial class PEImageParser
{
    private void ReadSections(ulong tableOffset, ushort declaredCount, ulong numberOfSectionsOffset)
    {
        var data = Data;
        int count = declaredCount;
        if (count > LoaderSectionLimit)
        {
            Report(PEAnomalyCodes.TooManySections, AnomalySeverity.Low,
                Invariant($"NumberOfSections is {declaredCount}; the classic loader limit is {LoaderSectionLimit}, this reader reads {MaxSectionsRead}"),
                numberOfSectionsOffset);
            count = Math.Min(count, MaxSectionsRead);
        }

        for (var i = 0; i < count; i++)
        {
            var headerOffset = tableOffset + ((ulong)i * SectionHeaderSize);
            if (!SpanReader.TrySlice(data, headerOffset, SectionHeaderSize, out var raw))
            {
                Report(PEAnomalyCodes.TruncatedSectionTable, AnomalySeverity.Medium,
                    Invariant($"section header {i} of {declaredCount} is cut off by the end of the file"), headerOffset);
                break;
            }

            var reader = new SpanReader(raw, 8);
            reader.TryReadUInt32(out var virtualSize);
            reader.TryReadUInt32(out var virtualAddress);
            reader.TryReadUInt32(out var sizeOfRawData);
            reader.TryReadUInt32(out var pointerToRawData);
            reader.TrySkip(12); // relocations and line numbers: object-file fields, zero in images.
            reader.TryReadUInt32(out var characteristics);
            var section = new SectionHeader(PENames.SectionName(raw[..8]), virtualSize, virtualAddress, sizeOfRawData, pointerToRawData, characteristics);
            _sections.Add(section);

            if (sizeOfRawData != 0 && !SpanReader.Fits(data, pointerToRawData, sizeOfRawData))
            {
                Report(PEAnomalyCodes.SectionBeyondEof, AnomalySeverity.Medium,
                    Invariant($"section '{section.Name}' raw data 0x{pointerToRawData:X}+0x{sizeOfRawData:X} runs past the end of the file (0x{data.Length:X})"),
                    headerOffset + 16);
            }
        }

        CheckSectionOverlaps(tableOffset);
    }

    private void CheckSectionOverlaps(ulong tableOffset)
    {
        var withRaw = _sections.Where(s => s.SizeOfRawData != 0)
            .OrderBy(s => s.PointerToRawData)
            .ThenBy(s => s.VirtualAddress)
            .ToList();
        for (var i = 1; i < withRaw.Count; i++)
        {
            var previous = withRaw[i - 1];
            var current = withRaw[i];
            if ((ulong)previous.PointerToRawData + previous.SizeOfRawData > current.PointerToRawData)
            {
                Report(PEAnomalyCodes.SectionsOverlap, AnomalySeverity.Low,
                    Invariant($"raw data of sections '{previous.Name}' and '{current.Name}' overlap at 0x{current.PointerToRawData:X}"), tableOffset);
            }
        }

        // The loader requires ascending, non-overlapping virtual ranges in table order.
        for (var i = 1; i < _sections.Count; i++)
        {
            var previous = _sections[i - 1];
            var current = _sections[i];
            if ((ulong)previous.VirtualAddress + previous.MappedSize > current.VirtualAddress)
            {
                Report(PEAnomalyCodes.SectionsVirtualOverlap, AnomalySeverity.Low,
                    Invariant($"virtual range of section '{current.Name}' (0x{current.VirtualAddress:X}) overlaps or precedes '{previous.Name}'"),
                    tableOffset + ((ulong)i * SectionHeaderSize) + 12);
            }
        }
    }

    /// <summary>
    /// Maps an RVA to a file offset the way the loader lays sections out: inside a section's raw data, or inside the
    /// headers below SizeOfHeaders. <paramref name="available"/> is how many bytes from there belong to the same
    /// region and exist in the file; bytes the loader would zero-fill are not readable here.
    /// </summary>
    private bool TryMapRva(uint rva, out ulong offset, out ulong available)
    {
        var length = (ulong)Data.Length;
        foreach (var section in _sections)
        {
            if (rva < section.VirtualAddress || (ulong)rva >= (ulong)section.VirtualAddress + section.MappedSize)
            {
                continue;
            }

            // Raw bytes past VirtualSize are zero in memory, so they are not readable through an RVA either.
            var delta = (ulong)(rva - section.VirtualAddress);
            var readable = Math.Min(section.SizeOfRawData, section.MappedSize);
            if (delta >= readable)
            {
                break;
            }

            offset = section.PointerToRawData + delta;
            var rawEnd = Math.Min((ulong)section.PointerToRawData + readable, length);
            if (offset >= rawEnd)
            {
                break;
            }

            available = rawEnd - offset;
            return true;
        }

        var headersEnd = Math.Min(_sizeOfHeaders, length);
        if (rva < headersEnd && !_sections.Any(s => rva >= s.VirtualAddress && (ulong)rva < (ulong)s.VirtualAddress + s.MappedSize))
        {
            offset = rva;
            available = headersEnd - rva;
            return true;
        }

        offset = 0;
        available = 0;
        return false;
    }

    private sealed record SectionHeader(string Name, uint VirtualSize, uint VirtualAddress, uint SizeOfRawData, uint PointerToRawData, uint Characteristics)
    {
        /// <summary>Size the section occupies in memory; VirtualSize 0 means SizeOfRawData (old linkers).</summary>
        public uint MappedSize => VirtualSize != 0 ? VirtualSize : SizeOfRawData;
    }
}
