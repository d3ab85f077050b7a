using System.Text.RegularExpressions;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Tests.Support;

namespace CsrssForensics.Pe.Tests;

/// <summary>
/// Property-style robustness: seeded random corruptions of valid images (byte flips, extreme DWORDs, truncations)
/// never throw, and every result keeps the reader's invariants. A failure prints the seed and iteration to replay.
/// </summary>
public sealed partial class PEFileReaderMutationTests
{
    private const int Iterations = 2000;

    private static readonly uint[] _extremeValues = [0, 1, 0x7F, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFF0, 0x1000, 0x200];

    public static TheoryData<string, int> Bases() => new()
    {
        { "pe32-full", 20261128 },
        { "pe32plus-full", 7 },
        { "fixture-System.Web", 1234 },
        { "fixture-System.Threading", 99 },
    };

    [Theory]
    [MemberData(nameof(Bases))]
    public void Random_mutations_of_a_valid_image_never_throw(string baseName, int seed)
    {
        var original = BaseImage(baseName);
        var random = new Random(seed);
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var mutated = Mutate(original, random);
            var sink = new AnomalyList();
            PEFileInfo info;
            try
            {
                info = PEFileReader.Read(mutated, "m.exe", sink);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"{baseName} seed {seed} iteration {iteration}: {ex}");
            }

            AssertInvariants(info, sink, mutated.Length, $"{baseName} seed {seed} iteration {iteration}");
        }
    }

    private static void AssertInvariants(PEFileInfo info, AnomalyList sink, int length, string where)
    {
        Assert.True(sink.Items.SequenceEqual(info.Anomalies), where + ": sink and result differ");
        Assert.True(info.Anomalies.Length <= 101, where + ": anomaly cap exceeded");
        foreach (var anomaly in info.Anomalies)
        {
            Assert.True(CodePattern().IsMatch(anomaly.Code), where + ": bad code " + anomaly.Code);
            Assert.Equal("m.exe", anomaly.Evidence.BundleFile);
        }

        if (!info.IsPe)
        {
            Assert.NotEmpty(info.Anomalies);
            Assert.Null(info.Layout);
        }

        Assert.All(info.Sections, s => Assert.InRange(s.Entropy, 0.0, 8.0));
        Assert.InRange(info.OverlaySize, 0, length);
        if (info.OverlayOffset is long overlay)
        {
            Assert.InRange(overlay + info.OverlaySize, 0, length);
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var image = (byte[])original.Clone();
        var operations = random.Next(1, 4);
        for (var i = 0; i < operations; i++)
        {
            // Most damage goes to the first 0x600 bytes, where headers, tables and small sections live.
            var hotLength = Math.Min(image.Length, 0x600);
            var target = random.NextDouble() < 0.75 ? random.Next(hotLength) : random.Next(Math.Max(image.Length, 1));
            switch (random.Next(5))
            {
                case 0:
                    if (image.Length > 0)
                    {
                        image[target] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    if (image.Length > 0)
                    {
                        image[target] = (byte)random.Next(256);
                    }

                    break;
                case 2:
                    if (target + 4 <= image.Length)
                    {
                        image.UInt32(target & ~3, _extremeValues[random.Next(_extremeValues.Length)]);
                    }

                    break;
                case 3:
                    image = image[..random.Next(image.Length + 1)];
                    break;
                default:
                    for (var k = 0; k < 16 && image.Length > 0; k++)
                    {
                        image[random.Next(hotLength > 0 ? Math.Min(hotLength, image.Length) : image.Length)] = (byte)random.Next(256);
                    }

                    break;
            }
        }

        return image;
    }

    private static byte[] BaseImage(string name) => name switch
    {
        "pe32-full" => Full(TestPEBuilder.Pe32()),
        "pe32plus-full" => Full(TestPEBuilder.Pe32Plus()),
        "fixture-System.Web" => PEFixtures.Read(PEFixtures.SystemWeb),
        "fixture-System.Threading" => PEFixtures.Read(PEFixtures.SystemThreading),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Full(TestPEBuilder builder)
    {
        var certificate = new byte[16];
        certificate[0] = 16;
        return builder
            .AsDotNet()
            .WithImport("CSRSRV.dll", "CsrServerInitialization", "#3")
            .WithDelayImport("USER32.dll", "MessageBoxW")
            .WithVersionString("OriginalFilename", "CSRSS.Exe")
            .WithVersionString("CompanyName", "Microsoft Corporation")
            .WithFixedFileVersion(10, 0, 1, 2)
            .WithTranslation(0x409, 0x4B0)
            .WithOverlay([1, 2, 3, 4, 5])
            .WithCertificateTable(certificate)
            .WithValidCheckSum()
            .Build();
    }

    [Fact]
    public void Unmutated_bases_read_cleanly()
    {
        foreach (var name in new[] { "pe32-full", "pe32plus-full", "fixture-System.Web", "fixture-System.Threading" })
        {
            var info = PEFileReader.Read(BaseImage(name), name, new StrictAnomalySink());
            Assert.True(info.IsPe);
            Assert.NotNull(info.Version);
        }
    }

    [GeneratedRegex("^PE[0-9]{4}$")]
    private static partial Regex CodePattern();
}
