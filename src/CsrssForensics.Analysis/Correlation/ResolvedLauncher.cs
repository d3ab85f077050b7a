using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.CommandLines;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// One launcher (a task action, Run value, service, IFEO debugger, WMI consumer, Startup item, Winlogon or AppInit
/// entry) with the command the host recorded, how it was unwrapped, the file it really starts, and what is odd about it.
/// </summary>
/// <param name="Kind">scheduled-task, run-key, run-once, policies-run, service, ifeo, wmi, startup-folder, winlogon, appinit, other.</param>
/// <param name="Name">Task path, value name, service name, IFEO image name, consumer or shortcut name.</param>
/// <param name="Location">Scheduler folder, registry key, folder or WMI namespace, as the host wrote it.</param>
/// <param name="Command">The command as recorded (task Exec command, Run value...); the CLSID for a COM handler.</param>
/// <param name="Arguments">Task Exec arguments (other launchers keep everything in <paramref name="Command"/>).</param>
/// <param name="Resolution">How the command was unwrapped (cmd /c, powershell, rundll32, wscript...), or null.</param>
/// <param name="Target">Normalised path of the file the launcher really starts, or null when it cannot be told.</param>
/// <param name="Findings">What is odd about this launcher (stable <c>LNC-*</c> codes, see <see cref="LauncherCodes"/>).</param>
public sealed record ResolvedLauncher(
    string Kind,
    string Name,
    string Location,
    string? Command,
    string? Arguments,
    ResolvedCommand? Resolution,
    string? Target,
    ImmutableArray<Finding> Findings,
    EvidenceRef Evidence)
{
    /// <summary>Other normalised paths the command names (script files, DLLs, decoded PowerShell paths), for linking.</summary>
    internal ImmutableArray<string> ReferencedPaths { get; init; } = [];

    /// <summary>For IFEO: the image file name whose start the debugger hijacks (<c>csrss.exe</c>).</summary>
    internal string? HijackedImageName { get; init; }

    /// <summary>The command and its arguments as one line, for display.</summary>
    public string? FullCommand =>
        string.IsNullOrEmpty(Arguments) ? Command : Command is null ? Arguments : Command + " " + Arguments;

    /// <summary>The short form the rules and the report use.</summary>
    public LauncherLink ToLink() => new(Kind, Name, Location, FullCommand, Target, Evidence);
}
