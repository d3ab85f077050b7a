namespace CsrssForensics.Analysis.Correlation;

/// <summary>Stable finding codes for launchers. Reports and tests rely on them; never renumber.</summary>
public static class LauncherCodes
{
    /// <summary>A scheduled task starts a file in a user-writable folder (AppData, Temp, Downloads, ProgramData...); low when a task running as a user starts that user's own AppData (docs/user-writable.md).</summary>
    public const string TaskUserPath = "LNC-TASK-USERPATH";

    /// <summary>A task whose name sounds like a Windows component (Windows, Microsoft, Update, csrss...) starts a file in a user-writable folder; vendor words (Update, Microsoft...) do not count for a per-user task starting its own user's AppData.</summary>
    public const string TaskSystemNameUserPath = "LNC-TASK-SYSNAME-USERPATH";

    /// <summary>The task is marked Hidden in its XML.</summary>
    public const string TaskHidden = "LNC-TASK-HIDDEN";

    /// <summary>The task is disabled: it starts nothing now, but is still a launcher to remove with its target.</summary>
    public const string TaskDisabled = "LNC-TASK-DISABLED";

    /// <summary>A ComHandler action whose class id com.json does not resolve to a file (not collected, not registered), or whose server is a Windows host process.</summary>
    public const string TaskComHandler = "LNC-TASK-COMHANDLER";

    /// <summary>A task's COM class is registered per user to load another file than the machine registration (high), or loads a file from a user-writable folder (medium).</summary>
    public const string ComHijack = "LNC-COM-HIJACK";

    /// <summary>A task action that is neither Exec nor ComHandler (SendEmail, ShowMessage), or has no command.</summary>
    public const string TaskOtherAction = "LNC-TASK-OTHERACTION";

    /// <summary>A Run, RunOnce or Policies\Run value starts a file in a user-writable folder; low when a user hive's value starts that user's own AppData.</summary>
    public const string RunUserPath = "LNC-RUN-USERPATH";

    /// <summary>A service ImagePath lies in a user-writable folder.</summary>
    public const string ServiceUserPath = "LNC-SERVICE-USERPATH";

    /// <summary>A service ImagePath has spaces and no quotes: Windows tries each space-cut prefix as a program.</summary>
    public const string ServiceUnquotedPath = "LNC-SERVICE-UNQUOTED";

    /// <summary>An Image File Execution Options Debugger: the debugger starts instead of the image (high for core processes).</summary>
    public const string IfeoDebugger = "LNC-IFEO-DEBUGGER";

    /// <summary>A WMI event consumer that runs a command or script.</summary>
    public const string WmiConsumer = "LNC-WMI-CONSUMER";

    /// <summary>A Winlogon Shell or Userinit entry other than the Windows default.</summary>
    public const string WinlogonNonDefault = "LNC-WINLOGON-NONDEFAULT";

    /// <summary>An AppInit_DLLs entry: the DLL loads into every process that loads user32.</summary>
    public const string AppInitDll = "LNC-APPINIT-DLL";

    /// <summary>Any other launcher (Startup item, WMI, Winlogon, AppInit, IFEO, other) starts a file in a user-writable folder; low for an item in a user's own Startup folder starting that user's AppData.</summary>
    public const string OtherUserPath = "LNC-USERPATH";

    /// <summary>PowerShell started with -EncodedCommand (the script is hidden in base64).</summary>
    public const string EncodedPowerShell = "LNC-PS-ENCODED";

    /// <summary>The launcher starts a core-process name (csrss.exe, lsass.exe...) that Windows never starts this way, or from outside its folder.</summary>
    public const string CoreNameTarget = "LNC-TARGET-CORENAME";

    /// <summary>The target file is not in files.csv or the process list: it was not collected, so it cannot be checked.</summary>
    public const string TargetNotCollected = "LNC-TARGET-NOTCOLLECTED";

    /// <summary>The launcher runs remote content (mshta or regsvr32 scriptlet URL, a PowerShell script that downloads).</summary>
    public const string RemoteTarget = "LNC-TARGET-REMOTE";

    /// <summary>A path in the command has a folder or file name ending in a space or dot (<c>C:\Windows \System32</c>): a mock of a trusted folder.</summary>
    public const string MockFolder = "LNC-TARGET-MOCKFOLDER";

