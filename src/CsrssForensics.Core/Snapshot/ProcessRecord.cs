using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>One row of <c>processes.csv</c>, as the suspect host reported it. Strings are attacker-controlled.</summary>
public sealed record ProcessRecord(
    int Pid,
    int? ParentPid,
    string Name,
    string? ImagePath,
    string? CommandLine,
    DateTimeOffset? CreationTimeUtc,
    int? SessionId,
    string? User,
    double? CpuPercent,
    double? GpuPercent,
    long? WorkingSetBytes,
    EvidenceRef Source);
