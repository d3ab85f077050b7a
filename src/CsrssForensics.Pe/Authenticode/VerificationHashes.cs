namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Hashes a caller wants reported in <see cref="FileVerification"/> beyond those verification itself needs. Verification
/// always computes the digest algorithm(s) the signatures and catalogs actually ask for, plus the Authenticode SHA-256 of
/// a PE and the plain SHA-256 of a flat file (the identity carried into <see cref="CsrssForensics.Core.Verdicts.SignatureEvidence"/>).
/// A hash neither needed nor requested is not computed and its field is null.
/// </summary>
[Flags]
public enum VerificationHashes
{
    /// <summary>Only what verification needs.</summary>
    None = 0,

    /// <summary>The Authenticode image hash in SHA-1 (PE only).</summary>
    AuthenticodeSha1 = 1,

    /// <summary>The Authenticode image hash in SHA-256 (PE only; always computed for a PE).</summary>
    AuthenticodeSha256 = 2,

    /// <summary>The plain SHA-256 of every byte (always computed for a flat file).</summary>
    Sha256 = 4,

    /// <summary>Every hash <see cref="FileVerification"/> can report, as the <c>verify</c> command prints them.</summary>
    All = AuthenticodeSha1 | AuthenticodeSha256 | Sha256,
}

/// <summary>
/// The hashes of one PE, computed on first demand. The first demand computes everything already known to be wanted
/// (the planned set) in the same linear pass, so the usual file costs exactly one pass; a later demand for a hash not
/// planned (a SHA-1 nested signature, a SHA-1 catalog probe) costs one more pass over the file for that hash alone.
/// </summary>
internal sealed class PeHashes
{
    private readonly FileContent _file;
    private readonly AuthenticodeLayout _layout;
    private readonly CertificateTableResult _table;
    private readonly VerifierCounters _counters;
    private VerificationHashes _planned;
    private VerificationHashes _done;
    private byte[]? _authenticodeSha1;
    private byte[]? _authenticodeSha256;
    private byte[]? _sha256;

    public PeHashes(FileContent file, AuthenticodeLayout layout, CertificateTableResult table, VerificationHashes planned, VerifierCounters counters)
    {
        _counters = counters;
        _file = file;
        _layout = layout;
        _table = table;
        _planned = planned;
    }

    public byte[] AuthenticodeSha1 => Ensure(VerificationHashes.AuthenticodeSha1)._authenticodeSha1!;

    public byte[] AuthenticodeSha256 => Ensure(VerificationHashes.AuthenticodeSha256)._authenticodeSha256!;

    public byte[] Sha256 => Ensure(VerificationHashes.Sha256)._sha256!;

    public byte[]? AuthenticodeSha1IfComputed => _authenticodeSha1;

    public byte[]? Sha256IfComputed => _sha256;

    /// <summary>The hashes computed so far.</summary>
    public VerificationHashes Computed => _done;

    /// <summary>Computes every hash in <paramref name="wanted"/> not computed yet, with the planned ones, in one pass.</summary>
    public PeHashes Ensure(VerificationHashes wanted)
    {
        VerificationHashes missing = wanted & ~_done;
        if (missing == VerificationHashes.None)
        {
            return this;
        }

        missing |= _planned & ~_done;
        _planned = VerificationHashes.None;
        long started = VerifierCounters.Now;
        FileHashes pass = AuthenticodeHasher.ComputePe(_file, _layout, _table, missing);
        _counters.Hashed(started);
        _authenticodeSha1 ??= pass.AuthenticodeSha1;
        _authenticodeSha256 ??= pass.AuthenticodeSha256;
        _sha256 ??= pass.Sha256;
        _done |= missing;
        return this;
    }
}
