using System.Buffers.Binary;
using System.Text;

namespace CsrssForensics.Pe.Tests.Support;

/// <summary>
/// Builds small, valid PE32 or PE32+ images in memory for tests, with chosen sections, imports, delay imports, a
/// version resource, a CLR header, overlay and a certificate table. Output is byte-for-byte deterministic.
/// </summary>
/// <remarks>
/// <para>Layout of every image: DOS header (e_lfanew = 0x80, no stub), <c>PE\0\0</c>, IMAGE_FILE_HEADER, optional
/// header with 16 data directories, section table; SizeOfHeaders 0x200. Sections follow at FileAlignment 0x200 and
/// SectionAlignment 0x1000 in this order: <c>.text</c> (a <c>ret</c>, plus IMAGE_COR20_HEADER with
/// <see cref="AsDotNet"/>), sections added with <see cref="WithSection"/>, <c>.idata</c> (imports and delay imports),
/// <c>.rsrc</c> (RT_VERSION). Then the overlay, then (8-byte aligned, zero padded) the certificate table.</para>
/// <para>The CheckSum is 0 unless <see cref="WithValidCheckSum"/> or <see cref="WithCheckSum"/> is used; the valid one
/// is computed here independently of the production code (per-word folding, as in imagehlp).</para>
/// <para>Usage:
/// <code>
/// var bytes = TestPEBuilder.Pe32Plus()
///     .WithSubsystem(TestPEBuilder.SubsystemNative)
///     .WithImport("CSRSRV.dll", "CsrServerInitialization")
///     .WithVersionString("OriginalFilename", "CSRSS.Exe")
///     .WithFixedFileVersion(10, 0, 19041, 1)
///     .Build();
/// </code>
/// <see cref="BuildImage"/> also returns the file offsets of the structures, for tests that corrupt one of them.
/// Other test projects can link this file (<c>&lt;Compile Include="../CsrssForensics.Pe.Tests/Support/TestPEBuilder.cs" /&gt;</c>).</para>
/// </remarks>
internal sealed class TestPEBuilder
{
    public const ushort MachineI386 = 0x014C;
    public const ushort MachineAmd64 = 0x8664;
    public const ushort MachineArm64 = 0xAA64;
    public const ushort SubsystemNative = 1;
    public const ushort SubsystemWindowsGui = 2;
    public const ushort SubsystemWindowsCui = 3;

    public const uint SectionCode = 0x60000020;        // CNT_CODE | MEM_EXECUTE | MEM_READ
    public const uint SectionData = 0xC0000040;        // CNT_INITIALIZED_DATA | MEM_READ | MEM_WRITE
    public const uint SectionReadOnlyData = 0x40000040; // CNT_INITIALIZED_DATA | MEM_READ

    private const int LfaNew = 0x80;
    private const uint FileAlignment = 0x200;
    private const uint SectionAlignment = 0x1000;

    private readonly bool _pe32Plus;
    private readonly List<(string Name, byte[] Data, uint Characteristics, uint? VirtualSize)> _sections = [];
    private readonly List<(string Dll, string[] Functions)> _imports = [];
    private readonly List<(string Dll, string[] Functions)> _delayImports = [];
    private readonly List<(string Key, List<(string Name, string Value)> Strings)> _versionTables = [];
    private readonly List<(ushort Language, ushort CodePage)> _translations = [];
    private ushort _machine;
    private ushort _subsystem = SubsystemWindowsCui;
    private uint _timeDateStamp = 0x5F000000;
    private bool _isDll;
    private bool _isDotNet;
    private bool _hasVersion;
    private ushort[]? _fixedFileVersion;
    private byte[] _overlay = [];
    private byte[]? _certificateTable;
    private uint? _checkSum;
    private bool _validCheckSum;

    private TestPEBuilder(bool pe32Plus)
    {
        _pe32Plus = pe32Plus;
        _machine = pe32Plus ? MachineAmd64 : MachineI386;
    }

    /// <summary>A PE32 (IMAGE_NT_OPTIONAL_HDR32_MAGIC) image for I386.</summary>
    public static TestPEBuilder Pe32() => new(pe32Plus: false);

