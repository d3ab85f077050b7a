namespace CsrssForensics.Analysis.Trust;

/// <summary>Stable finding codes of the evidence-trust check; worded in the rules data (producer trust). Never renumber.</summary>
public static class TrustCodes
{
    /// <summary>A bundle file behind the verdict changed, went missing or was refused after collection.</summary>
    public const string IntegrityFailed = "EVD-INTEGRITY-FAILED";

    /// <summary>The copied binary is listed for the file but could not be read.</summary>
    public const string CopyUnreadable = "EVD-COPY-UNREADABLE";

    /// <summary>Every trust code with the variants the code asks for (none): checked against the rules data at load.</summary>
    public static IReadOnlyList<(string Code, IReadOnlyList<string> Variants)> Produced { get; } =
    [
        (IntegrityFailed, []),
        (CopyUnreadable, []),
    ];
}
