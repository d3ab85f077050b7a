namespace CsrssForensics.Cli;

/// <summary>
/// Exit codes: one per outcome, so scripts can branch without reading the report. The analysis outcomes are small
/// numbers ordered by how much they ask of the responder; the failures take the sysexits(3) numbers.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Clean: every core process examined and verified offline as the genuine component.</summary>
    public const int Clean = 0;

    /// <summary>Compromised: at least one evidence-backed fake.</summary>
    public const int Compromised = 1;

    /// <summary>Suspicious: something needs a human (no proven fake).</summary>
    public const int Suspicious = 2;

    /// <summary>Inconclusive: nothing wrong found, but not everything could be verified offline or examined.</summary>
    public const int Inconclusive = 3;

    /// <summary>Usage error: unknown command or option, bad option value (EX_USAGE).</summary>
    public const int UsageError = 64;

    /// <summary>The input is not a bundle, or cannot be read (EX_DATAERR).</summary>
    public const int UnreadableInput = 65;

    /// <summary>Internal failure: an unhandled exception or out of memory (EX_SOFTWARE).</summary>
    public const int InternalFailure = 70;

    /// <summary>The output folder cannot be used (exists with reports and no --force, inside the evidence, not writable) (EX_CANTCREAT).</summary>
    public const int CannotWriteOutput = 73;
}