    /// <summary>A PE32+ (IMAGE_NT_OPTIONAL_HDR64_MAGIC) image for AMD64.</summary>
    public static TestPEBuilder Pe32Plus() => new(pe32Plus: true);

    public TestPEBuilder WithMachine(ushort machine)
    {
        _machine = machine;
        return this;
    }

    public TestPEBuilder WithSubsystem(ushort subsystem)
    {
        _subsystem = subsystem;
        return this;
    }

    /// <summary>IMAGE_FILE_HEADER.TimeDateStamp in Unix seconds (default 0x5F000000, 2020-07-04).</summary>
    public TestPEBuilder WithTimeDateStamp(uint secondsSince1970)
    {
        _timeDateStamp = secondsSince1970;
        return this;
    }

    /// <summary>Sets IMAGE_FILE_DLL.</summary>
    public TestPEBuilder AsDll()
    {
        _isDll = true;
        return this;
    }

    /// <summary>Adds an IMAGE_COR20_HEADER (cb = 72) in .text and points data directory 14 at it.</summary>
    public TestPEBuilder AsDotNet()
    {
        _isDotNet = true;
        return this;
    }

    /// <summary>Adds a section after .text; <paramref name="virtualSize"/> defaults to the data length.</summary>
    public TestPEBuilder WithSection(string name, byte[] data, uint characteristics = SectionData, uint? virtualSize = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 8)
        {
            throw new ArgumentException("section names have at most 8 bytes", nameof(name));
        }

