using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests;

/// <summary>Images made by <see cref="TestPEBuilder"/>: every field the builder sets must come back.</summary>
public sealed class PEFileReaderBuilderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Minimal_image_reads_cleanly_for_both_formats(bool pe32Plus)
    {
        var builder = pe32Plus ? TestPEBuilder.Pe32Plus() : TestPEBuilder.Pe32();

        var info = PEFileReader.Read(builder.Build(), "x", new StrictAnomalySink());

        Assert.True(info.IsPe);
        Assert.Equal(pe32Plus, info.IsPE32Plus);
        Assert.Equal(pe32Plus ? "AMD64" : "I386", info.Machine);
        Assert.Equal("WindowsCui", info.Subsystem);
        Assert.False(info.IsDll);
        Assert.False(info.IsDotNet);
        Assert.Equal<string>([".text"], info.Sections.Select(s => s.Name));
        Assert.Empty(info.Imports);
        Assert.Null(info.Version);
        Assert.Null(info.OverlayOffset);
    }

    [Theory]
    [InlineData(false, 0x98, 0xD8, 0x118)]
    [InlineData(true, 0x98, 0xD8, 0x128)]
    public void Layout_gives_the_offsets_authenticode_skips(bool pe32Plus, long optional, long checkSum, long certificateEntry)
    {
        // e_lfanew 0x80 + 4 + 20 = 0x98; CheckSum at O+64; security directory at O+128 (PE32) / O+144 (PE32+)
        var builder = pe32Plus ? TestPEBuilder.Pe32Plus() : TestPEBuilder.Pe32();
        var certificate = new byte[24];
        certificate[0] = 24;
        var built = builder.WithCertificateTable(certificate).BuildImage();

        var info = PEFileReader.Read(built.Bytes, "x", new StrictAnomalySink());

        var layout = Assert.IsType<PEHeaderLayout>(info.Layout);
        Assert.Equal(optional, layout.OptionalHeaderOffset);
        Assert.Equal(checkSum, layout.CheckSumOffset);
        Assert.Equal(certificateEntry, layout.CertificateDirectoryEntryOffset);
        Assert.Equal(0x200u, layout.SizeOfHeaders);
        Assert.Equal((uint)built.CertificateTableOffset!.Value, layout.CertificateTableOffset);
        Assert.Equal(24u, layout.CertificateTableSize);
        Assert.Equal(0x1000u, layout.SectionAlignment);
        Assert.Equal(0x200u, layout.FileAlignment);
    }

    [Fact]
    public void Csrss_like_image_exposes_what_an_inverse_content_rule_needs()
    {
        // Given what research/detection.md §1b says a real csrss.exe carries
        var image = TestPEBuilder.Pe32Plus()
            .WithSubsystem(TestPEBuilder.SubsystemNative)
            .WithImport("CSRSRV.dll", "CsrServerInitialization", "CsrUnhandledExceptionFilter")
            .WithImport("ntdll.dll", "NtTerminateProcess", "#42")
            .WithVersionString("CompanyName", "Microsoft Corporation")
            .WithVersionString("FileDescription", "Client Server Runtime Process")
            .WithVersionString("OriginalFilename", "CSRSS.Exe")
            .WithVersionString("InternalName", "CSRSS.Exe")
            .WithVersionString("ProductName", "Microsoft\u00AE Windows\u00AE Operating System")
            .WithVersionString("FileVersion", "10.0.19041.1 (WinBuild.160101.0800)")
            .WithFixedFileVersion(10, 0, 19041, 1)
            .WithTranslation(0x0409, 0x04B0)
            .Build();

        // When
        var info = PEFileReader.Read(image, "binaries/csrss.exe", new StrictAnomalySink());

        // Then
        Assert.Equal("Native", info.Subsystem);
        Assert.Equal(2, info.Imports.Length);
        Assert.Equal("CSRSRV.dll", info.Imports[0].Dll);
        Assert.Equal<string>(["CsrServerInitialization", "CsrUnhandledExceptionFilter"], info.Imports[0].Functions);
        Assert.Equal<string>(["NtTerminateProcess", "#42"], info.Imports[1].Functions);
        var version = Assert.IsType<VersionInfo>(info.Version);
        Assert.Equal("CSRSS.Exe", version.OriginalFilename);
        Assert.Equal("Client Server Runtime Process", version.FileDescription);
        Assert.Equal("10.0.19041.1 (WinBuild.160101.0800)", version.FileVersion);
        Assert.Equal("10.0.19041.1", version.FixedFileVersion);
        Assert.Null(version.LegalCopyright);
    }

    [Fact]
    public void ToBinaryInfo_carries_version_identity_and_anomalies()
    {
        var image = TestPEBuilder.Pe32()
            .WithVersionString("OriginalFilename", "evil.exe")
            .WithVersionString("CompanyName", "Contoso")
            .WithCheckSum(0x1234)
            .Build();
        var info = PEFileReader.Read(image, "binaries/csrss.exe", new AnomalyList());

        var binary = info.ToBinaryInfo("binaries/csrss.exe");

        Assert.Equal("binaries/csrss.exe", binary.BundlePath);
        Assert.True(binary.IsPe);
        Assert.Equal("I386", binary.Machine);
        Assert.Equal("evil.exe", binary.OriginalFilename);
        Assert.Equal("Contoso", binary.CompanyName);
        Assert.Null(binary.FileVersion);
        Assert.Equal(PEAnomalyCodes.CheckSumMismatch, Assert.Single(binary.Anomalies).Code);
    }

    [Fact]
    public void File_version_falls_back_to_the_fixed_version_in_BinaryInfo()
    {
        var info = PEFileReader.Read(TestPEBuilder.Pe32().WithFixedFileVersion(6, 1, 7601, 17514).Build(), "x", new StrictAnomalySink());

        Assert.Null(info.Version?.FileVersion);
        Assert.Equal("6.1.7601.17514", info.ToBinaryInfo("x").FileVersion);
    }

    [Fact]
    public void English_unicode_string_table_wins_over_an_earlier_one()
    {
        var image = TestPEBuilder.Pe32()
            .WithVersionStrings("040704B0", ("OriginalFilename", "german.exe"))
            .WithVersionStrings("040904E4", ("OriginalFilename", "english-1252.exe"))
            .WithVersionStrings("040904B0", ("OriginalFilename", "english.exe"))
            .Build();

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        Assert.Equal("english.exe", info.Version?.OriginalFilename);
    }

    [Fact]
    public void Without_english_the_translation_picks_the_table()
    {
        var image = TestPEBuilder.Pe32()
            .WithVersionStrings("040704B0", ("OriginalFilename", "german.exe"))
            .WithVersionStrings("040C04B0", ("OriginalFilename", "french.exe"))
            .WithTranslation(0x040C, 0x04B0)
            .Build();

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        Assert.Equal("french.exe", info.Version?.OriginalFilename);
    }

    [Fact]
    public void Without_english_or_translation_the_first_table_is_used()
    {
        var image = TestPEBuilder.Pe32()
            .WithVersionStrings("041104B0", ("OriginalFilename", "japanese.exe"))
            .WithVersionStrings("040704B0", ("OriginalFilename", "german.exe"))
            .Build();

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        Assert.Equal("japanese.exe", info.Version?.OriginalFilename);
    }

    [Fact]
    public void Lower_case_table_key_still_counts_as_english()
    {
        var image = TestPEBuilder.Pe32()
            .WithVersionStrings("040704B0", ("InternalName", "de"))
            .WithVersionStrings("040904b0", ("InternalName", "en"))
            .Build();

        Assert.Equal("en", PEFileReader.Read(image, "x", new StrictAnomalySink()).Version?.InternalName);
    }

    [Fact]
    public void Delay_imports_follow_the_regular_imports()
    {
        var image = TestPEBuilder.Pe32Plus()
            .WithImport("KERNEL32.dll", "ExitProcess")
            .WithDelayImport("USER32.dll", "MessageBoxW", "#7")
            .Build();

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        Assert.Equal<string>(["KERNEL32.dll", "USER32.dll"], info.Imports.Select(i => i.Dll));
        Assert.Equal<string>(["MessageBoxW", "#7"], info.Imports[1].Functions);
    }

    [Fact]
    public void Pe32_delay_imports_are_read_too()
    {
        var info = PEFileReader.Read(TestPEBuilder.Pe32().WithDelayImport("WS2_32.dll", "connect").Build(), "x", new StrictAnomalySink());

        var import = Assert.Single(info.Imports);
        Assert.Equal("WS2_32.dll", import.Dll);
        Assert.Equal<string>(["connect"], import.Functions);
    }

    [Fact]
    public void Dll_and_dotnet_flags_are_reported()
    {
        var info = PEFileReader.Read(TestPEBuilder.Pe32().AsDll().AsDotNet().Build(), "x", new StrictAnomalySink());

        Assert.True(info.IsDll);
        Assert.True(info.IsDotNet);
    }

    [Fact]
    public void Machine_and_timestamp_come_from_the_file_header()
    {
        var info = PEFileReader.Read(
            TestPEBuilder.Pe32Plus().WithMachine(TestPEBuilder.MachineArm64).WithTimeDateStamp(1_000_000_000).Build(), "x", new StrictAnomalySink());

        Assert.Equal("ARM64", info.Machine);
        Assert.Equal(new DateTimeOffset(2001, 9, 9, 1, 46, 40, TimeSpan.Zero), info.TimeDateStampUtc);
    }

    [Fact]
    public void Zero_timestamp_means_unknown()
    {
        Assert.Null(PEFileReader.Read(TestPEBuilder.Pe32().WithTimeDateStamp(0).Build(), "x", new StrictAnomalySink()).TimeDateStampUtc);
    }

    [Fact]
    public void Entropy_is_zero_for_constant_data_and_eight_for_a_uniform_byte_spread()
    {
        var uniform = Enumerable.Range(0, 512).Select(i => (byte)i).ToArray();
        var image = TestPEBuilder.Pe32()
            .WithSection(".zero", new byte[512])
            .WithSection(".uni", uniform)
            .WithSection(".half", [.. Enumerable.Repeat((byte)1, 256), .. Enumerable.Repeat((byte)2, 256)])
            .Build();

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        Assert.Equal(0.0, info.Sections.Single(s => s.Name == ".zero").Entropy);
        Assert.Equal(8.0, info.Sections.Single(s => s.Name == ".uni").Entropy);
        Assert.Equal(1.0, info.Sections.Single(s => s.Name == ".half").Entropy);
    }

    [Fact]
    public void Valid_checksum_is_recomputed_exactly()
    {
        var image = TestPEBuilder.Pe32Plus().WithImport("a.dll", "f").WithOverlay([1, 2, 3]).WithValidCheckSum().Build();

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        Assert.NotEqual(0u, info.DeclaredCheckSum);
        Assert.Equal(info.DeclaredCheckSum, info.ComputedCheckSum);
    }

    [Fact]
    public void Zero_checksum_is_not_an_anomaly_but_is_still_computed()
    {
        var image = TestPEBuilder.Pe32().Build();

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        Assert.Equal(0u, info.DeclaredCheckSum);
        Assert.Equal(TestPEBuilder.ComputeCheckSum(image, 0x98 + 64), info.ComputedCheckSum);
    }

    [Fact]
    public void Wrong_checksum_is_an_info_anomaly_at_the_checksum_field()
    {
        var sink = new AnomalyList();

        var info = PEFileReader.Read(TestPEBuilder.Pe32().WithCheckSum(0xDEADBEEF).Build(), "binaries/a.exe", sink);

        var anomaly = Assert.Single(sink.Items);
        Assert.Equal(PEAnomalyCodes.CheckSumMismatch, anomaly.Code);
        Assert.Equal(AnomalySeverity.Info, anomaly.Severity);
        Assert.Equal(new EvidenceRef("binaries/a.exe", Offset: 0xD8), anomaly.Evidence);
        Assert.Equal<Anomaly>(sink.Items, info.Anomalies);
    }

    [Fact]
    public void Overlay_is_the_data_after_the_last_section()
    {
        var built = TestPEBuilder.Pe32().WithOverlay(new byte[100]).BuildImage();

        var info = PEFileReader.Read(built.Bytes, "x", new StrictAnomalySink());

        Assert.Equal(built.OverlayOffset, info.OverlayOffset);
        Assert.Equal(100, info.OverlaySize);
    }

    [Fact]
    public void Certificate_table_after_the_overlay_is_excluded_from_it()
    {
        var certificate = new byte[16];
        certificate[0] = 16;
        var built = TestPEBuilder.Pe32().WithOverlay(new byte[5]).WithCertificateTable(certificate).BuildImage();

        var info = PEFileReader.Read(built.Bytes, "x", new StrictAnomalySink());

        // 5 overlay bytes + 3 bytes of padding to the 8-byte-aligned table
        Assert.Equal(built.OverlayOffset, info.OverlayOffset);
        Assert.Equal(8, info.OverlaySize);
        Assert.Equal((uint)built.CertificateTableOffset!.Value, info.Layout!.CertificateTableOffset);
    }

    [Fact]
    public void Data_appended_after_the_certificate_table_is_overlay()
    {
        var certificate = new byte[16];
        certificate[0] = 16;
        var built = TestPEBuilder.Pe32().WithCertificateTable(certificate).BuildImage();
        byte[] appended = [.. built.Bytes, .. new byte[40]];

        var info = PEFileReader.Read(appended, "x", new StrictAnomalySink());

        Assert.Equal(built.Bytes.Length, info.OverlayOffset);
        Assert.Equal(40, info.OverlaySize);
    }

    [Fact]
    public void Anomalies_reach_the_sink_and_the_result_in_the_same_order()
    {
        var image = TestPEBuilder.Pe32().WithCheckSum(1).WithMachine(0x1234).Build();
        var sink = new AnomalyList();

        var info = PEFileReader.Read(image, "x", sink);

        Assert.Equal<Anomaly>(sink.Items, info.Anomalies);
        Assert.Contains(info.Anomalies, a => a.Code == PEAnomalyCodes.UnknownMachine);
        Assert.Equal("0x1234", info.Machine);
    }
}
