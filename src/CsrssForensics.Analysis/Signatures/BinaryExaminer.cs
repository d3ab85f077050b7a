using System.Security.Cryptography;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Analysis.Signatures;

/// <summary>What the analyzer learned from one file record: its PE facts and its signature.</summary>
internal sealed record BinaryExamination(BinaryInfo? Binary, SignatureEvidence Signature);

/// <summary>
/// Reads each copied binary once, checks it is the file the record describes, parses its PE headers and verifies its
/// signature offline. Files whose bytes were not copied fall back to what the host reported.
/// </summary>
internal sealed class BinaryExaminer
{
    private readonly IBundleSource _source;
    private readonly AuthenticodeVerifier _verifier;
    private readonly IAnomalySink _sink;
    private readonly Dictionary<string, (BinaryInfo Binary, FileVerification Verification)> _byEntry = new(StringComparer.Ordinal);

    private readonly SharedBinaryContext? _shared;

    public BinaryExaminer(IBundleSource source, AuthenticodeVerifier verifier, IAnomalySink sink, SharedBinaryContext? shared = null)
    {
        _source = source;
        _verifier = verifier;
        _sink = sink;
        _shared = shared;
    }

    /// <summary>Examines the file behind a record (bytes if copied, else the host's report).</summary>
    public BinaryExamination Examine(FileRecord file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (string.IsNullOrEmpty(file.BinaryBundlePath))
        {
            return new BinaryExamination(null, HostSignatureInterpreter.FromHost(file));
        }

        if (!_byEntry.TryGetValue(file.BinaryBundlePath, out var examined))
        {
            var bytes = _source.TryReadAllBytes(file.BinaryBundlePath, _sink);
            if (bytes is null)
            {
                // The copy exists but was refused or is damaged: the bytes the host gave us cannot be checked, and its
                // own claim about them must not stand in for the check.
                return new BinaryExamination(null, HostSignatureInterpreter.CopyUnreadable(file));
            }

            var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            CheckRecordedHash(file, sha256);
            examined = _shared is null
                ? ExamineBytes(file.BinaryBundlePath, bytes, _sink)
                : _shared.Examine(file.BinaryBundlePath, bytes, sha256, _sink, ExamineBytes);
            _byEntry[file.BinaryBundlePath] = examined;
        }

        var signature = examined.Verification.ToSignatureEvidence(file.HostSignature.Status);
        return new BinaryExamination(examined.Binary, signature with { Evidence = [.. signature.Evidence, file.Source] });
    }

    private (BinaryInfo Binary, FileVerification Verification) ExamineBytes(string path, byte[] bytes, IAnomalySink sink)
    {
        var anomalies = new AnomalyList();
        var pe = PEFileReader.Read(bytes, path, anomalies);
        var verification = _verifier.Verify(path, bytes, anomalies);
        foreach (var anomaly in anomalies.Items)
        {
            sink.Report(anomaly);
        }

        return (pe.ToBinaryInfo(path), verification);
    }

    private void CheckRecordedHash(FileRecord file, string actual)
    {
        if (string.IsNullOrEmpty(file.Sha256))
        {
            return;
        }

        if (!string.Equals(actual, file.Sha256.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            _sink.Report(new Anomaly(
                "ANA0001",
                AnomalySeverity.High,
                $"The copied bytes hash to {actual}, but files.csv records {file.Sha256} for this file.",
                file.Source with { Detail = file.BinaryBundlePath }));
        }
    }
}
