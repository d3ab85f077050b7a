using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>verify &lt;file-or-folder&gt;... [--catalogs DIR] [--roots PEM-or-DIR] [--time ISO] [--json]</c>: offline Authenticode
/// and catalog verification of loose files; a folder is walked. Exit 0 when every file was read and verified (whatever
/// the verdicts), 65 when some file could not be read (the others are still verified), 64 on a usage error.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>Cap on one catalog file (catalogs are indexed in memory) and on a file the bench holds in memory.</summary>
    internal const long MaxFileBytes = 512L * 1024 * 1024;

    private const int MaxCatalogs = 100_000;

    public static Command Create()
    {
        var files = new Argument<FileSystemInfo[]>("path")
        {
            Description = "Files to verify (PE images, catalogs, any file a catalog may list), or folders to walk (files only, symbolic links not followed).",
            Arity = ArgumentArity.OneOrMore,
        };
        var catalogs = new Option<DirectoryInfo?>("--catalogs") { Description = "Folder searched recursively for *.cat security catalogs." };
        var roots = new Option<FileSystemInfo?>("--roots") { Description = "Extra trust anchors: a PEM file or a folder of PEM files. Pinned Microsoft roots are always included." };
        var time = new Option<string?>("--time")
        {
            Description = "Chain verification time (ISO-8601 UTC) for signatures without a valid timestamp, e.g. the collection time. Default: now.",
        };
        var json = new Option<bool>("--json") { Description = "Print a JSON array, one object per file verified." };
        var threads = new Option<int>("--threads")
        {
            Description = "Files verified at once (default: every core). Output order does not depend on it.",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var command = new Command("verify", "Verify Authenticode signatures and catalog membership offline. Exit codes: see the table below.") { files, catalogs, roots, time, json, threads };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(catalogs), parse.GetValue(roots), parse.GetValue(time), parse.GetValue(json), parse.GetValue(threads)));
        return command;
    }

    private static int Run(FileSystemInfo[] paths, DirectoryInfo? catalogDirectory, FileSystemInfo? rootsPath, string? timeText, bool json, int threads)
    {
        if (threads < 1)
        {
            throw new CliFailure(ExitCodes.UsageError, "--threads must be at least 1");
        }

        DateTimeOffset verificationTime = TimeProvider.System.GetUtcNow();
        if (timeText is not null && !DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out verificationTime))
        {
            throw new CliFailure(ExitCodes.UsageError, $"--time '{timeText}' is not an ISO-8601 time");
        }

        var setupAnomalies = new AnomalyList();
        TrustAnchors anchors = rootsPath is null ? TrustAnchors.PinnedMicrosoftOnly() : TrustAnchors.FromPem(PemFiles.Read(rootsPath), setupAnomalies);
        CatalogIndex index = catalogDirectory is null ? CatalogIndex.Empty : CatalogIndex.Build(ReadCatalogs(catalogDirectory), setupAnomalies);
        foreach (Anomaly anomaly in setupAnomalies.Items)
        {
            Console.Error.WriteLine(TerminalText.Printable($"note: {anomaly.Code} {anomaly.Message} ({anomaly.Evidence})"));
        }

        var inputs = VerifyInputs.Expand(paths, note => Console.Error.WriteLine($"note: {TerminalText.Printable(note)}"));
        var verifier = new AuthenticodeVerifier(anchors, index, verificationTime);

        // Files are independent and the verifier is thread-safe: verify on every core, keep the results in input order
        // so the output is the same for any --threads. Each file is read once; that pass feeds every digest it needs.
        var verified = new VerifyResultJson?[inputs.Count];
        var errors = new string?[inputs.Count];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => verified[i] = Verify(verifier, inputs[i], out errors[i]));
        var results = new List<VerifyResultJson>(inputs.Count);
        var failed = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (verified[i] is { } result)
            {
                results.Add(result);
            }
            else
            {
                Console.Error.WriteLine(errors[i]);
                failed++;
            }
        }

        if (json)
        {
            // The serializer escapes every control and non-ASCII character: JSON output is terminal-safe as it is.
            Console.WriteLine(JsonSerializer.Serialize(results, VerifyJsonContext.Default.ListVerifyResultJson));
        }
        else
        {
            foreach (VerifyResultJson result in results)
            {
                string source = result.Catalog.Matched ? $" catalog={result.Catalog.File}" : "";
                Console.WriteLine(TerminalText.Printable($"{result.Verdict,-17} {result.Path}  signer={result.Embedded.Signer ?? result.Catalog.Signer ?? "-"}{source}"));
                foreach (AnomalyJson anomaly in result.Anomalies)
                {
                    Console.WriteLine(TerminalText.Printable($"    {anomaly.Code} {anomaly.Message}"));
                }
            }
        }

        if (failed > 0)
        {
            Console.Error.WriteLine($"error: {failed} of {inputs.Count} files could not be verified (named above); the others were verified");
            return ExitCodes.UnreadableInput;
        }

        return ExitCodes.Clean;
    }

    /// <summary>Verifies one file, streamed through a fixed buffer; null and the line for stderr when it cannot be read.</summary>
    private static VerifyResultJson? Verify(AuthenticodeVerifier verifier, VerifyInput input, out string? error)
    {
        error = null;
        var problem = input.Problem;
        if (problem is null)
        {
            var anomalies = new AnomalyList();
            try
            {
                using FileStream stream = new(input.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
                // The SHA-1 image hash only when the verifier needs it (a SHA-1 catalog entry or signature): it is
                // then printed too; otherwise authenticodeSha1 is null and the pass computes two digests, not three.
                return VerifyResultJson.From(verifier.Verify(input.DisplayPath, stream, anomalies, VerificationHashes.AuthenticodeSha256 | VerificationHashes.Sha256), anomalies.Items);
            }
            catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
            {
                problem = failure.Message;
            }
        }

        error = $"error: {TerminalText.Printable(input.DisplayPath)}: {TerminalText.Printable(problem)}";
        return null;
    }

    private static List<(string Name, ReadOnlyMemory<byte> Bytes)> ReadCatalogs(DirectoryInfo directory)
    {
        try
        {
            return ReadCatalogFiles(directory);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.UnreadableInput, $"--catalogs '{directory.FullName}' cannot be read: {error.Message}", error);
        }
    }

    private static List<(string Name, ReadOnlyMemory<byte> Bytes)> ReadCatalogFiles(DirectoryInfo directory)
    {
        var result = new List<(string, ReadOnlyMemory<byte>)>();
        foreach (FileInfo file in directory.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(static f => f.Extension.Equals(".cat", StringComparison.OrdinalIgnoreCase) && !SpecialFiles.IsSpecial(f.FullName))
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
