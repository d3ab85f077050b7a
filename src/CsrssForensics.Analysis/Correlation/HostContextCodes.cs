namespace CsrssForensics.Analysis.Correlation;

/// <summary>Stable finding codes for host context (Defender, installed programs, browser extensions). Never renumber.</summary>
public static class HostContextCodes
{
    /// <summary>Defender on the host names this subject's file.</summary>
    public const string DefenderDetected = "CTX-DEFENDER-DETECTED";

    /// <summary>An installed program possibly arrived with this subject.</summary>
    public const string ProgramArrived = "CTX-PROGRAM-ARRIVED-WITH";

    /// <summary>A browser extension sits in the profile of the user this subject's file lives under.</summary>
    public const string ExtensionSameProfile = "CTX-EXTENSION-SAME-PROFILE";

    /// <summary>Defender real-time or tamper protection is off.</summary>
    public const string DefenceWeakened = "CTX-DEFENDER-WEAKENED";

    /// <summary>Every host-context code with the variants the code asks for: checked against the rules data at load.</summary>
    public static IReadOnlyList<(string Code, IReadOnlyList<string> Variants)> Produced { get; } =
    [
        (DefenderDetected, [HostContextVariants.Genuine, HostContextVariants.Process, HostContextVariants.ProcessGenuine]),
        (ProgramArrived, []),
        (ExtensionSameProfile, []),
        (DefenceWeakened, [HostContextVariants.RealTimeOff, HostContextVariants.TamperOff]),
    ];
}

/// <summary>Names of the wording variants of host-context findings (the <c>variants</c> of a finding in the rules data).</summary>
public static class HostContextVariants
{
    /// <summary>The detection names the genuine Microsoft-signed file: the verdict stands.</summary>
    public const string Genuine = "genuine";

    /// <summary>The file is named as the process that touched the threat.</summary>
    public const string Process = "process";

    /// <summary>Both: named as the process, and the file is the genuine one.</summary>
    public const string ProcessGenuine = "processGenuine";

    /// <summary>Only real-time protection is off.</summary>
    public const string RealTimeOff = "realTimeOff";

    /// <summary>Only tamper protection is off.</summary>
    public const string TamperOff = "tamperOff";
}
