using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Parsing;

/// <summary>Import directory (IMAGE_IMPORT_DESCRIPTOR) and delay-load directory (IMAGE_DELAYLOAD_DESCRIPTOR).</summary>
internal sealed partial class PEImageParser
{
    private const int MaxImportedDlls = 1024;
    private const int MaxFunctionsPerDll = 16384;
    private const int MaxFunctionsTotal = 65536;
    private const int MaxDllNameLength = 260;
    private const int MaxFunctionNameLength = 1024;

    private int _functionsRead;

    private ImmutableArray<PEImport> ReadImports()
    {
        var imports = ImmutableArray.CreateBuilder<PEImport>();
        ReadImportDirectory(imports);
        ReadDelayImportDirectory(imports);
        return imports.ToImmutable();
    }

    private void ReadImportDirectory(ImmutableArray<PEImport>.Builder imports)
    {
        var (rva, size) = _directories[DirectoryImport];
        if (rva == 0 && size == 0)
        {
            return;
        }

        if (!TryMapRva(rva, out var tableOffset, out var available))
        {
            Report(PEAnomalyCodes.DirectoryNotMapped, AnomalySeverity.Low, Invariant($"import directory RVA 0x{rva:X} is not inside the file"), DirectoryEntryOffset(DirectoryImport));
            return;
        }

        var data = Data;
        for (var i = 0; ; i++)
        {
            if (i >= MaxImportedDlls)
            {
                Report(PEAnomalyCodes.TooManyImports, AnomalySeverity.Low, Invariant($"more than {MaxImportedDlls} import descriptors; the rest is ignored"), tableOffset);
                return;
            }

            var descriptorOffset = (ulong)i * 20;
            if (descriptorOffset + 20 > available || !SpanReader.TrySlice(data, tableOffset + descriptorOffset, 20, out var raw))
            {
                Report(PEAnomalyCodes.BadImportDescriptor, AnomalySeverity.Low,
                    Invariant($"import descriptor {i} runs past the mapped data before the terminating entry"), tableOffset + descriptorOffset);
                return;
            }

            var reader = new SpanReader(raw);
            reader.TryReadUInt32(out var originalFirstThunk);
            reader.TrySkip(8); // TimeDateStamp, ForwarderChain: binding details.
            reader.TryReadUInt32(out var nameRva);
            reader.TryReadUInt32(out var firstThunk);

            // The loader stops at the first descriptor without a name or IAT, not only at an all-zero one.
            if (nameRva == 0 || firstThunk == 0)
            {
                return;
            }

            if (!TryReadAsciiZ(nameRva, MaxDllNameLength, out var dll))
            {
                Report(PEAnomalyCodes.BadImportName, AnomalySeverity.Low,
                    Invariant($"import descriptor {i} has an unreadable DLL name at RVA 0x{nameRva:X}; the rest of the table is not read"),
                    tableOffset + descriptorOffset + 12);

                // The loader refuses such an image; reading on would only turn garbage into a flood of anomalies.
                return;
            }

            var thunks = originalFirstThunk != 0 ? originalFirstThunk : firstThunk;
            imports.Add(new PEImport(dll, ReadThunks(dll, thunks, PEAnomalyCodes.BadImportDescriptor, namesAreRvas: true)));
        }
    }

    private void ReadDelayImportDirectory(ImmutableArray<PEImport>.Builder imports)
    {
        var (rva, size) = _directories[DirectoryDelayImport];
        if (rva == 0 && size == 0)
        {
            return;
        }

        if (!TryMapRva(rva, out var tableOffset, out var available))
        {
            Report(PEAnomalyCodes.DirectoryNotMapped, AnomalySeverity.Low, Invariant($"delay-import directory RVA 0x{rva:X} is not inside the file"), DirectoryEntryOffset(DirectoryDelayImport));
            return;
        }

        var data = Data;
        for (var i = 0; ; i++)
        {
            if (i >= MaxImportedDlls || imports.Count >= MaxImportedDlls * 2)
            {
                Report(PEAnomalyCodes.TooManyImports, AnomalySeverity.Low, Invariant($"more than {MaxImportedDlls} delay-import descriptors; the rest is ignored"), tableOffset);
                return;
            }

            var descriptorOffset = (ulong)i * 32;
            if (descriptorOffset + 32 > available || !SpanReader.TrySlice(data, tableOffset + descriptorOffset, 32, out var raw))
            {
                Report(PEAnomalyCodes.BadDelayImportDescriptor, AnomalySeverity.Low,
                    Invariant($"delay-import descriptor {i} runs past the mapped data before the terminating entry"), tableOffset + descriptorOffset);
                return;
            }

            var reader = new SpanReader(raw);
            reader.TryReadUInt32(out var attributes);
            reader.TryReadUInt32(out var nameAddress);
            reader.TrySkip(8); // ModuleHandleRVA, ImportAddressTableRVA
            reader.TryReadUInt32(out var nameTableAddress);
            if (nameAddress == 0)
            {
                return;
            }

            // dlattrRva (bit 0) clear means the old Visual C++ 6 layout, where these fields are VAs, not RVAs.
            var rvaBased = (attributes & 1) != 0;
            if (!TryToRva(nameAddress, rvaBased, out var nameRva) || !TryReadAsciiZ(nameRva, MaxDllNameLength, out var dll))
            {
                Report(PEAnomalyCodes.BadImportName, AnomalySeverity.Low,
                    Invariant($"delay-import descriptor {i} has an unreadable DLL name at 0x{nameAddress:X}; the rest of the table is not read"),
                    tableOffset + descriptorOffset + 4);
                return;
            }

            var functions = TryToRva(nameTableAddress, rvaBased, out var nameTableRva)
                ? ReadThunks(dll, nameTableRva, PEAnomalyCodes.BadDelayImportDescriptor, rvaBased)
                : [];
            imports.Add(new PEImport(dll, functions));
        }
    }

