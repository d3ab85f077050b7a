using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>One record of <c>programs.json</c>: an Uninstall key, as the suspect host's registry holds it.</summary>
/// <param name="InstallDateText">The registry's <c>InstallDate</c> exactly as collected (usually <c>yyyyMMdd</c>).</param>
/// <param name="InstallDate">
/// <paramref name="InstallDateText"/> read as a calendar date when it is <c>yyyyMMdd</c>, else null. The registry
/// keeps no time or zone: it is the host's local date of installation.
/// </param>
/// <param name="User">Owner of the HKU hive the key came from; null for machine-wide keys.</param>
public sealed record InstalledProgram(
    string? Name,
    string? Version,
    string? Publisher,
    string? InstallDateText,
    DateOnly? InstallDate,
    string? InstallLocation,
    string? UninstallString,
    string RegistryKey,
    string? User,
    EvidenceRef Source);
