using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>verify &lt;file&gt;... [--catalogs DIR] [--roots PEM-or-DIR] [--time ISO] [--json]</c>: offline Authenticode and catalog
/// verification of loose files. Exit 0 when every file was read and verified (whatever the verdicts), 2 on a usage error.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Cap on one catalog file (catalogs are indexed in memory) and on a file the bench holds in memory.</summary>
    internal const long MaxFileBytes = 512L * 1024 * 1024;

    private const int MaxCatalogs = 100_000;

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("file") { Description = "Files to verify (PE images, catalogs, any file a catalog may list).", Arity = ArgumentArity.OneOrMore };
        var catalogs = new Option<DirectoryInfo?>("--catalogs") { Description = "Folder searched recursively for *.cat security catalogs." };
        var roots = new Option<FileSystemInfo?>("--roots") { Description = "Extra trust anchors: a PEM file or a folder of PEM files. Pinned Microsoft roots are always included." };
        var time = new Option<string?>("--time")
        {
            Description = "Chain verification time (ISO-8601 UTC) for signatures without a valid timestamp, e.g. the collection time. Default: now.",
        };
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per file." };
        var command = new Command("verify", "Verify Authenticode signatures and catalog membership offline.") { files, catalogs, roots, time, json };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(catalogs), parse.GetValue(roots), parse.GetValue(time), parse.GetValue(json)));
        return command;
    }

    private static int Run(FileInfo[] files, DirectoryInfo? catalogDirectory, FileSystemInfo? rootsPath, string? timeText, bool json)
    {
        DateTimeOffset verificationTime = TimeProvider.System.GetUtcNow();
        if (timeText is not null && !DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out verificationTime))
        {
            Console.Error.WriteLine($"error: --time '{timeText}' is not an ISO-8601 time");
            return ExitCodes.Trouble;
        }

        var setupAnomalies = new AnomalyList();
        TrustAnchors anchors;
        CatalogIndex index;
        try
        {
            anchors = rootsPath is null ? TrustAnchors.PinnedMicrosoftOnly() : TrustAnchors.FromPem(PemFiles.Read(rootsPath), setupAnomalies);
            index = catalogDirectory is null ? CatalogIndex.Empty : CatalogIndex.Build(ReadCatalogs(catalogDirectory), setupAnomalies);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.Trouble;
        }

        foreach (FileInfo file in files)
        {
            if (!file.Exists)
            {
                Console.Error.WriteLine($"error: {file.FullName} does not exist");
                return ExitCodes.Trouble;
            }
        }

        var verifier = new AuthenticodeVerifier(anchors, index, verificationTime);
        var results = new List<VerifyResultJson>(files.Length);
        foreach (FileInfo file in files)
        {
            // Streamed through a fixed buffer: memory does not grow with the file's size.
            var anomalies = new AnomalyList();
            FileVerification verification;
            try
            {
                using FileStream stream = new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
                verification = verifier.Verify(file.ToString(), stream, anomalies, VerificationHashes.All);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {file.FullName}: {error.Message}");
                return ExitCodes.Trouble;
            }

            results.Add(VerifyResultJson.From(verification, anomalies.Items));
        }

        foreach (Anomaly anomaly in setupAnomalies.Items)
        {
            Console.Error.WriteLine($"note: {anomaly.Code} {anomaly.Message} ({anomaly.Evidence})");
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(results, VerifyJsonContext.Default.ListVerifyResultJson));
        }
        else
        {
            foreach (VerifyResultJson result in results)
            {
                string source = result.Catalog.Matched ? $" catalog={result.Catalog.File}" : "";
                Console.WriteLine($"{result.Verdict,-17} {result.Path}  signer={result.Embedded.Signer ?? result.Catalog.Signer ?? "-"}{source}");
                foreach (AnomalyJson anomaly in result.Anomalies)
                {
                    Console.WriteLine($"    {anomaly.Code} {anomaly.Message}");
                }
            }
        }

        return ExitCodes.Clean;
    }

    private static List<(string Name, ReadOnlyMemory<byte> Bytes)> ReadCatalogs(DirectoryInfo directory)
    {
        var result = new List<(string, ReadOnlyMemory<byte>)>();
        foreach (FileInfo file in directory.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(static f => f.Extension.Equals(".cat", StringComparison.OrdinalIgnoreCase))
            .OrderBy(static f => f.FullName, StringComparer.Ordinal)
            .Take(MaxCatalogs))
        {
            if (file.Length <= MaxFileBytes)
            {
                result.Add((Path.GetRelativePath(directory.FullName, file.FullName), File.ReadAllBytes(file.FullName)));
            }
        }

        return result;
    }
}

