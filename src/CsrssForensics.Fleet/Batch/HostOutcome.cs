using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Fleet.Batch;

/// <summary>How one bundle of a batch ended, worst first when sorted by <see cref="HostStatuses.Rank"/>.</summary>
public enum HostStatus
{
    /// <summary>At least one evidence-backed fake.</summary>
    Compromised,

    /// <summary>The bundle could not be opened or analysed; the rest of the batch went on.</summary>
    Unreadable,

    /// <summary>Something needs a human.</summary>
    Suspicious,

    /// <summary>Nothing wrong found, but not everything verified offline.</summary>
    Inconclusive,

    /// <summary>Every core process verified offline as genuine.</summary>
    Clean,
}

/// <summary>Names and order of <see cref="HostStatus"/>.</summary>
public static class HostStatuses
{
    /// <summary>0 is the worst: a proven fake asks most of the responder, then a host we could not examine at all.</summary>
    public static int Rank(HostStatus status) => (int)status;

    /// <summary>The lower-case word reports use.</summary>
    public static string Word(HostStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The batch status of one analysed bundle.</summary>
    public static HostStatus From(OverallStatus status) => status switch
    {
        OverallStatus.Compromised => HostStatus.Compromised,
        OverallStatus.Suspicious => HostStatus.Suspicious,
        OverallStatus.Inconclusive => HostStatus.Inconclusive,
        _ => HostStatus.Clean,
    };
}

/// <summary>One row of the fleet summary: everything it says about one bundle.</summary>
/// <param name="InputName">File or folder name of the bundle as given (no parent folders: those are the analyst's, not evidence).</param>
/// <param name="BundleId">The bundle's identity in the case database (see <see cref="BundleIdentity"/>).</param>
/// <param name="Error">Why the bundle could not be analysed; null when it was.</param>
public sealed record HostRow(
    int InputIndex,
    string InputName,
    string? HostName,
    DateTimeOffset? CollectedAtUtc,
    HostStatus Status,
    string Integrity,
    int VerifiedOffline,
    int HostReported,
    int NoEvidence,
    int Fakes,
    int Suspicious,
    int Verdicts,
    string BundleId,
    string? Error)
{
    /// <summary>The host's report folder below the batch output's <c>hosts/</c>; null for an unreadable bundle.</summary>
    public string? ReportFolder { get; init; }
}

/// <summary>One analysed bundle on its way to the case database and the summary (held only until it is stored).</summary>
public sealed record HostOutcome(HostRow Row, BundleSnapshot? Snapshot, AnalysisReport? Report, BundleIdentity Identity, IReadOnlyList<StackValue> Stack)
{
    /// <summary>Where the worker wrote the host's reports before the final name was given.</summary>
    public string? StagingFolder { get; init; }
}

/// <summary>A value stacked across hosts: its category and its text.</summary>
public sealed record StackValue(string Category, string Value);
