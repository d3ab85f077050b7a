using System.Text;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Wording;
using static CsrssForensics.Analysis.Tests.Correlation.SnapshotFactory;
using CorrelationModel = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Correlation;

public sealed class SiblingClassifierTests
{
    private const string Folder = @"C:\Users\bob\AppData\Local\Temp\svc";
    private const string Fake = Folder + @"\csrss.exe";

    /// <summary>A bundle source of in-memory entries that counts what is read.</summary>
    private sealed class MemorySource(Dictionary<string, byte[]> entries) : IBundleSource
    {
        public int Reads { get; private set; }

        public string Name => "memory";

        public IReadOnlyList<string> Entries => [.. entries.Keys.Order(StringComparer.Ordinal)];

        public bool Contains(string entry) => entries.ContainsKey(entry);

        public long? EntryLength(string entry) => entries.TryGetValue(entry, out var bytes) ? bytes.Length : null;

        public byte[]? TryReadAllBytes(string entry, IAnomalySink sink)
        {
            Reads++;
            return entries.GetValueOrDefault(entry);
        }

        public void Dispose()
        {
        }
    }

    // The reasons a config file gives, as the wording table renders them.
    private static IEnumerable<string> ConfigReasons(string text) =>
        MiningIndicators.Find(text).Select(i => ReportWording.Line(i.Code, ("kind", "config"), ("value", i.Value)).Text);

    private static FileRecord Copied(string path, int row, string entry) => File(path, row) with { BinaryBundlePath = entry };

    [Theory]
    [InlineData("""{"url": "stratum+ssl://xmr.example.invalid:443"}""", "config naming a mining pool (stratum+ssl://xmr.example.invalid:443)")]
    [InlineData("pool=eu.pool.example.invalid:14444", "config naming a mining-pool host (eu.pool.example.invalid:14444)")]
    [InlineData("server = node7.example.invalid:5555", "config naming a host on a usual mining-pool port (node7.example.invalid:5555)")]
    [InlineData("wallet: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "config naming a wallet address (Bitcoin bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq)")]
    [InlineData("\"user\": \"0x52908400098527886E0F7030069857D2E4169EE7\"", "config naming a wallet address (Ethereum-style 0x52908400098527886E0F7030069857D2E4169EE7)")]
    [InlineData("\"rig-id\": null", "config with miner settings (rig-id)")]
    [InlineData("algo = cn/r", "config choosing a mining algorithm (cn/r)")]
    public void Each_indicator_gives_its_reason_with_what_it_matched(string text, string reason)
    {
        Assert.Equal([reason], ConfigReasons(text));
    }

    [Fact]
    public void A_pool_url_is_one_reason_not_three_and_ordinary_config_gives_none()
    {
        Assert.Equal(["config naming a mining pool (stratum+tcp://pool.example.invalid:3333)"],
            ConfigReasons("\"url\": \"stratum+tcp://pool.example.invalid:3333\""));
        Assert.Empty(MiningIndicators.Find("{\"theme\": \"dark\", \"server\": \"https://updates.example.invalid/\", \"port\": 443}"));
    }

    [Fact]
    public void A_long_hostile_line_is_matched_in_linear_time_without_a_hit()
    {
        var text = new string('a', 500_000) + ":" + new string('4', 200_000);

        Assert.Empty(MiningIndicators.Find(text));
    }

    [Fact]
    public void Copied_config_is_read_through_the_capped_reader_and_an_oversized_copy_is_never_read()
    {
        // Given a copied config naming a pool, an oversized copied config, and a script naming a pool
        var source = new MemorySource(new()
        {
            ["binaries/small.bin"] = Encoding.UTF8.GetBytes("{\"url\": \"stratum+tcp://pool.example.invalid:3333\"}"),
            ["binaries/big.bin"] = new byte[BundleFileText.DefaultMaxBytes + 1],
            ["binaries/start.bin"] = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("xmrig.exe -o stratum+tcp://198.51.100.7:3333")).ToArray(),
        });
        var snapshot = Snapshot(files:
        [
            File(Fake, 1),
            Copied(Folder + @"\config.json", 2, "binaries/small.bin"),
            Copied(Folder + @"\huge.ini", 3, "binaries/big.bin"),
            Copied(Folder + @"\start.cmd", 4, "binaries/start.bin"),
        ]);
        var anomalies = new AnomalyList();

        // When
        var siblings = CorrelationModel.Build(snapshot, new BundleFileText(source, anomalies)).SiblingsOf(Fake);

        // Then
        Assert.Equal(
            [
                "config naming a mining pool (stratum+tcp://pool.example.invalid:3333)",
                "configuration file beside a suspicious copy (copy not readable or over the size cap: content not checked)",
                "script naming a mining pool (stratum+tcp://198.51.100.7:3333)",
            ],
            siblings.Select(s => s.Reason!));
        Assert.Equal(2, source.Reads);

        // And each reason is its coded lines: the code of what was found, with the file kind and the matched text
        Assert.Equal(
            [
                "SIB-MINING-POOL kind=config value=stratum+tcp://pool.example.invalid:3333",
                "SIB-CONFIG | SIB-NOTE-UNREADABLE",
                "SIB-MINING-POOL kind=script value=stratum+tcp://198.51.100.7:3333",
            ],
            siblings.Select(s => string.Join(" | ", s.ReasonLines.Select(l => string.Join(" ", l.Params.Select(p => $"{p.Name}={p.Value}").Prepend(l.Code))))));
    }

    [Fact]
    public void A_driver_loaded_by_a_service_says_which_service()
    {
        var snapshot = Snapshot(
            files: [File(Fake, 1), File(Folder + @"\WinRing0x64.sys", 2)],
            autoruns: [Autorun(AutorunKind.Service, @"HKLM\SYSTEM\CurrentControlSet\Services\WinRing0_1_2_0", "WinRing0_1_2_0", $@"\??\{Folder}\WinRing0x64.sys")]);

        var sibling = Assert.Single(CorrelationModel.Build(snapshot).SiblingsOf(Fake));

        Assert.Equal("driver", sibling.Kind);
        Assert.EndsWith("; started by service 'WinRing0_1_2_0'", sibling.Reason, StringComparison.Ordinal);
        Assert.Equal(["SIB-DRIVER", "SIB-STARTED-BY"], sibling.ReasonLines.Select(l => l.Code));
        Assert.Equal("service 'WinRing0_1_2_0'", Assert.Single(sibling.ReasonLines[1].Params).Value);
    }
}