    private bool TryToRva(uint address, bool rvaBased, out uint rva)
    {
        if (rvaBased)
        {
            rva = address;
            return true;
        }

        if (address >= _imageBase && address - _imageBase <= uint.MaxValue)
        {
            rva = (uint)(address - _imageBase);
            return true;
        }

        rva = 0;
        return false;
    }

    /// <summary>
    /// Reads an IMAGE_THUNK_DATA array: ordinals (high bit set) as <c>#n</c>, otherwise IMAGE_IMPORT_BY_NAME
    /// (2-byte hint, then the name). Old-style delay-load name tables hold VAs (<paramref name="namesAreRvas"/> false).
    /// </summary>
    private ImmutableArray<string> ReadThunks(string dll, uint thunkRva, string code, bool namesAreRvas)
    {
        var functions = ImmutableArray.CreateBuilder<string>();
        if (!TryMapRva(thunkRva, out var offset, out var available))
        {
            Report(code, AnomalySeverity.Low, Invariant($"thunk array of {dll} at RVA 0x{thunkRva:X} is not inside the file"), null);
            return functions.ToImmutable();
        }

        var data = Data;
        var thunkSize = _isPe32Plus ? 8u : 4u;
        var ordinalFlag = _isPe32Plus ? 0x8000000000000000UL : 0x80000000UL;
        for (var i = 0; ; i++)
        {
            var position = (ulong)i * thunkSize;
            if (position + thunkSize > available)
            {
                Report(code, AnomalySeverity.Low, Invariant($"thunk array of {dll} runs past its section without a terminating entry"), offset + position);
                break;
            }

            ulong thunk;
            if (_isPe32Plus)
            {
                SpanReader.TryReadUInt64At(data, offset + position, out thunk);
            }
            else
            {
                SpanReader.TryReadUInt32At(data, offset + position, out var thunk32);
                thunk = thunk32;
            }

            if (thunk == 0)
            {
                break;
            }

            if (i >= MaxFunctionsPerDll || _functionsRead >= MaxFunctionsTotal)
            {
                Report(PEAnomalyCodes.TooManyImports, AnomalySeverity.Low, Invariant($"too many imported functions (at {dll}); the rest is ignored"), offset + position);
                break;
            }

            _functionsRead++;
            if ((thunk & ordinalFlag) != 0)
            {
                functions.Add("#" + (thunk & 0xFFFF).ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            uint hintNameRva;
            if (namesAreRvas)
            {
                hintNameRva = (uint)(thunk & 0x7FFFFFFF);
            }
            else if (thunk > uint.MaxValue || !TryToRva((uint)thunk, rvaBased: false, out hintNameRva))
            {
                hintNameRva = uint.MaxValue;
            }

            if (hintNameRva > uint.MaxValue - 2 || !TryReadAsciiZ(hintNameRva + 2, MaxFunctionNameLength, out var name))
            {
                Report(PEAnomalyCodes.BadImportName, AnomalySeverity.Low,
                    Invariant($"imported function {i} of {dll} has an unreadable name at RVA 0x{hintNameRva:X}; the rest of its thunks are not read"),
                    offset + position);
                break;
            }

            functions.Add(name);
        }

        return functions.ToImmutable();
    }

    /// <summary>A NUL-terminated ASCII string at an RVA, at most <paramref name="maxLength"/> bytes, printable only.</summary>
    private bool TryReadAsciiZ(uint rva, int maxLength, out string value)
    {
        value = string.Empty;
        if (!TryMapRva(rva, out var offset, out var available)
            || !SpanReader.TrySlice(Data, offset, Math.Min(available, (ulong)maxLength + 1), out var window))
        {
            return false;
        }

        var end = window.IndexOf((byte)0);
        if (end <= 0)
        {
            // Unterminated within the cap, or empty: neither names a DLL or a function.
            return false;
        }

        value = PENames.PrintableAscii(window[..end]);
        return true;
    }
}
