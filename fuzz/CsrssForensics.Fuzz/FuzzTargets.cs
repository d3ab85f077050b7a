using System.Collections.Frozen;
using CsrssForensics.Analysis;
using CsrssForensics.Bundle;
using CsrssForensics.Bundle.Parsing;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Reporting;

namespace CsrssForensics.Fuzz;

/// <summary>
/// One entry point per parser of attacker-written bundle bytes. A parser must turn any input into anomalies and a
/// result, so any exception that escapes a target is a finding of the fuzzer (a crash), except the documented refusals
/// of a whole bundle.
/// </summary>
internal static class FuzzTargets
{
    private static readonly DateTimeOffset _time = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Target name → harness; the names are the arguments of <c>fuzz/run.sh</c>.</summary>
    public static FrozenDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["pe"] = bytes => PEFileReader.Read(bytes, "fuzz.bin", new AnomalyList()),
        ["authenticode"] = Authenticode,
        ["catalog"] = bytes => CatalogIndex.Build([("catalogs/fuzz.cat", (ReadOnlyMemory<byte>)bytes)], new AnomalyList()),
        ["pem"] = bytes => TrustAnchors.FromPem([("certstores/fuzz.pem", bytes)], new AnomalyList()),
        ["task-xml"] = bytes => TaskXmlReader.Read("tasks/fuzz.xml", bytes, new AnomalyList()),
        ["processes-csv"] = bytes => CsvParts.ReadProcesses(bytes, new AnomalyList()),
        ["files-csv"] = bytes => CsvParts.ReadFiles(bytes, new AnomalyList()),
        ["task-runs-csv"] = bytes => TaskRunsPart.Read(bytes, new AnomalyList()),
        ["autoruns-json"] = bytes => JsonParts.ReadAutoruns(bytes, new AnomalyList()),
        ["host-json"] = bytes => JsonParts.ReadHost(bytes, new AnomalyList()),
        ["programs-json"] = bytes => ContextParts.ReadPrograms(bytes, new AnomalyList()),
        ["extensions-json"] = bytes => ContextParts.ReadBrowserExtensions(bytes, new AnomalyList()),
        ["defender-json"] = bytes => ContextParts.ReadDefender(bytes, new AnomalyList()),
        ["com-json"] = bytes => ContextParts.ReadComRegistrations(bytes, new AnomalyList()),
        ["bundle-zip"] = BundleZip,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static void Authenticode(byte[] bytes)
    {
        var sink = new AnomalyList();
        var verifier = new AuthenticodeVerifier(TrustAnchors.PinnedMicrosoftOnly(), CatalogIndex.Build([], sink), _time);
        verifier.Verify("fuzz.bin", bytes, sink);
    }

    /// <summary>The whole pipeline on a zip: zip reader, manifest, every part, analysis and all four writers.</summary>
    private static void BundleZip(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"csrss-fuzz-{Environment.ProcessId}.zip");
        File.WriteAllBytes(path, bytes);
        try
        {
            using var bundle = BundleReader.Open(path);
            var report = BundleAnalyzer.Analyze(bundle);
            _ = ReportWriter.ToJson(report);
            _ = ReportWriter.ToHtml(report);
            _ = ReportWriter.ToCsv(report);
        }
        catch (BundleOpenException)
        {
            // A documented refusal of the whole input (not a zip, not a bundle): the CLI turns it into exit code 65.
        }
        finally
        {
            File.Delete(path);
        }
    }
}