    /// <summary>The command could not be resolved to a file (empty, malformed, or a bare name with nothing to resolve it by).</summary>
    public const string TargetUnresolved = "LNC-TARGET-UNRESOLVED";

    /// <summary>The launcher runs a script that starts another program (one level followed): high when that program has a core-process name outside the Windows folder.</summary>
    public const string ScriptChain = "LNC-SCRIPT-CHAIN";

    /// <summary>Every launcher code with the variants the code asks for: checked against the rules data at load.</summary>
    public static IReadOnlyList<(string Code, IReadOnlyList<string> Variants)> Produced { get; } =
    [
        (TaskUserPath, [LauncherVariants.OwnAppData]),
        (TaskSystemNameUserPath, [LauncherVariants.HostReportsMicrosoft]),
        (TaskHidden, []),
        (TaskDisabled, []),
        (TaskComHandler, [LauncherVariants.ComNotCollected, LauncherVariants.WindowsHost]),
        (ComHijack, [LauncherVariants.UnnamedUser, LauncherVariants.UserWritable]),
        (TaskOtherAction, []),
        (RunUserPath, [LauncherVariants.OwnAppData]),
        (ServiceUserPath, []),
        (ServiceUnquotedPath, []),
        (IfeoDebugger, [LauncherVariants.CoreProcess]),
        (WmiConsumer, []),
        (WinlogonNonDefault, [LauncherVariants.Userinit]),
        (AppInitDll, []),
        (OtherUserPath, [LauncherVariants.OwnAppData]),
        (EncodedPowerShell, [LauncherVariants.StartsTarget]),
        (CoreNameTarget, [LauncherVariants.NeverLaunched]),
        (TargetNotCollected, [LauncherVariants.FilesNotCollected]),
        (RemoteTarget, []),
        (MockFolder, []),
        (TargetUnresolved, [LauncherVariants.WithNotes, LauncherVariants.ComNoServer, LauncherVariants.NoCommand]),
        (ScriptChain, [LauncherVariants.CoreNameOutside, LauncherVariants.OnSubject]),
    ];
}

/// <summary>
/// Names of the wording variants of launcher findings (the <c>variants</c> of a finding in the rules data): the code
/// picks the case, the data holds its severity and text.
/// </summary>
public static class LauncherVariants
{
    /// <summary>A per-user launcher starts a file in its own user's AppData (low).</summary>
    public const string OwnAppData = "ownAppData";

    /// <summary>The host reports a valid Microsoft signature for the target (medium instead of high).</summary>
    public const string HostReportsMicrosoft = "hostReportsMicrosoft";

    /// <summary>com.json is not in the bundle.</summary>
    public const string ComNotCollected = "comNotCollected";

    /// <summary>The COM server is a Windows host process (dllhost, svchost).</summary>
    public const string WindowsHost = "windowsHost";

    /// <summary>The per-user COM registration names no user.</summary>
    public const string UnnamedUser = "unnamedUser";

    /// <summary>A COM registration loads a file from a user-writable folder.</summary>
    public const string UserWritable = "userWritable";

    /// <summary>The IFEO debugger hijacks a core process.</summary>
    public const string CoreProcess = "coreProcess";

    /// <summary>Winlogon Userinit rather than Shell.</summary>
    public const string Userinit = "userinit";

    /// <summary>The decoded PowerShell script starts a known target.</summary>
    public const string StartsTarget = "startsTarget";

    /// <summary>A core-process name Windows alone starts.</summary>
    public const string NeverLaunched = "neverLaunched";

    /// <summary>files.csv is not in the bundle.</summary>
    public const string FilesNotCollected = "filesNotCollected";

    /// <summary>Command resolution left notes that say why it stopped.</summary>
    public const string WithNotes = "withNotes";

    /// <summary>A registered COM class names no server.</summary>
    public const string ComNoServer = "comNoServer";

    /// <summary>The autostart entry records no command.</summary>
    public const string NoCommand = "noCommand";

    /// <summary>The script starts a core-process name outside the Windows folder.</summary>
    public const string CoreNameOutside = "coreNameOutside";

    /// <summary>The chain as listed on the verdict of the program it starts.</summary>
    public const string OnSubject = "onSubject";
}
