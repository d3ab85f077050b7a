using System.Collections.Immutable;

namespace CsrssForensics.Rules;

/// <summary>Whether a core process normally has a living parent.</summary>
public enum LivingParentPolicy
{
    /// <summary>Its creator exits (csrss, wininit, winlogon): no living parent is normal; a living one must be allowed.</summary>
    None,

    /// <summary>A long-lived parent from the allowed list must be alive (services, lsass under wininit).</summary>
    Required,

    /// <summary>Either is normal; a living parent must be allowed when the list is not empty.</summary>
    Optional,
}

/// <summary>How many instances are normal.</summary>
public enum InstancePolicy
{
    /// <summary>One on the system.</summary>
    One,

    /// <summary>One per session (csrss, winlogon, dwm).</summary>
    OnePerSession,

    /// <summary>Any number (svchost, conhost, dllhost).</summary>
    Many,
}

/// <summary>Which sessions the process runs in.</summary>
public enum SessionPolicy
{
    /// <summary>Session 0 only.</summary>
    Zero,

    /// <summary>Interactive sessions (1 and up) only.</summary>
    NonZero,

    /// <summary>Any session.</summary>
    Any,
}

/// <summary>What the command line must look like.</summary>
public enum CommandLineShape
{
    /// <summary>Not checked.</summary>
    Any,

    /// <summary>Equal to the host's <c>Session Manager\SubSystems\Windows</c> value (csrss).</summary>
    SubSystemsWindows,

    /// <summary>Carries <c>-k &lt;group&gt;</c> (svchost).</summary>
    SvchostGroup,
}

/// <summary>One row of the core-process table in <c>rules.json</c>.</summary>
/// <param name="Name">The real file name, e.g. <c>csrss.exe</c> (<c>System</c> has no file).</param>
/// <param name="Tree">Id of the decision tree that judges it.</param>
/// <param name="Folders">Expected folders relative to <c>%SystemRoot%</c>; an empty string is the Windows folder itself.</param>
/// <param name="AllowedChildren">Child names that are normal; only checked when <paramref name="ChildrenChecked"/>.</param>
/// <param name="NormalLaunchers">Launcher kinds (<c>service</c>, <c>winlogon</c>...) that normally start it.</param>
/// <param name="LookAlike">Whether names close to this one are looked for.</param>
/// <param name="MaxSizeBytes">Size above which the file cannot be the real one, when known.</param>
public sealed record CoreProcessRule(
    string Name,
    string DisplayName,
    string Tree,
    ImmutableArray<string> Folders,
    LivingParentPolicy LivingParent,
    ImmutableArray<string> AllowedParents,
    InstancePolicy Instances,
    ImmutableArray<string> Accounts,
    SessionPolicy Session,
    CommandLineShape CommandLine,
    bool ChildrenChecked,
    ImmutableArray<string> AllowedChildren,
    ImmutableArray<string> NormalLaunchers,
    bool LookAlike,
    long? MaxSizeBytes,
    string Description,
    ImmutableArray<string> References)
{
    /// <summary>Windows marks it critical: ending it stops the system (bug check 0xEF or 0xC000021A).</summary>
    public bool Critical { get; init; }

    /// <summary>Only Windows itself starts it (smss, the kernel, wininit); no task, Run value, service or Startup item does.</summary>
    public bool StartedOnlyByWindows { get; init; }

    /// <summary>Image file names that stand for this row elsewhere (System's ntoskrnl.exe) when launchers are judged.</summary>
    public ImmutableArray<string> OtherImageNames { get; init; } = [];

    /// <summary>
    /// Finding codes this row reports in place of the tree's (tree code to own code), e.g. csrss.exe reports
    /// <c>CSR-CMDLINE-MISMATCH</c> where the tree says <c>CORE-CMDLINE-SHAPE</c>. Empty for most rows.
    /// </summary>
    public ImmutableSortedDictionary<string, string> OwnFindings { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The finding code this row reports for the tree's <paramref name="treeCode"/>.</summary>
    public string FindingCode(string treeCode) => OwnFindings.TryGetValue(treeCode, out var own) ? own : treeCode;

    /// <summary>The expected folders as full paths under <paramref name="systemRoot"/>.</summary>
    public ImmutableArray<string> ExpectedFolders(string systemRoot)
    {
        ArgumentNullException.ThrowIfNull(systemRoot);
        var root = systemRoot.TrimEnd('\\');
        return [.. Folders.Select(f => f.Length == 0 ? root : root + "\\" + f)];
    }
}
