using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>
/// <c>defender.json</c>: what Microsoft Defender on the suspect host says about itself. Secondary evidence, like the
/// host's own signature status: a compromised host can lie, so it corroborates and never decides a verdict.
/// </summary>
/// <param name="Status">Null when the file has no (usable) <c>status</c> object.</param>
public sealed record DefenderState(DefenderStatus? Status, ImmutableArray<DefenderDetection> Detections)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<DefenderDetection> Detections { get; init => field = value.OrEmpty(); } = Detections.OrEmpty();
}

/// <summary>The <c>Get-MpComputerStatus</c> fields the collector keeps; null = not reported.</summary>
public sealed record DefenderStatus(
    bool? AmServiceEnabled,
    bool? AntivirusEnabled,
    bool? RealTimeProtectionEnabled,
    bool? IsTamperProtected,
    string? AmRunningMode,
    string? AmProductVersion,
    string? AntivirusSignatureVersion,
    DateTimeOffset? AntivirusSignatureUpdatedUtc,
    DateTimeOffset? QuickScanEndUtc,
    DateTimeOffset? FullScanEndUtc,
    EvidenceRef Source);

/// <summary>One <c>Get-MpThreatDetection</c> record.</summary>
/// <param name="ProcessName">The process that touched the threat, usually a full path.</param>
/// <param name="Resources">What Defender flagged, in its own notation (<c>file:_C:\x\y.exe</c>, <c>regkey:_HKLM\...</c>, <c>process:_pid:4,ProcessStart:...</c>).</param>
/// <param name="ActionSuccess">Whether Defender's remediation succeeded; null = not reported.</param>
public sealed record DefenderDetection(
    string? DetectionId,
    string? ThreatId,
    string? ThreatName,
    string? ProcessName,
    string? User,
    ImmutableArray<string> Resources,
    DateTimeOffset? InitialDetectionUtc,
    DateTimeOffset? RemediationUtc,
    string? ThreatStatusId,
    bool? ActionSuccess,
    EvidenceRef Source)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> Resources { get; init => field = value.OrEmpty(); } = Resources.OrEmpty();
    public DateTimeOffset? InitialDetectionUtc { get; init; } = InitialDetectionUtc;
    public DateTimeOffset? RemediationUtc { get; init; } = RemediationUtc;
    public string? ThreatStatusId { get; init; } = ThreatStatusId;
    public bool? ActionSuccess { get; init; } = ActionSuccess;
    public EvidenceRef Source { get; init; } = Source;
}
