namespace CsrssForensics.Core.Verdicts;

/// <summary>
/// How far a verdict can be trusted: what its signature answer (the fact that separates the genuine component from a
/// copy) rests on. Ordered weakest first, so the default of an uninitialised record is the weakest claim.
/// </summary>
public enum EvidenceStrength
{
    /// <summary>Nothing usable: no copy and no host answer, or the copy failed its integrity check or could not be read.</summary>
    None,

    /// <summary>Only the suspect host's word (its own Get-AuthenticodeSignature); a compromised host can lie.</summary>
    HostReported,

    /// <summary>The bundle's copy of the bytes was verified here, offline, against the pinned roots.</summary>
    VerifiedOffline,
}
