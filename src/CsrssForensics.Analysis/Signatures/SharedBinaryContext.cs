using System.Security.Cryptography;
using System.Text;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Analysis.Signatures;

/// <summary>
/// One bundle's view of <see cref="SharedBinaryResults"/>: its verification context (store roots, analyst roots,
/// catalogs) and fallback time, and the re-pointing of a shared result at this bundle's own paths.
/// </summary>
internal sealed class SharedBinaryContext
{
    private readonly SharedBinaryResults _results;
    private readonly string _contextKey;
    private readonly DateTimeOffset _fallbackTimeUtc;

    public SharedBinaryContext(
        SharedBinaryResults results,
        IEnumerable<(string Name, byte[] Bytes)> storeFiles,
        IEnumerable<(string Name, byte[] Pem)> extraRoots,
        IEnumerable<(string Name, byte[] Bytes)> catalogs,
        DateTimeOffset fallbackTimeUtc)
    {
        _results = results;
        _fallbackTimeUtc = fallbackTimeUtc;
        _contextKey = ContextKey(storeFiles, extraRoots, catalogs);
    }

    /// <summary>
    /// Everything but the bytes and the time that a verification result depends on: which roots are anchors and where
    /// each came from (a host-store root proves less than a pinned one), and which catalogs can vouch for a file (and
    /// under which names, which the result cites). Two hosts with different stores or catalogs never share a result.
    /// </summary>
    internal static string ContextKey(
        IEnumerable<(string Name, byte[] Bytes)> storeFiles,
        IEnumerable<(string Name, byte[] Pem)> extraRoots,
        IEnumerable<(string Name, byte[] Bytes)> catalogs)
    {
        var lines = storeFiles.Select(f => $"store|{f.Name}|{Hash(f.Bytes)}")
            .Concat(extraRoots.Select(f => $"analyst|{f.Name}|{Hash(f.Pem)}"))
            .Concat(catalogs.Select(f => $"catalog|{f.Name}|{Hash(f.Bytes)}"))
            .Order(StringComparer.Ordinal);
        return Hash(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
    }

    public (BinaryInfo Binary, FileVerification Verification) Examine(
        string path, byte[] bytes, string sha256, IAnomalySink sink, Func<string, byte[], IAnomalySink, (BinaryInfo, FileVerification)> examine)
    {
        var result = _results.GetOrExamine(sha256, _contextKey, _fallbackTimeUtc, () =>
        {
            var recorder = new AnomalyList();
            var (binary, verification) = examine(path, bytes, recorder);
            return new SharedBinaryResult(sha256, _contextKey, _fallbackTimeUtc, path, binary, verification, [.. recorder.Items]);
        });

        // Whether computed now or earlier for another copy: the anomalies that examination found are this copy's too.
        foreach (var anomaly in RePointAll(result.Anomalies, result.ReferencePath, path))
        {
            sink.Report(anomaly);
        }

        return (RePoint(result.Binary, result.ReferencePath, path), result.Verification with { Path = path });
    }

    private static BinaryInfo RePoint(BinaryInfo binary, string from, string to) =>
        binary with { BundlePath = to, Anomalies = [.. RePointAll(binary.Anomalies, from, to)] };

    private static IEnumerable<Anomaly> RePointAll(IEnumerable<Anomaly> anomalies, string from, string to) =>
        anomalies.Select(a => string.Equals(a.Evidence.BundleFile, from, StringComparison.Ordinal)
            ? a with { Evidence = a.Evidence with { BundleFile = to } }
            : a);

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
