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
}
