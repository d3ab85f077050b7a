using System.Collections.Immutable;

namespace CsrssForensics.Core.Report;

/// <summary>
/// Which rules made the verdicts when they are not the built-in ones alone, so an auditor sees that custom rules
/// were in force and can check the exact files by their hashes.
/// </summary>
/// <param name="Replacement">The <c>--rules</c> file that replaced the built-in rules, or null.</param>
/// <param name="Overlays">The <c>--rules-overlay</c> files, in the order they were applied.</param>
public sealed record RulesProvenance(RulesFileInfo? Replacement, ImmutableArray<RulesFileInfo> Overlays)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<RulesFileInfo> Overlays { get; init => field = value.OrEmpty(); } = Overlays.OrEmpty();
}

/// <summary>One rules file: its file name (no folder, so reports do not depend on the analyst's paths) and SHA-256.</summary>
/// <param name="Name">The file name as given, without its folder.</param>
/// <param name="OverlayName">The overlay's own <c>name</c> field; null for a <c>--rules</c> file.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
public sealed record RulesFileInfo(string Name, string? OverlayName, string Sha256);
