namespace CsrssForensics.Rules.Locations;

/// <summary>Which kind of user-writable location a path lies in (see <see cref="UserWritableFolders.Classify(string?)"/>).</summary>
public enum WritableLocation
{
    /// <summary>Not a known user-writable location.</summary>
    None,

    /// <summary><c>Users\&lt;u&gt;\AppData\{Roaming,Local,LocalLow}</c> (Temp and Startup are reported separately).</summary>
    AppData,

    /// <summary>A user temp folder (<c>AppData\Local\Temp</c>, <c>%TEMP%</c>, <c>%TMP%</c>).</summary>
    Temp,

    /// <summary><c>Users\&lt;u&gt;\Downloads</c>.</summary>
    Downloads,

    /// <summary><c>Users\&lt;u&gt;\Desktop</c>.</summary>
    Desktop,

    /// <summary>A Start Menu <c>Programs\Startup</c> folder, per user or for all users.</summary>
    Startup,

    /// <summary><c>ProgramData</c> and its sub-folders, except those a Windows component restricts (<see cref="DefaultAcl.RestrictedUnderProgramData"/>).</summary>
    ProgramData,

    /// <summary><c>Users\Public</c>.</summary>
    UsersPublic,

    /// <summary><c>Windows\Temp</c>.</summary>
    WindowsTemp,

    /// <summary><c>$Recycle.Bin</c>.</summary>
    RecycleBin,

    /// <summary><c>PerfLogs</c> (writable by authenticated users).</summary>
    PerfLogs,

    /// <summary>A folder under the Windows folder that standard users may write to (<see cref="DefaultAcl.WritableUnderWindows"/>).</summary>
    WindowsWritable,
}
