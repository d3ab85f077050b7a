using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests;

/// <summary>
/// Hostile and broken inputs: each must give the stable anomaly code and a usable result, never an exception.
/// Offsets of builder images: e_lfanew 0x80, IMAGE_FILE_HEADER 0x84, optional header 0x98, PE32 section table 0x178.
/// </summary>
public sealed class PEFileReaderHostileTests
{
    private const int NumberOfSections = 0x86;
    private const int OptionalHeader = 0x98;
    private const int EntryPoint = OptionalHeader + 16;
    private const int FileAlignmentField = OptionalHeader + 36;
    private const int SizeOfHeadersField = OptionalHeader + 60;
    private const int NumberOfRvaAndSizes = OptionalHeader + 92;
    private const int ImportDirectory = OptionalHeader + 96 + 8;
    private const int ResourceDirectory = OptionalHeader + 96 + 16;
    private const int SecurityDirectory = OptionalHeader + 96 + 32;
    private const int ClrDirectory = OptionalHeader + 96 + 112;
    private const int SectionTable = 0x178;

    private static (PEFileInfo Info, AnomalyList Sink) Read(byte[] image)
    {
        var sink = new AnomalyList();
        var info = PEFileReader.Read(image, "binaries/hostile.exe", sink);
        Assert.Equal<Anomaly>(sink.Items, info.Anomalies);
        return (info, sink);
    }

    private static IEnumerable<string> Codes(PEFileInfo info) => info.Anomalies.Select(a => a.Code);

    [Fact]
    public void Empty_input_is_not_a_pe()
    {
        var (info, _) = Read([]);

        Assert.False(info.IsPe);
        Assert.Equal<string>([PEAnomalyCodes.MissingMz], Codes(info));
        Assert.Null(info.Layout);
    }

    [Fact]
    public void Text_file_is_not_a_pe()
    {
        var (info, _) = Read("@echo off\r\nstart csrss.exe\r\n"u8.ToArray());

        Assert.False(info.IsPe);
        Assert.Equal(PEAnomalyCodes.MissingMz, Assert.Single(info.Anomalies).Code);
    }

    [Fact]
    public void Truncated_dos_header_is_not_a_pe()
    {
        var (info, _) = Read([(byte)'M', (byte)'Z', 0x90, 0x00]);

        Assert.False(info.IsPe);
        Assert.Equal(PEAnomalyCodes.MissingMz, Assert.Single(info.Anomalies).Code);
    }

    [Theory]
    [InlineData(0xFFFFFFF0u)]
    [InlineData(0x80000000u)]
    [InlineData(64u)] // exactly at EOF of a 64-byte file
    [InlineData(62u)] // the signature would straddle EOF
    public void E_lfanew_beyond_eof_is_not_a_pe(uint lfanew)
    {
        var image = new byte[64];
        image[0] = (byte)'M';
        image[1] = (byte)'Z';
        image.UInt32(0x3C, lfanew);

        var (info, _) = Read(image);

        Assert.False(info.IsPe);
        var anomaly = Assert.Single(info.Anomalies);
        Assert.Equal(PEAnomalyCodes.BadLfanew, anomaly.Code);
        Assert.Equal(0x3C, anomaly.Evidence.Offset);
    }

    [Fact]
    public void Missing_pe_signature_is_not_a_pe()
    {
        var image = TestPEBuilder.Pe32().Build();
        image[0x81] = (byte)'X';

        var (info, _) = Read(image);

        Assert.False(info.IsPe);
        Assert.Equal(PEAnomalyCodes.MissingPeSignature, Assert.Single(info.Anomalies).Code);
    }

    [Fact]
    public void Truncated_file_header_keeps_IsPe_but_nothing_else()
    {
        byte[] image = [(byte)'M', (byte)'Z', .. new byte[0x3A], 0x40, 0, 0, 0, (byte)'P', (byte)'E', 0, 0, 0x4C, 0x01, 0x03];

        var (info, _) = Read(image);

        Assert.True(info.IsPe);
        Assert.Null(info.Machine);
        Assert.Null(info.Layout);
        Assert.Equal(PEAnomalyCodes.TruncatedFileHeader, Assert.Single(info.Anomalies).Code);
    }

    [Theory]
    [InlineData(OptionalHeader + 1)]
    [InlineData(OptionalHeader + 50)]
    [InlineData(OptionalHeader + 95)]
    public void Truncated_optional_header_gives_machine_but_no_layout(int length)
    {
        var image = TestPEBuilder.Pe32().Build()[..length];

        var (info, _) = Read(image);

        Assert.True(info.IsPe);
        Assert.Equal("I386", info.Machine);
        Assert.Null(info.Layout);
        Assert.Contains(PEAnomalyCodes.TruncatedOptionalHeader, Codes(info));
    }

