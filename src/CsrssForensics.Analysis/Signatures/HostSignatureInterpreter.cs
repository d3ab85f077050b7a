using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Signatures;

/// <summary>
/// Turns the suspect host's own <c>Get-AuthenticodeSignature</c> answer into signature evidence. Used only when the
/// binary was not copied into the bundle: it is what the host claims, and the report says so.
/// </summary>
internal static class HostSignatureInterpreter
{
    // Elastic's masquerading rule trusts these subjects when the signature is trusted [ELA2].
    private static readonly string[] _microsoftSubjectNames =
    [
        "CN=Microsoft Windows,",
        "CN=Microsoft Windows Publisher,",
        "CN=Microsoft Corporation,",
    ];

    /// <summary>The status the host's words amount to.</summary>
    public static SignatureStatus Interpret(HostSignature host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Status?.Trim().ToUpperInvariant() switch
        {
            null or "" => SignatureStatus.Unknown,
            "VALID" => IsMicrosoftSubject(host.SignerSubject) ? SignatureStatus.MicrosoftSigned : SignatureStatus.SignedOther,
            "NOTSIGNED" => SignatureStatus.NotSigned,
            "NOTTRUSTED" => SignatureStatus.SignedOther,
            "HASHMISMATCH" or "INCOMPATIBLE" => SignatureStatus.Invalid,
            _ => SignatureStatus.Invalid,
        };
    }

    /// <summary>Evidence built from the host's report alone.</summary>
    public static SignatureEvidence FromHost(FileRecord file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var status = Interpret(file.HostSignature);
        var notes = status == SignatureStatus.Unknown
            ? ImmutableArray.Create("No copy of the binary and no host signature status in the bundle.")
            : ImmutableArray.Create("Binary not copied into the bundle: signature as reported by the suspect host, not verified offline.");
        return new SignatureEvidence(
            status,
            status == SignatureStatus.Unknown ? SignatureSource.None : SignatureSource.HostReported,
            file.HostSignature.SignerSubject,
            file.HostSignature.SignerThumbprint,
            IssuerSubject: null,
            RootSubject: null,
            RootSha256Thumbprint: null,
            TimestampUtc: null,
            CatalogFile: file.CatalogPath,
            AuthenticodeSha256: null,
            HostStatus: file.HostSignature.Status,
            notes,
            [file.Source]);
    }

    /// <summary>
    /// Evidence for a file whose copy is listed but could not be read (refused by a cap, bad CRC, missing): unknown, with
    /// the host's claim kept only for display so a disagreement can still be shown.
    /// </summary>
    public static SignatureEvidence CopyUnreadable(FileRecord file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Nothing(file.Source with { Detail = file.BinaryBundlePath }) with
        {
            CatalogFile = file.CatalogPath,
            HostStatus = file.HostSignature.Status,
            Notes = [$"The copy {file.BinaryBundlePath} could not be read: not verified offline, and the host's own claim ({file.HostSignature.Status ?? "none"}) is not used in its place."],
        };
    }

    /// <summary>Evidence for a subject with no file record at all.</summary>
    public static SignatureEvidence Nothing(EvidenceRef? source) => new(
        SignatureStatus.Unknown,
        SignatureSource.None,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        ["The bundle has no file record for this image: neither its bytes nor its signature were collected."],
        source is null ? [] : [source]);

    private static bool IsMicrosoftSubject(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return false;
        }

        var withComma = subject.TrimEnd() + ",";
        return _microsoftSubjectNames.Any(name => withComma.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            && subject.Contains("O=Microsoft Corporation", StringComparison.OrdinalIgnoreCase);
    }
}