        _sections.Add((name, data, characteristics, virtualSize));
        return this;
    }

    /// <summary>Imports functions by name; <c>"#12"</c> imports ordinal 12.</summary>
    public TestPEBuilder WithImport(string dll, params string[] functions)
    {
        _imports.Add((dll, functions));
        return this;
    }

    /// <summary>Delay-load imports (IMAGE_DELAYLOAD_DESCRIPTOR, RVA based); <c>"#12"</c> imports ordinal 12.</summary>
    public TestPEBuilder WithDelayImport(string dll, params string[] functions)
    {
        _delayImports.Add((dll, functions));
        return this;
    }

    /// <summary>Adds a string to the default StringTable <c>040904B0</c> (created on first use).</summary>
    public TestPEBuilder WithVersionString(string key, string value) => WithVersionStrings("040904B0", (key, value));

    /// <summary>Adds strings to the StringTable with key <paramref name="tableKey"/> (language + code page in hex).</summary>
    public TestPEBuilder WithVersionStrings(string tableKey, params (string Key, string Value)[] strings)
    {
        _hasVersion = true;
        var index = _versionTables.FindIndex(t => t.Key == tableKey);
        if (index < 0)
        {
            _versionTables.Add((tableKey, []));
            index = _versionTables.Count - 1;
        }

        _versionTables[index].Strings.AddRange(strings);
        return this;
    }

    /// <summary>Sets VS_FIXEDFILEINFO's file and product version (without it the resource has no fixed info).</summary>
    public TestPEBuilder WithFixedFileVersion(ushort major, ushort minor, ushort build, ushort revision)
    {
        _hasVersion = true;
        _fixedFileVersion = [major, minor, build, revision];
        return this;
    }

    /// <summary>Adds a VarFileInfo\Translation pair.</summary>
    public TestPEBuilder WithTranslation(ushort language, ushort codePage)
    {
        _hasVersion = true;
        _translations.Add((language, codePage));
        return this;
    }

    /// <summary>Bytes appended after the last section.</summary>
    public TestPEBuilder WithOverlay(byte[] overlay)
    {
        _overlay = overlay;
        return this;
    }

    /// <summary>
    /// Appends <paramref name="table"/> (one or more WIN_CERTIFICATE structures, supplied whole by the caller) at the
    /// end of the file, 8-byte aligned, and points IMAGE_DIRECTORY_ENTRY_SECURITY at it.
    /// </summary>
    public TestPEBuilder WithCertificateTable(byte[] table)
    {
        _certificateTable = table;
        return this;
    }

    /// <summary>Stores this CheckSum value as is.</summary>
    public TestPEBuilder WithCheckSum(uint checkSum)
    {
        _checkSum = checkSum;
        _validCheckSum = false;
        return this;
    }

    /// <summary>Stores the correct CheckSum of the final image.</summary>
    public TestPEBuilder WithValidCheckSum()
    {
        _validCheckSum = true;
        _checkSum = null;
        return this;
    }

    public byte[] Build() => BuildImage().Bytes;

    public TestPEImage BuildImage()
    {
        var optionalHeaderSize = _pe32Plus ? 240 : 224;
        var optionalHeaderOffset = LfaNew + 4 + 20;
        var sectionTableOffset = optionalHeaderOffset + optionalHeaderSize;
        var plan = new List<(string Name, byte[] Data, uint Characteristics, uint VirtualSize, uint Va)>();
        var directories = new (uint Rva, uint Size)[16];
        var sectionCount = 1 + _sections.Count + (_imports.Count + _delayImports.Count > 0 ? 1 : 0) + (_hasVersion ? 1 : 0);
        var sizeOfHeaders = Align((uint)(sectionTableOffset + (40 * sectionCount)), FileAlignment);

        var va = SectionAlignment;
        int? clrHeaderRva = null;
        var text = new byte[_isDotNet ? 16 + 72 + 16 : 16];
        text[0] = 0xC3; // ret
        if (_isDotNet)
        {
            clrHeaderRva = (int)va + 16;
            BinaryPrimitives.WriteUInt32LittleEndian(text.AsSpan(16), 72);      // cb
            BinaryPrimitives.WriteUInt16LittleEndian(text.AsSpan(20), 2);       // MajorRuntimeVersion
            BinaryPrimitives.WriteUInt16LittleEndian(text.AsSpan(22), 5);       // MinorRuntimeVersion
            BinaryPrimitives.WriteUInt32LittleEndian(text.AsSpan(24), va + 16 + 72); // MetaData.VirtualAddress
            BinaryPrimitives.WriteUInt32LittleEndian(text.AsSpan(28), 16);      // MetaData.Size (a bare BSJB signature, no streams)
            BinaryPrimitives.WriteUInt32LittleEndian(text.AsSpan(32), 1);       // Flags: COMIMAGE_FLAGS_ILONLY
            "BSJB"u8.CopyTo(text.AsSpan(16 + 72));
            directories[14] = ((uint)clrHeaderRva, 72);
        }

        plan.Add((".text", text, SectionCode, (uint)text.Length, va));
        va += Align((uint)text.Length, SectionAlignment);

        foreach (var (name, data, sectionCharacteristics, virtualSize) in _sections)
        {
            var size = virtualSize ?? (uint)Math.Max(data.Length, 1);
            plan.Add((name, data, sectionCharacteristics, size, va));
            va += Align(Math.Max(size, 1), SectionAlignment);
        }

        int? importSectionIndex = null;
        if (_imports.Count + _delayImports.Count > 0)
        {
            var idata = BuildImportSection(va, out var importDirectory, out var delayDirectory);
            directories[1] = importDirectory;
            directories[13] = delayDirectory;
            importSectionIndex = plan.Count;
            plan.Add((".idata", idata, SectionReadOnlyData, (uint)idata.Length, va));
            va += Align((uint)idata.Length, SectionAlignment);
        }

        int? resourceSectionIndex = null;
        var versionBlobOffsetInSection = 0;
        if (_hasVersion)
        {
            var rsrc = BuildResourceSection(va, out versionBlobOffsetInSection);
            directories[2] = (va, (uint)rsrc.Length);
            resourceSectionIndex = plan.Count;
            plan.Add((".rsrc", rsrc, SectionReadOnlyData, (uint)rsrc.Length, va));
            va += Align((uint)rsrc.Length, SectionAlignment);
        }

        var sizeOfImage = va;
        var rawOffsets = new uint[plan.Count];
        var fileEnd = sizeOfHeaders;
        for (var i = 0; i < plan.Count; i++)
        {
            rawOffsets[i] = fileEnd;
            fileEnd += Align((uint)plan[i].Data.Length, FileAlignment);
        }

        var overlayOffset = fileEnd;
        fileEnd += (uint)_overlay.Length;
        uint certificateOffset = 0;
        if (_certificateTable is not null)
        {
            certificateOffset = Align(fileEnd, 8);
            directories[4] = (certificateOffset, (uint)_certificateTable.Length);
            fileEnd = certificateOffset + (uint)_certificateTable.Length;
        }

        var image = new byte[fileEnd];
        var span = image.AsSpan();

        // IMAGE_DOS_HEADER: e_magic and e_lfanew are all the loader reads.
        image[0] = (byte)'M';
        image[1] = (byte)'Z';
        BinaryPrimitives.WriteUInt32LittleEndian(span[0x3C..], LfaNew);
        "PE\0\0"u8.CopyTo(span[LfaNew..]);

        var fileHeader = span[(LfaNew + 4)..];
        BinaryPrimitives.WriteUInt16LittleEndian(fileHeader, _machine);
        BinaryPrimitives.WriteUInt16LittleEndian(fileHeader[2..], (ushort)plan.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(fileHeader[4..], _timeDateStamp);
        BinaryPrimitives.WriteUInt16LittleEndian(fileHeader[16..], (ushort)optionalHeaderSize);
        ushort characteristics = 0x0002; // EXECUTABLE_IMAGE
        characteristics |= _pe32Plus ? (ushort)0x0020 : (ushort)0x0100; // LARGE_ADDRESS_AWARE or 32BIT_MACHINE
        if (_isDll)
        {
            characteristics |= 0x2000;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(fileHeader[18..], characteristics);

        var optional = span[optionalHeaderOffset..];
        BinaryPrimitives.WriteUInt16LittleEndian(optional, _pe32Plus ? (ushort)0x20B : (ushort)0x10B);
        optional[2] = 14; // linker version
        BinaryPrimitives.WriteUInt32LittleEndian(optional[4..], Align((uint)text.Length, FileAlignment)); // SizeOfCode
        BinaryPrimitives.WriteUInt32LittleEndian(optional[16..], SectionAlignment); // AddressOfEntryPoint: the ret
        BinaryPrimitives.WriteUInt32LittleEndian(optional[20..], SectionAlignment); // BaseOfCode
        if (_pe32Plus)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(optional[24..], _isDll ? 0x180000000UL : 0x140000000UL);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(optional[24..], plan.Count > 1 ? plan[1].Va : SectionAlignment); // BaseOfData
            BinaryPrimitives.WriteUInt32LittleEndian(optional[28..], _isDll ? 0x10000000u : 0x00400000u);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(optional[32..], SectionAlignment);
        BinaryPrimitives.WriteUInt32LittleEndian(optional[36..], FileAlignment);
        BinaryPrimitives.WriteUInt16LittleEndian(optional[40..], 6); // MajorOperatingSystemVersion
        BinaryPrimitives.WriteUInt16LittleEndian(optional[48..], 6); // MajorSubsystemVersion
        BinaryPrimitives.WriteUInt32LittleEndian(optional[56..], sizeOfImage);
        BinaryPrimitives.WriteUInt32LittleEndian(optional[60..], sizeOfHeaders);
        BinaryPrimitives.WriteUInt16LittleEndian(optional[68..], _subsystem);
        BinaryPrimitives.WriteUInt16LittleEndian(optional[70..], 0x8140); // DYNAMIC_BASE | NX_COMPAT | TERMINAL_SERVER_AWARE
        var sizesOffset = 72;
        var sizeField = _pe32Plus ? 8 : 4;
        ulong[] stackAndHeap = [0x100000, 0x1000, 0x100000, 0x1000];
        foreach (var value in stackAndHeap)
        {
            if (_pe32Plus)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(optional[sizesOffset..], value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(optional[sizesOffset..], (uint)value);
            }

            sizesOffset += sizeField;
        }

        var directoriesOffset = _pe32Plus ? 112 : 96;
        BinaryPrimitives.WriteUInt32LittleEndian(optional[(directoriesOffset - 4)..], 16); // NumberOfRvaAndSizes
        for (var i = 0; i < 16; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(optional[(directoriesOffset + (i * 8))..], directories[i].Rva);
            BinaryPrimitives.WriteUInt32LittleEndian(optional[(directoriesOffset + (i * 8) + 4)..], directories[i].Size);
        }

        for (var i = 0; i < plan.Count; i++)
        {
            var header = span[(sectionTableOffset + (i * 40))..];
            Encoding.ASCII.GetBytes(plan[i].Name).CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], plan[i].VirtualSize);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], plan[i].Va);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Align((uint)plan[i].Data.Length, FileAlignment));
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], plan[i].Data.Length == 0 ? 0 : rawOffsets[i]);
            BinaryPrimitives.WriteUInt32LittleEndian(header[36..], plan[i].Characteristics);
            plan[i].Data.CopyTo(span[(int)rawOffsets[i]..]);
        }

        _overlay.CopyTo(span[(int)overlayOffset..]);
        _certificateTable?.CopyTo(span[(int)certificateOffset..]);

        var checkSumOffset = optionalHeaderOffset + 64;
        var checkSum = _validCheckSum ? ComputeCheckSum(image, checkSumOffset) : _checkSum ?? 0;
        BinaryPrimitives.WriteUInt32LittleEndian(span[checkSumOffset..], checkSum);

        return new TestPEImage(
            image,
            optionalHeaderOffset,
            sectionTableOffset,
            (int)sizeOfHeaders,
            importSectionIndex is int imp ? (int)rawOffsets[imp] : null,
            resourceSectionIndex is int res ? (int)rawOffsets[res] : null,
            resourceSectionIndex is int res2 ? (int)rawOffsets[res2] + versionBlobOffsetInSection : null,
            _overlay.Length > 0 ? (int)overlayOffset : null,
            _certificateTable is not null ? (int)certificateOffset : null);
    }

    /// <summary>imagehlp's algorithm, folded after every word (the production code folds once at the end).</summary>
    public static uint ComputeCheckSum(byte[] image, int checkSumOffset)
    {
        ArgumentNullException.ThrowIfNull(image);
        uint sum = 0;
        for (var i = 0; i < image.Length; i += 2)
        {
            if (i == checkSumOffset || i == checkSumOffset + 2)
            {
                continue;
            }

            uint word = image[i];
            if (i + 1 < image.Length)
            {
                word |= (uint)image[i + 1] << 8;
            }

            sum += word;
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return sum + (uint)image.Length;
    }

    private byte[] BuildImportSection(uint sectionVa, out (uint Rva, uint Size) importDirectory, out (uint Rva, uint Size) delayDirectory)
    {
        var buffer = new Writer();
        var thunkSize = _pe32Plus ? 8 : 4;
        var ordinalFlag = _pe32Plus ? 0x8000000000000000UL : 0x80000000UL;

        // Descriptor tables first (zero-filled, patched below), then per DLL: name table, address table, names.
        var importTable = buffer.Reserve((_imports.Count + 1) * 20);
        var delayTable = _delayImports.Count > 0 ? buffer.Reserve((_delayImports.Count + 1) * 32) : -1;

        void WriteDll(string dll, string[] functions, out int nameTable, out int addressTable, out int dllName)
        {
            buffer.AlignTo(8);
            nameTable = buffer.Reserve((functions.Length + 1) * thunkSize);
            addressTable = buffer.Reserve((functions.Length + 1) * thunkSize);
            for (var i = 0; i < functions.Length; i++)
            {
                ulong thunk;
                if (functions[i].StartsWith('#'))
                {
                    thunk = ordinalFlag | ulong.Parse(functions[i].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    buffer.AlignTo(2);
                    var hintName = buffer.Position;
                    buffer.Append([0, 0]); // hint
                    buffer.Append(Encoding.ASCII.GetBytes(functions[i] + "\0"));
                    thunk = sectionVa + (uint)hintName;
                }

                buffer.WriteThunk(nameTable + (i * thunkSize), thunk, _pe32Plus);
                buffer.WriteThunk(addressTable + (i * thunkSize), thunk, _pe32Plus);
            }

            dllName = buffer.Position;
            buffer.Append(Encoding.ASCII.GetBytes(dll + "\0"));
        }

        for (var d = 0; d < _imports.Count; d++)
        {
            WriteDll(_imports[d].Dll, _imports[d].Functions, out var nameTable, out var addressTable, out var dllName);
            var descriptor = importTable + (d * 20);
            buffer.WriteUInt32(descriptor, sectionVa + (uint)nameTable);      // OriginalFirstThunk
            buffer.WriteUInt32(descriptor + 12, sectionVa + (uint)dllName);   // Name
            buffer.WriteUInt32(descriptor + 16, sectionVa + (uint)addressTable); // FirstThunk
        }

        for (var d = 0; d < _delayImports.Count; d++)
        {
            WriteDll(_delayImports[d].Dll, _delayImports[d].Functions, out var nameTable, out var addressTable, out var dllName);
            buffer.AlignTo(8);
            var moduleHandle = buffer.Reserve(8);
            var descriptor = delayTable + (d * 32);
            buffer.WriteUInt32(descriptor, 1);                                   // Attributes: dlattrRva
            buffer.WriteUInt32(descriptor + 4, sectionVa + (uint)dllName);
            buffer.WriteUInt32(descriptor + 8, sectionVa + (uint)moduleHandle);
            buffer.WriteUInt32(descriptor + 12, sectionVa + (uint)addressTable);
            buffer.WriteUInt32(descriptor + 16, sectionVa + (uint)nameTable);
        }

        importDirectory = _imports.Count > 0 ? (sectionVa + (uint)importTable, (uint)((_imports.Count + 1) * 20)) : (0, 0);
        delayDirectory = _delayImports.Count > 0 ? (sectionVa + (uint)delayTable, (uint)((_delayImports.Count + 1) * 32)) : (0, 0);
        return buffer.ToArray();
    }

    private byte[] BuildResourceSection(uint sectionVa, out int blobOffset)
    {
        // Three directory levels (type RT_VERSION=16, name 1, language 0x409), one data entry, then the blob.
        var buffer = new Writer();
        WriteDirectory(buffer, 0, idEntry: 16, target: 0x18 | 0x80000000);
        WriteDirectory(buffer, 0x18, idEntry: 1, target: 0x30 | 0x80000000);
        WriteDirectory(buffer, 0x30, idEntry: 0x409, target: 0x48);
        var blob = BuildVersionBlob();
        blobOffset = 0x58;
        buffer.Reserve(0x58 - buffer.Position);
        buffer.WriteUInt32(0x48, sectionVa + (uint)blobOffset);
        buffer.WriteUInt32(0x4C, (uint)blob.Length);
        buffer.Append(blob);
        return buffer.ToArray();
    }

    private static void WriteDirectory(Writer buffer, int at, uint idEntry, uint target)
    {
        buffer.Reserve(at + 24 - buffer.Position);
        buffer.WriteUInt16(at + 14, 1); // NumberOfIdEntries
        buffer.WriteUInt32(at + 16, idEntry);
        buffer.WriteUInt32(at + 20, target);
    }

    private byte[] BuildVersionBlob()
    {
        byte[]? fixedInfo = null;
        if (_fixedFileVersion is { } v)
        {
            fixedInfo = new byte[52];
            var f = fixedInfo.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(f, 0xFEEF04BD);
            BinaryPrimitives.WriteUInt32LittleEndian(f[4..], 0x00010000);
            var ms = ((uint)v[0] << 16) | v[1];
            var ls = ((uint)v[2] << 16) | v[3];
            BinaryPrimitives.WriteUInt32LittleEndian(f[8..], ms);
            BinaryPrimitives.WriteUInt32LittleEndian(f[12..], ls);
            BinaryPrimitives.WriteUInt32LittleEndian(f[16..], ms);
            BinaryPrimitives.WriteUInt32LittleEndian(f[20..], ls);
            BinaryPrimitives.WriteUInt32LittleEndian(f[24..], 0x3F);    // dwFileFlagsMask
            BinaryPrimitives.WriteUInt32LittleEndian(f[32..], 0x40004); // VOS_NT_WINDOWS32
            BinaryPrimitives.WriteUInt32LittleEndian(f[36..], _isDll ? 2u : 1u); // VFT_DLL or VFT_APP
        }

        var children = new List<byte[]>();
        if (_versionTables.Count > 0)
        {
            var tables = _versionTables
                .Select(t => VersionBlock(t.Key, 1, [], 0, t.Strings.Select(s => StringBlock(s.Name, s.Value)).ToList()))
                .ToList();
            children.Add(VersionBlock("StringFileInfo", 1, [], 0, tables));
        }

        if (_translations.Count > 0)
        {
            var value = new byte[_translations.Count * 4];
            for (var i = 0; i < _translations.Count; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(i * 4), _translations[i].Language);
                BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan((i * 4) + 2), _translations[i].CodePage);
            }

            children.Add(VersionBlock("VarFileInfo", 1, [], 0, [VersionBlock("Translation", 0, value, (ushort)value.Length, [])]));
        }

        return VersionBlock("VS_VERSION_INFO", 0, fixedInfo ?? [], (ushort)(fixedInfo?.Length ?? 0), children);
    }

    private static byte[] StringBlock(string key, string value)
    {
        var text = Encoding.Unicode.GetBytes(value + "\0");
        return VersionBlock(key, 1, text, (ushort)(value.Length + 1), []);
    }

    /// <summary>One version block: wLength covers header, key, value and children but not trailing padding.</summary>
    private static byte[] VersionBlock(string key, ushort type, byte[] value, ushort valueLength, List<byte[]> children)
    {
        var buffer = new Writer();
        buffer.Reserve(6);
        buffer.Append(Encoding.Unicode.GetBytes(key + "\0"));
        buffer.AlignTo(4);
        buffer.Append(value);
        foreach (var child in children)
        {
            buffer.AlignTo(4);
            buffer.Append(child);
        }

        buffer.WriteUInt16(0, (ushort)buffer.Position);
        buffer.WriteUInt16(2, valueLength);
        buffer.WriteUInt16(4, type);
        return buffer.ToArray();
    }

    private static uint Align(uint value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    /// <summary>A growable byte buffer with little-endian patching.</summary>
    private sealed class Writer
    {
        private readonly List<byte> _bytes = [];

        public int Position => _bytes.Count;

        public int Reserve(int count)
        {
            var at = _bytes.Count;
            _bytes.AddRange(new byte[Math.Max(count, 0)]);
            return at;
        }

        public void Append(byte[] bytes) => _bytes.AddRange(bytes);

        public void AlignTo(int alignment)
        {
            while (_bytes.Count % alignment != 0)
            {
                _bytes.Add(0);
            }
        }

        public void WriteUInt16(int at, ushort value)
        {
            _bytes[at] = (byte)value;
            _bytes[at + 1] = (byte)(value >> 8);
        }

        public void WriteUInt32(int at, uint value)
        {
            for (var i = 0; i < 4; i++)
            {
                _bytes[at + i] = (byte)(value >> (8 * i));
            }
        }

        public void WriteThunk(int at, ulong value, bool wide)
        {
            for (var i = 0; i < (wide ? 8 : 4); i++)
            {
                _bytes[at + i] = (byte)(value >> (8 * i));
            }
        }

        public byte[] ToArray() => [.. _bytes];
    }
}

/// <summary>A built image plus the file offsets of its parts (null when the part is absent).</summary>
internal sealed record TestPEImage(
    byte[] Bytes,
    int OptionalHeaderOffset,
    int SectionTableOffset,
    int SizeOfHeaders,
    int? ImportSectionOffset,
    int? ResourceSectionOffset,
    int? VersionResourceOffset,
    int? OverlayOffset,
    int? CertificateTableOffset);
