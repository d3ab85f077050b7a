namespace CsrssForensics.Analysis;

/// <summary>What the user can change about one analysis run.</summary>
/// <param name="RulesJson">Replacement rules document (validated against the rules schema); null uses the embedded rules.</param>
/// <param name="ExtraRoots">Root certificate files (PEM) the user names, in addition to the bundle's exported stores.</param>
public sealed record AnalysisOptions(
    string? RulesJson = null,
    IReadOnlyList<(string Name, byte[] Pem)>? ExtraRoots = null)
{
    /// <summary>The defaults: embedded rules, roots only from the bundle and the pinned Microsoft set.</summary>
    public static AnalysisOptions Default { get; } = new();

    /// <summary>
    /// PE and signature results shared with the other bundles of a batch (keyed by the SHA-256 of the copied bytes and
    /// the verification context); null verifies every binary for this bundle alone.
    /// </summary>
    public Signatures.SharedBinaryResults? SharedBinaries { get; init; }
}