/// <summary>One line of <c>verify --json</c> output.</summary>
internal sealed record VerifyResultJson(
    string Path,
    long Length,
    bool IsPe,
    string? AuthenticodeSha1,
    string? AuthenticodeSha256,
    string? Sha256,
    EmbeddedJson Embedded,
    CatalogJson Catalog,
    string Verdict,
    string DecidedBy,
    IReadOnlyList<string> Notes,
    IReadOnlyList<AnomalyJson> Anomalies)
{
    public static VerifyResultJson From(FileVerification v, IReadOnlyList<Anomaly> anomalies) => new(
        v.Path,
        v.Length,
        v.IsPe,
        v.AuthenticodeSha1,
        v.AuthenticodeSha256,
        v.Sha256,
        new EmbeddedJson(
            v.Embedded.Present,
            v.Embedded.DigestMatches,
            v.Embedded.SignatureValid,
            v.Embedded.ChainTrusted,
            v.Embedded.MicrosoftRoot,
            v.Embedded.SignerSubject,
            v.Embedded.IssuerSubject,
            v.Embedded.SignerThumbprint,
            v.Embedded.RootSubject,
            v.Embedded.RootSha256Thumbprint,
            Iso(v.Embedded.TimestampUtc),
            v.Embedded.NestedCount,
            [.. v.Embedded.Signatures.Select(SignatureJson.From)]),
        new CatalogJson(
            v.Catalog.File,
            v.Catalog.Matched,
            v.Catalog.MemberName,
            v.Catalog.MatchedBy,
            v.Catalog.CatalogSigned,
            v.Catalog.Signature?.Intact ?? false,
            v.Catalog.Signature is { Intact: true, ChainTrusted: true },
            v.Catalog.Signature is { Intact: true, MicrosoftRoot: true },
            v.Catalog.Signature?.SignerSubject,
            [.. v.Catalog.Hits.IsDefault ? [] : v.Catalog.Hits.Select(static h => new CatalogHitJson(h.File, h.MatchedBy, h.MemberName))]),
        v.VerdictText,
        v.DecidedBy.ToString(),
        v.Notes,
        [.. anomalies.Select(static a => new AnomalyJson(a.Code, a.Severity.ToString(), a.Message, a.Evidence.ToString()))]);

    internal static string? Iso(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

internal sealed record EmbeddedJson(
    bool Present,
    bool DigestMatches,
    bool SignatureValid,
    bool ChainTrusted,
    bool MicrosoftRoot,
    string? Signer,
    string? Issuer,
    string? SignerThumbprint,
    string? RootSubject,
    string? RootSha256Thumbprint,
    string? Timestamp,
    int NestedCount,
    IReadOnlyList<SignatureJson> Signatures);

internal sealed record SignatureJson(
    int Depth,
    string? DigestAlgorithm,
    string? SignedDigest,
    bool DigestMatches,
    bool? PageHashesMatch,
    bool SignatureValid,
    bool ChainTrusted,
    bool MicrosoftRoot,
    string? Signer,
    string? TimestampKind,
    string? Timestamp,
    string VerificationTime,
    IReadOnlyList<string> Problems)
{
    public static SignatureJson From(SignatureCheck s) => new(
        s.Depth, s.DigestAlgorithm, s.SignedDigest, s.DigestMatches, s.PageHashesMatch, s.SignatureValid, s.ChainTrusted, s.MicrosoftRoot,
        s.SignerSubject, s.TimestampKind, VerifyResultJson.Iso(s.TimestampUtc), VerifyResultJson.Iso(s.VerificationTimeUtc)!, s.Problems);
}

internal sealed record CatalogJson(
    string? File,
    bool Matched,
    string? Member,
    string? MatchedBy,
    bool CatalogSigned,
    bool SignatureValid,
    bool ChainTrusted,
    bool MicrosoftRoot,
    string? Signer,
    IReadOnlyList<CatalogHitJson> Hits);

internal sealed record CatalogHitJson(string File, string MatchedBy, string? Member);

internal sealed record AnomalyJson(string Code, string Severity, string Message, string Evidence);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<VerifyResultJson>))]
internal sealed partial class VerifyJsonContext : JsonSerializerContext;
