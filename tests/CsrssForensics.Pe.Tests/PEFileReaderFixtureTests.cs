using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests;

/// <summary>Real Microsoft-signed binaries from the .NET runtime (see fixtures/pe/HOW-MADE-pe.md), read strictly.</summary>
public sealed class PEFileReaderFixtureTests
{
    [Fact]
    public void Pe32_runtime_dll_reads_without_anomalies_and_its_declared_checksum_matches()
    {
        // Given a PE32 IL-only DLL whose CheckSum was set by Microsoft's build
        var image = PEFixtures.Read(PEFixtures.SystemWeb);

        // When
        var info = PEFileReader.Read(image, "binaries/System.Web.dll", new StrictAnomalySink());

        // Then: the recomputed checksum agrees with the one the linker/signing wrote (an independent oracle)
        Assert.True(info.IsPe);
        Assert.Equal("I386", info.Machine);
        Assert.Equal("WindowsCui", info.Subsystem);
        Assert.False(info.IsPE32Plus);
        Assert.True(info.IsDll);
        Assert.True(info.IsDotNet);
        Assert.Equal(0x10754u, info.DeclaredCheckSum);
        Assert.Equal(info.DeclaredCheckSum, info.ComputedCheckSum);
        Assert.Equal(new DateTimeOffset(2067, 9, 1, 16, 56, 10, TimeSpan.Zero), info.TimeDateStampUtc);
        Assert.Equal<string>([".text", ".rsrc", ".reloc"], info.Sections.Select(s => s.Name));
        Assert.Equal("0x60000020 CNT_CODE|MEM_EXECUTE|MEM_READ", info.Sections[0].Characteristics);
        var import = Assert.Single(info.Imports);
        Assert.Equal("mscoree.dll", import.Dll);
        Assert.Equal<string>(["_CorDllMain"], import.Functions);
        Assert.Empty(info.Anomalies);
    }

    [Fact]
    public void Pe32_runtime_dll_has_the_version_strings_explorer_shows()
    {
        var info = PEFileReader.Read(PEFixtures.Read(PEFixtures.SystemWeb), "x", new StrictAnomalySink());

        Assert.Equal(
            new VersionInfo(
                CompanyName: "Microsoft Corporation",
                FileDescription: "System.Web",
                OriginalFilename: "System.Web.dll",
                InternalName: "System.Web.dll",
                ProductName: "Microsoft\u00AE .NET",
                FileVersion: "10.0.1226.42308",
                ProductVersion: "10.0.12+95017c711e6afc1085133d440e42b4bd78155701",
                LegalCopyright: "\u00A9 Microsoft Corporation. All rights reserved.",
                FixedFileVersion: "10.0.1226.42308"),
            info.Version);
    }

    [Fact]
    public void Signed_dll_certificate_table_sits_at_the_end_and_is_not_overlay()
    {
        var image = PEFixtures.Read(PEFixtures.SystemWeb);

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        var layout = Assert.IsType<PEHeaderLayout>(info.Layout);
        Assert.Equal(new PEHeaderLayout(152, 216, 280, 512, 5120, 10024, 8192, 512), layout);
        Assert.Equal(image.Length, (long)layout.CertificateTableOffset + layout.CertificateTableSize);
        Assert.Null(info.OverlayOffset);
        Assert.Equal(0, info.OverlaySize);
    }

    [Fact]
    public void Pe32Plus_ready_to_run_dll_built_for_linux_names_its_machine_and_reads_cleanly()
    {
        var image = PEFixtures.Read(PEFixtures.SystemThreading);

        var info = PEFileReader.Read(image, "x", new StrictAnomalySink());

        // 0x8664 ^ 0x7B79 (dotnet/runtime's Linux machine override) = 0xFD1D
        Assert.Equal("AMD64+Linux", info.Machine);
        Assert.True(info.IsPE32Plus);
        Assert.True(info.IsDotNet);
        Assert.Equal(info.DeclaredCheckSum, info.ComputedCheckSum);
        Assert.NotEqual(0u, info.DeclaredCheckSum);
        Assert.Equal(new PEHeaderLayout(152, 216, 296, 512, 64000, 10024, 512, 512), info.Layout);
        Assert.Equal("System.Threading.dll", info.Version?.OriginalFilename);
        Assert.Equal("10.0.1226.42308", info.Version?.FixedFileVersion);
        Assert.Empty(info.Imports);
        Assert.All(info.Sections, s => Assert.InRange(s.Entropy, 0.0, 8.0));
    }

    [Fact]
    public void Fixture_results_are_identical_on_every_read()
    {
        var image = PEFixtures.Read(PEFixtures.SystemThreading);

        var first = PEFileReader.Read(image, "x", new AnomalyList());
        var second = PEFileReader.Read(image, "x", new AnomalyList());

        Assert.Equal(first.Version, second.Version);
        Assert.Equal<PESection>(first.Sections, second.Sections);
        Assert.Equal(first.Layout, second.Layout);
    }
}
