using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>
/// One record of <c>com.json</c>: the registration of a COM class id that a scheduled task's ComHandler action names,
/// as one hive holds it. A user hive's registration (<c>HKU\&lt;sid&gt;\Software\Classes\CLSID</c>) wins over the
/// machine's (<c>HKLM\SOFTWARE\Classes\CLSID</c>) for that user, which is how a COM hijack works.
/// </summary>
/// <param name="ClassId">The class id with braces, e.g. <c>{8C9C0DB7-2CBA-40F1-AFE0-C55740DD91A0}</c>.</param>
/// <param name="Hive"><c>HKLM</c> or <c>HKU</c>.</param>
/// <param name="User">Owner of the user hive (account name, else SID); null for HKLM.</param>
/// <param name="Key">The registry key the collector read.</param>
/// <param name="Name">The key's default value (display name of the class).</param>
/// <param name="InprocServer32">The DLL the class loads, as the registry holds it (may hold <c>%SystemRoot%</c>).</param>
/// <param name="ThreadingModel">ThreadingModel of the InprocServer32 subkey.</param>
/// <param name="LocalServer32">The EXE command line of an out-of-process server.</param>
/// <param name="TreatAs">The class id that stands in for this one (the TreatAs subkey).</param>
public sealed record ComRegistration(
    string ClassId,
    string Hive,
    string? User,
    string Key,
    string? Name,
    string? InprocServer32,
    string? ThreadingModel,
    string? LocalServer32,
    string? TreatAs,
    EvidenceRef Source)
{
    /// <summary>True for a registration in a user hive (HKU), which overrides the machine one for that user.</summary>
    public bool IsPerUser => string.Equals(Hive, "HKU", StringComparison.OrdinalIgnoreCase);
}
