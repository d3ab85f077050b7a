using System.Collections.Immutable;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Core.Report;

/// <summary>
/// The report's "Host context": what the suspect host says about its own defences (Defender status and detections)
/// and what else arrived on it (recently installed programs, browser extensions). Secondary evidence: it can
/// corroborate a verdict and point the cleanup at more items, but it never decides a verdict.
/// </summary>
/// <param name="DefenderStatus">Null when defender.json was not collected or had no usable status.</param>
/// <param name="Findings">Host-level findings, e.g. real-time or tamper protection off.</param>
public sealed record HostContextSection(
    DefenderStatus? DefenderStatus,
    ImmutableArray<DetectionContextRow> DefenderDetections,
    ImmutableArray<ProgramContextRow> RecentPrograms,
    ImmutableArray<ExtensionContextRow> BrowserExtensions,
    ImmutableArray<Finding> Findings)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<DetectionContextRow> DefenderDetections { get; init => field = value.OrEmpty(); } = DefenderDetections.OrEmpty();
    public ImmutableArray<ProgramContextRow> RecentPrograms { get; init => field = value.OrEmpty(); } = RecentPrograms.OrEmpty();
    public ImmutableArray<ExtensionContextRow> BrowserExtensions { get; init => field = value.OrEmpty(); } = BrowserExtensions.OrEmpty();
    public ImmutableArray<Finding> Findings { get; init => field = value.OrEmpty(); } = Findings.OrEmpty();
}

/// <summary>One Defender detection and the judged subjects whose path it names.</summary>
/// <param name="Subjects">Normalised paths of judged subjects named by the detection's resources or process.</param>
public sealed record DetectionContextRow(DefenderDetection Detection, ImmutableArray<string> Subjects)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> Subjects { get; init => field = value.OrEmpty(); } = Subjects.OrEmpty();
}

/// <summary>An installed program worth a look, with why it is listed.</summary>
/// <param name="Reasons">Why it is listed (installed near a fake's creation, installed into its folder, installed shortly before collection).</param>
/// <param name="PossiblyArrivedWith">Normalised paths of suspicious or fake copies it may have arrived with.</param>
public sealed record ProgramContextRow(InstalledProgram Program, ImmutableArray<string> Reasons, ImmutableArray<string> PossiblyArrivedWith)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> Reasons { get; init => field = value.OrEmpty(); } = Reasons.OrEmpty();
    public ImmutableArray<string> PossiblyArrivedWith { get; init => field = value.OrEmpty(); } = PossiblyArrivedWith.OrEmpty();

    /// <summary>
    /// <see cref="Reasons"/> as coded lines (<c>PROG-*</c>), in the same order. Empty in reports built without them.
    /// </summary>
    public ImmutableArray<ReportLine> ReasonLines { get; init => field = value.OrEmpty(); } = [];
}

/// <summary>A browser extension, with the suspicious or fake copies in the same user's profile.</summary>
/// <param name="PossiblyArrivedWith">
/// Normalised paths of suspicious or fake copies in the profile of the extension's user. The bundle records no
/// install time for extensions, so this link is by user profile only.
/// </param>
public sealed record ExtensionContextRow(BrowserExtension Extension, ImmutableArray<string> PossiblyArrivedWith)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> PossiblyArrivedWith { get; init => field = value.OrEmpty(); } = PossiblyArrivedWith.OrEmpty();
}
