using CsrssForensics.Rules;

namespace CsrssForensics.Analysis;

/// <summary>What the user can change about one analysis run.</summary>
/// <param name="RulesJson">Replacement rules document (validated against the rules schema); null uses the embedded rules.</param>
/// <param name="ExtraRoots">Root certificate files (PEM) the user names, in addition to the bundle's exported stores.</param>
public sealed record AnalysisOptions(
    string? RulesJson = null,
    IReadOnlyList<(string Name, byte[] Pem)>? ExtraRoots = null)
{
    /// <summary>Rules already composed (a replacement and overlays, see <see cref="RuleSet.Compose"/>); when set, <see cref="RulesJson"/> is not used.</summary>
    public RuleSet? Rules { get; init; }

    /// <summary>The defaults: embedded rules, roots only from the bundle and the pinned Microsoft set.</summary>
    public static AnalysisOptions Default { get; } = new();

    /// <summary>
    /// Most bytes of catalogs (and, separately, of certificate-store files) held in memory for the whole run; entries
    /// past it, in name order, are not read (anomaly ANA0003). Default 128 MiB each: a host's catalogs for the files
    /// a collector takes are a few MB, and a hostile bundle of many 256 MB catalogs would otherwise all be held at once.
    /// </summary>
    public long MaxHeldEntryBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>
    /// PE and signature results shared with the other bundles of a batch (keyed by the SHA-256 of the copied bytes and
    /// the verification context); null verifies every binary for this bundle alone.
    /// </summary>
    public Signatures.SharedBinaryResults? SharedBinaries { get; init; }

    /// <summary>
    /// How many cores judge subjects at once. Every subject is judged on its own and the report order is fixed
    /// afterwards, so any value gives the same report; tests set 1 to prove it.
    /// </summary>
    internal int Parallelism { get; init; } = Environment.ProcessorCount;
}
