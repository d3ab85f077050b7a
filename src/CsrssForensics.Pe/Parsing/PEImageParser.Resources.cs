using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Parsing;

/// <summary>
/// Resource directory walk (IMAGE_RESOURCE_DIRECTORY, three levels: type, name, language) to find RT_VERSION.
/// The whole tree is walked so structural problems show up wherever they are, with caps on depth and entries and a
/// visited set so a loop or a shared subtree is reported once instead of recursing.
/// </summary>
internal sealed partial class PEImageParser
{
    private const ushort ResourceTypeVersion = 16;

    /// <summary>Windows uses exactly three directory levels; a subdirectory below the language level is not loaded.</summary>
    private const int MaxResourceDepth = 3;

    private const int MaxResourceEntries = 10_000;
    private const uint MaxVersionResourceSize = 1 << 20;

    private ulong _resourceRoot;
    private ulong _resourceAvailable;
    private int _resourceEntries;
    private bool _resourceBudgetExhausted;
    private readonly HashSet<ulong> _resourceDirectoriesVisited = [];
    private readonly List<(ulong Offset, uint Size)> _versionCandidates = [];

    private VersionInfo? ReadVersionResource()
    {
        var (rva, size) = _directories[DirectoryResource];
        if (rva == 0 && size == 0)
        {
            return null;
        }

        if (!TryMapRva(rva, out _resourceRoot, out _resourceAvailable))
        {
            Report(PEAnomalyCodes.DirectoryNotMapped, AnomalySeverity.Low, Invariant($"resource directory RVA 0x{rva:X} is not inside the file"), DirectoryEntryOffset(DirectoryResource));
            return null;
        }

        WalkResourceDirectory(0, 0, underVersionType: false);
        if (_versionCandidates.Count == 0)
        {
            return null;
        }

        // Entries are sorted by name/ID then language in the file; the first RT_VERSION entry is what
        // GetFileVersionInfo sees for a neutral or single-language binary.
        var (offset, versionSize) = _versionCandidates[0];
        if (versionSize > MaxVersionResourceSize)
        {
            Report(PEAnomalyCodes.BadVersionBlock, AnomalySeverity.Low,
                Invariant($"version resource of {versionSize} bytes is larger than the {MaxVersionResourceSize}-byte cap; only the start is read"), offset);
            versionSize = MaxVersionResourceSize;
        }

        SpanReader.TrySlice(Data, offset, versionSize, out var blob);
        return ParseVersionInfo(blob, offset);
    }

    private void WalkResourceDirectory(ulong relative, int depth, bool underVersionType)
    {
        var directoryOffset = _resourceRoot + relative;
        if (!_resourceDirectoriesVisited.Add(relative))
        {
            Report(PEAnomalyCodes.ResourceLoop, AnomalySeverity.Medium,
                Invariant($"resource directory at +0x{relative:X} is referenced again (a loop or a shared subtree); not followed"), directoryOffset);
            return;
        }

        if (relative > _resourceAvailable || _resourceAvailable - relative < 16)
        {
            Report(PEAnomalyCodes.BadResourceDirectory, AnomalySeverity.Low,
                Invariant($"resource directory at +0x{relative:X} lies outside the resource data"), directoryOffset);
            return;
        }

        var data = Data;
        SpanReader.TryReadUInt16At(data, directoryOffset + 12, out var namedEntries);
        SpanReader.TryReadUInt16At(data, directoryOffset + 14, out var idEntries);
        var declared = (ulong)namedEntries + idEntries;
        var fitting = (_resourceAvailable - relative - 16) / 8;
        var count = declared;
        if (declared > fitting)
        {
            Report(PEAnomalyCodes.BadResourceDirectory, AnomalySeverity.Low,
                Invariant($"resource directory at +0x{relative:X} declares {declared} entries but only {fitting} fit in the resource data"), directoryOffset + 12);
            count = fitting;
        }

        for (ulong i = 0; i < count; i++)
        {
            if (_resourceBudgetExhausted)
            {
                return;
            }

            if (++_resourceEntries > MaxResourceEntries)
            {
                _resourceBudgetExhausted = true;
                Report(PEAnomalyCodes.TooManyResources, AnomalySeverity.Low,
                    Invariant($"more than {MaxResourceEntries} resource entries; the rest is not read"), directoryOffset);
                return;
            }

            var entryOffset = directoryOffset + 16 + (i * 8);
            SpanReader.TryReadUInt32At(data, entryOffset, out var nameOrId);
            SpanReader.TryReadUInt32At(data, entryOffset + 4, out var offsetToData);
            var isNamed = (nameOrId & 0x80000000) != 0;
            var isVersion = depth == 0 ? !isNamed && nameOrId == ResourceTypeVersion : underVersionType;

            if ((offsetToData & 0x80000000) != 0)
            {
                if (depth + 1 >= MaxResourceDepth)
                {
                    Report(PEAnomalyCodes.ResourceTooDeep, AnomalySeverity.Low,
                        Invariant($"resource entry at +0x{entryOffset - _resourceRoot:X} nests a directory below the language level; not followed"), entryOffset);
                    continue;
                }

                WalkResourceDirectory(offsetToData & 0x7FFFFFFF, depth + 1, isVersion);
                continue;
            }

            ReadResourceDataEntry(offsetToData, isVersion);
        }
    }

    private void ReadResourceDataEntry(uint relative, bool isVersion)
    {
        var entryOffset = _resourceRoot + relative;
        if (relative > _resourceAvailable || _resourceAvailable - relative < 16)
        {
            Report(PEAnomalyCodes.BadResourceDirectory, AnomalySeverity.Low,
                Invariant($"resource data entry at +0x{relative:X} lies outside the resource data"), entryOffset);
            return;
        }

        // IMAGE_RESOURCE_DATA_ENTRY.OffsetToData is an RVA, unlike the directory offsets above.
        SpanReader.TryReadUInt32At(Data, entryOffset, out var dataRva);
        SpanReader.TryReadUInt32At(Data, entryOffset + 4, out var size);
        if (!TryMapRva(dataRva, out var dataOffset, out var available) || available < size)
        {
            Report(PEAnomalyCodes.BadResourceData, AnomalySeverity.Low,
                Invariant($"resource data 0x{dataRva:X}+0x{size:X} is not inside the file"), entryOffset);
            return;
        }

        if (isVersion)
        {
            _versionCandidates.Add((dataOffset, size));
        }
    }
}