    [Fact]
    public void Unknown_optional_header_magic_is_reported()
    {
        var image = TestPEBuilder.Pe32().Build().UInt16(OptionalHeader, 0x107);

        var (info, _) = Read(image);

        Assert.Equal(PEAnomalyCodes.UnknownOptionalHeaderMagic, Assert.Single(info.Anomalies).Code);
        Assert.Null(info.Layout);
    }

    [Fact]
    public void Section_raw_data_past_eof_is_reported_and_entropy_uses_what_exists()
    {
        var image = TestPEBuilder.Pe32().WithSection(".data", new byte[0x200]).Build();
        image.UInt32(SectionTable + 40 + 20, 0x7FFFFFF0); // .data PointerToRawData

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.SectionBeyondEof, Codes(info));
        Assert.Equal(0.0, info.Sections[1].Entropy);
        Assert.Equal(0x7FFFFFF0u, info.Sections[1].PointerToRawData);
    }

    [Fact]
    public void Section_size_near_uint_max_does_not_wrap()
    {
        var image = TestPEBuilder.Pe32().Build();
        image.UInt32(SectionTable + 16, 0xFFFFFFFF); // .text SizeOfRawData
        image.UInt32(SectionTable + 20, 0xFFFFFF00); // .text PointerToRawData

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.SectionBeyondEof, Codes(info));
        Assert.Null(info.OverlayOffset);
    }

    [Fact]
    public void Huge_section_count_is_capped_and_the_cut_table_reported()
    {
        var image = TestPEBuilder.Pe32().Build().UInt16(NumberOfSections, 0xFFFF);

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.TooManySections, Codes(info));
        Assert.Contains(PEAnomalyCodes.TruncatedSectionTable, Codes(info));
        Assert.InRange(info.Sections.Length, 1, 256);
    }

    [Fact]
    public void Overlapping_sections_are_reported()
    {
        var built = TestPEBuilder.Pe32().WithSection(".a", new byte[0x200]).WithSection(".b", new byte[0x200]).Build();
        var pointerOfA = built.ReadUInt32(SectionTable + 40 + 20);
        built.UInt32(SectionTable + 80 + 20, pointerOfA); // .b raw data = .a raw data

        var (info, _) = Read(built);

        Assert.Contains(PEAnomalyCodes.SectionsOverlap, Codes(info));
    }

    [Fact]
    public void Bad_alignment_and_header_size_are_reported()
    {
        var image = TestPEBuilder.Pe32().Build();
        image.UInt32(FileAlignmentField, 3);
        image.UInt32(SizeOfHeadersField, 0x100000);

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.BadAlignment, Codes(info));
        Assert.Contains(PEAnomalyCodes.BadSizeOfHeaders, Codes(info));
    }

    [Fact]
    public void Entry_point_outside_every_section_is_reported()
    {
        var image = TestPEBuilder.Pe32().Build().UInt32(EntryPoint, 0x00900000);

        var (info, _) = Read(image);

        var anomaly = Assert.Single(info.Anomalies, a => a.Code == PEAnomalyCodes.EntryPointOutsideSections);
        Assert.Equal(EntryPoint, anomaly.Evidence.Offset);
    }

    [Fact]
    public void Absurd_number_of_data_directories_is_capped_at_16()
    {
        var image = TestPEBuilder.Pe32().WithImport("a.dll", "f").Build().UInt32(NumberOfRvaAndSizes, 0xFFFFFFFF);

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.BadDataDirectoryCount, Codes(info));
        Assert.Equal("a.dll", Assert.Single(info.Imports).Dll);
    }

    [Fact]
    public void Certificate_table_beyond_eof_is_reported_and_kept_in_the_layout()
    {
        var image = TestPEBuilder.Pe32().Build();
        image.UInt32(SecurityDirectory, 0xFFFFFF00);
        image.UInt32(SecurityDirectory + 4, 0x1000);

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.CertificateTableOutOfRange, Codes(info));
        Assert.Equal(0xFFFFFF00u, info.Layout?.CertificateTableOffset);
    }

    [Fact]
    public void Certificate_table_inside_the_headers_is_reported()
    {
        var image = TestPEBuilder.Pe32().Build();
        image.UInt32(SecurityDirectory, 0x10);
        image.UInt32(SecurityDirectory + 4, 0x20);

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.CertificateTableOutOfRange, Codes(info));
    }

    [Fact]
    public void Import_directory_outside_the_file_is_reported()
    {
        var image = TestPEBuilder.Pe32().WithImport("a.dll", "f").Build().UInt32(ImportDirectory, 0x7FFF0000);

        var (info, _) = Read(image);

        var anomaly = Assert.Single(info.Anomalies);
        Assert.Equal(PEAnomalyCodes.DirectoryNotMapped, anomaly.Code);
        Assert.Equal(ImportDirectory, anomaly.Evidence.Offset);
        Assert.Empty(info.Imports);
    }

    [Fact]
    public void Import_table_of_garbage_stops_at_the_first_bad_name()
    {
        // Given an import directory pointing at a section full of 0x41: every descriptor is non-zero garbage
        var built = TestPEBuilder.Pe32().WithSection(".junk", Enumerable.Repeat((byte)0x41, 0x1000).ToArray()).Build();
        built.UInt32(ImportDirectory, 0x2000);
        built.UInt32(ImportDirectory + 4, 0x1000);

        var (info, _) = Read(built);

        Assert.Empty(info.Imports);
        Assert.Equal(PEAnomalyCodes.BadImportName, Assert.Single(info.Anomalies).Code);
    }

    [Fact]
    public void Unterminated_import_descriptor_table_is_reported()
    {
        // Given a descriptor table whose last bytes run into the end of the section with no all-zero terminator
        var image = TestPEBuilder.Pe32().WithImport("a.dll", "f").BuildImage();
        var section = image.ImportSectionOffset!.Value;
        var bytes = image.Bytes;
        var sectionHeader = SectionTable + 40;
        var virtualSize = bytes.ReadUInt32(sectionHeader + 8);
        var sectionRva = bytes.ReadUInt32(sectionHeader + 12);

        // move the directory so that descriptor 0 is valid but descriptor 1 would cross the end of the section
        var descriptor = bytes[section..(section + 20)];
        descriptor.CopyTo(bytes, section + (int)virtualSize - 30);
        bytes.UInt32(ImportDirectory, sectionRva + virtualSize - 30);

        var (info, _) = Read(bytes);

        Assert.Equal("a.dll", Assert.Single(info.Imports).Dll);
        Assert.Contains(PEAnomalyCodes.BadImportDescriptor, Codes(info));
    }

    [Fact]
    public void Resource_directory_loop_is_detected_and_not_followed()
    {
        // Given the name-level directory's entry pointing back at the root directory
        var built = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "x.exe").BuildImage();
        built.Bytes.UInt32(built.ResourceSectionOffset!.Value + 0x18 + 20, 0x80000000);

        var (info, _) = Read(built.Bytes);

        Assert.Contains(PEAnomalyCodes.ResourceLoop, Codes(info));
        Assert.Null(info.Version);
    }

    [Fact]
    public void Resource_root_pointing_at_itself_is_detected()
    {
        var built = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "x.exe").BuildImage();
        built.Bytes.UInt32(built.ResourceSectionOffset!.Value + 20, 0x80000000);

        var (info, _) = Read(built.Bytes);

        Assert.Equal(PEAnomalyCodes.ResourceLoop, Assert.Single(info.Anomalies).Code);
    }

    [Fact]
    public void Resource_directory_below_the_language_level_is_not_followed()
    {
        var built = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "x.exe").BuildImage();
        built.Bytes.UInt32(built.ResourceSectionOffset!.Value + 0x30 + 20, 0x80000018);

        var (info, _) = Read(built.Bytes);

        Assert.Contains(PEAnomalyCodes.ResourceTooDeep, Codes(info));
        Assert.Null(info.Version);
    }

    [Fact]
    public void Huge_resource_entry_count_is_clamped_to_what_fits()
    {
        var built = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "x.exe").BuildImage();
        built.Bytes.UInt16(built.ResourceSectionOffset!.Value + 12, 0xFFFF); // NumberOfNamedEntries
        built.Bytes.UInt16(built.ResourceSectionOffset!.Value + 14, 0xFFFF); // NumberOfIdEntries

        var (info, _) = Read(built.Bytes);

        Assert.Contains(PEAnomalyCodes.BadResourceDirectory, Codes(info));
        Assert.True(info.Anomalies.Length <= 101);
    }

    [Fact]
    public void Resource_data_entry_outside_the_file_is_reported()
    {
        var built = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "x.exe").BuildImage();
        built.Bytes.UInt32(built.ResourceSectionOffset!.Value + 0x48, 0x7FFF0000);

        var (info, _) = Read(built.Bytes);

        Assert.Equal(PEAnomalyCodes.BadResourceData, Assert.Single(info.Anomalies).Code);
        Assert.Null(info.Version);
    }

    [Fact]
    public void Version_block_with_zero_length_gives_no_version()
    {
        var built = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "x.exe").BuildImage();
        built.Bytes.UInt16(built.VersionResourceOffset!.Value, 0);

        var (info, _) = Read(built.Bytes);

        Assert.Equal(PEAnomalyCodes.BadVersionBlock, Assert.Single(info.Anomalies).Code);
        Assert.Null(info.Version);
    }

    [Fact]
    public void Version_block_longer_than_the_resource_is_clamped_and_still_read()
    {
        var built = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "x.exe").BuildImage();
        built.Bytes.UInt16(built.VersionResourceOffset!.Value, 0xFFFF);

        var (info, _) = Read(built.Bytes);

        Assert.Equal(PEAnomalyCodes.BadVersionBlock, Assert.Single(info.Anomalies).Code);
        Assert.Equal("x.exe", info.Version?.OriginalFilename);
    }

    [Fact]
    public void String_running_past_its_table_is_reported_and_later_strings_are_lost_not_invented()
    {
        var image = TestPEBuilder.Pe32()
            .WithVersionString("CompanyName", "Contoso")
            .WithVersionString("OriginalFilename", "x.exe")
            .Build();
        image.UInt16(image.VersionBlock("CompanyName"), 0x7FFF);

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.BadVersionBlock, Codes(info));
        Assert.Equal("Contoso", info.Version?.CompanyName);
        Assert.Null(info.Version?.OriginalFilename);
    }

    [Fact]
    public void Fixed_file_info_with_wrong_signature_is_reported_and_strings_survive()
    {
        var built = TestPEBuilder.Pe32().WithFixedFileVersion(1, 2, 3, 4).WithVersionString("InternalName", "x").BuildImage();
        built.Bytes.UInt32(built.VersionResourceOffset!.Value + 40, 0x12345678); // dwSignature after the 40-byte header+key

        var (info, _) = Read(built.Bytes);

        Assert.Equal(PEAnomalyCodes.BadFixedFileInfo, Assert.Single(info.Anomalies).Code);
        Assert.Null(info.Version?.FixedFileVersion);
        Assert.Equal("x", info.Version?.InternalName);
    }

    [Fact]
    public void Short_fixed_file_info_is_reported()
    {
        var built = TestPEBuilder.Pe32().WithFixedFileVersion(1, 2, 3, 4).BuildImage();
        built.Bytes.UInt16(built.VersionResourceOffset!.Value + 2, 20); // wValueLength

        var (info, _) = Read(built.Bytes);

        Assert.Contains(PEAnomalyCodes.BadFixedFileInfo, Codes(info));
        Assert.Null(info.Version?.FixedFileVersion);
    }

    [Fact]
    public void Unterminated_version_key_is_reported()
    {
        var image = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "x.exe").Build();
        var block = image.VersionBlock("VS_VERSION_INFO");
        image.UInt16(block, 20); // wLength ends inside the key

        var (info, _) = Read(image);

        Assert.Contains(PEAnomalyCodes.BadVersionString, Codes(info));
        Assert.Null(info.Version);
    }

    [Fact]
    public void Control_characters_in_version_strings_are_neutralised()
    {
        var image = TestPEBuilder.Pe32().WithVersionString("OriginalFilename", "csrss\u001b[2J.exe\uD800").Build();

        var (info, _) = Read(image);

        Assert.Equal("csrss?[2J.exe\uFFFD", info.Version?.OriginalFilename);
    }

    [Fact]
    public void Anomaly_flood_is_capped()
    {
        // Given 255 sections all sharing one raw range and one virtual address: overlaps everywhere
        var builder = TestPEBuilder.Pe32();
        for (var i = 0; i < 60; i++)
        {
            builder.WithSection("s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), new byte[0x200]);
        }

        var image = builder.Build();
        for (var i = 1; i <= 60; i++)
        {
            image.UInt32(SectionTable + (i * 40) + 12, 0x2000); // VirtualAddress
            image.UInt32(SectionTable + (i * 40) + 20, 0x400);  // PointerToRawData
        }

        var (info, _) = Read(image);

        Assert.Equal(101, info.Anomalies.Length);
        Assert.Equal(PEAnomalyCodes.TooManyAnomalies, info.Anomalies[^1].Code);
    }

    [Fact]
    public void Clr_directory_too_small_is_ours_and_the_frameworks_rejection()
    {
        var image = TestPEBuilder.Pe32().AsDotNet().Build().UInt32(ClrDirectory + 4, 0x17);

        var (info, _) = Read(image);

        Assert.False(info.IsDotNet);
        Assert.Equal<string>([PEAnomalyCodes.BadClrHeader, PEAnomalyCodes.FrameworkRejectsHeaders], Codes(info));
    }

    [Fact]
    public void Certificate_directory_hidden_beyond_NumberOfRvaAndSizes_is_a_parser_differential()
    {
        // Given a signed image whose NumberOfRvaAndSizes (3) no longer covers IMAGE_DIRECTORY_ENTRY_SECURITY (4):
        // Windows ignores the entry, System.Reflection.PortableExecutable still reads it.
        var certificate = new byte[16];
        certificate[0] = 16;
        var image = TestPEBuilder.Pe32().WithCertificateTable(certificate).Build().UInt32(NumberOfRvaAndSizes, 3);

        var (info, _) = Read(image);

        Assert.Equal(0u, info.Layout?.CertificateTableSize);
        var anomaly = Assert.Single(info.Anomalies);
        Assert.Equal(PEAnomalyCodes.ParserDifferential, anomaly.Code);
        Assert.Contains("certificate directory", anomaly.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resource_tree_with_more_entries_than_the_budget_is_cut_with_one_anomaly()
    {
        // Given a hand-made resource directory with 12,000 type entries that all share one valid data entry
        const int entries = 12_000;
        var dataEntry = 16 + (entries * 8);
        var rsrc = new byte[dataEntry + 16];
        rsrc.UInt16(14, entries);
        for (var i = 0; i < entries; i++)
        {
            rsrc.UInt32(16 + (i * 8), 3);                 // RT_ICON
            rsrc.UInt32(16 + (i * 8) + 4, (uint)dataEntry); // a data entry, not a directory
        }

        rsrc.UInt32(dataEntry, 0x2000 + (uint)dataEntry); // the data entry describes itself: 16 valid bytes
        rsrc.UInt32(dataEntry + 4, 16);
        var image = TestPEBuilder.Pe32().WithSection(".rsrc", rsrc, TestPEBuilder.SectionReadOnlyData).Build();
        image.UInt32(ResourceDirectory, 0x2000);
        image.UInt32(ResourceDirectory + 4, (uint)rsrc.Length);

        var (info, _) = Read(image);

        Assert.Equal(PEAnomalyCodes.TooManyResources, Assert.Single(info.Anomalies).Code);
        Assert.Null(info.Version);
    }

    [Fact]
    public void Old_style_delay_imports_with_virtual_addresses_are_read()
    {
        // Given a PE32 delay-import descriptor in the Visual C++ 6 layout: Attributes 0 and VAs instead of RVAs
        var built = TestPEBuilder.Pe32().WithDelayImport("OLD.dll", "Legacy").BuildImage();
        var descriptor = built.ImportSectionOffset!.Value + 20; // after the (empty) import descriptor table
        var bytes = built.Bytes;
        const uint imageBase = 0x00400000;
        bytes.UInt32(descriptor, 0);
        bytes.UInt32(descriptor + 4, bytes.ReadUInt32(descriptor + 4) + imageBase);
        var nameTableRva = bytes.ReadUInt32(descriptor + 16);
        var firstThunk = built.ImportSectionOffset!.Value + (int)(nameTableRva - 0x2000); // .idata follows .text at 0x2000
        bytes.UInt32(descriptor + 16, nameTableRva + imageBase);
        bytes.UInt32(firstThunk, bytes.ReadUInt32(firstThunk) + imageBase);

        var (info, _) = Read(bytes);

        Assert.Empty(info.Anomalies);
        var import = Assert.Single(info.Imports);
        Assert.Equal("OLD.dll", import.Dll);
        Assert.Equal<string>(["Legacy"], import.Functions);
    }

    [Fact]
    public void Zero_sized_certificate_entry_means_unsigned_without_an_anomaly()
    {
        var image = TestPEBuilder.Pe32().Build().UInt32(SecurityDirectory, 0x12345);

        var (info, _) = Read(image);

        Assert.Empty(info.Anomalies);
        Assert.Equal(0u, info.Layout?.CertificateTableSize);
    }
}
