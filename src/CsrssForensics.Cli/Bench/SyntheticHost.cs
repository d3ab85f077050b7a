using System.Globalization;

namespace CsrssForensics.Cli.Bench;

/// <summary>A process row of the synthetic host.</summary>
internal sealed record ProcessSpec(int Pid, int ParentPid, string Name, string ImagePath, string CommandLine, int Session, string User, string CreatedUtc);

/// <summary>A scheduled task of the synthetic host.</summary>
internal sealed record TaskSpec(string BundlePath, string Uri, string Author, string Description, string UserId, string Command, string Arguments, bool AtLogon);

/// <summary>An autostart entry of the synthetic host.</summary>
internal sealed record AutorunSpec(string Kind, string Location, string Name, string Command, string? User);

/// <summary>
/// The made-up terminal server behind a scale bundle: every row is a pure function of its index, so parts can be
/// written one row at a time without holding the host in memory. Slot 0-3 of each 40-process session block are the
/// session's core processes; fakes take slot 10 of evenly spread sessions.
/// </summary>
internal sealed class SyntheticHost(ScaleSize size)
{
    public const string BootTimeUtc = "2026-11-20T06:00:00Z";
    public const string CsrssArguments = "csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16";
    public const string System32 = @"C:\Windows\System32\";
    public const int ProcessesPerSession = 40;
    private const int FakeSlot = 10;

    private static readonly (string Name, string Path)[] _applications =
    [
        ("chrome.exe", @"C:\Program Files\Google\Chrome\Application\chrome.exe"),
        ("msedge.exe", @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"),
        ("Teams.exe", @"C:\Users\{user}\AppData\Local\Microsoft\Teams\current\Teams.exe"),
        ("OUTLOOK.EXE", @"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE"),
        ("notepad.exe", System32 + "notepad.exe"),
        ("mspaint.exe", System32 + "mspaint.exe"),
        ("WINWORD.EXE", @"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE"),
        ("EXCEL.EXE", @"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE"),
        ("Acrobat.exe", @"C:\Program Files\Adobe\Acrobat DC\Acrobat\Acrobat.exe"),
        ("ctfmon.exe", System32 + "ctfmon.exe"),
        ("OneDrive.exe", @"C:\Users\{user}\AppData\Local\Microsoft\OneDrive\OneDrive.exe"),
        ("Code.exe", @"C:\Users\{user}\AppData\Local\Programs\Microsoft VS Code\Code.exe"),
        ("SecurityHealthSystray.exe", System32 + "SecurityHealthSystray.exe"),
        ("vendor", @"C:\Program Files\Vendor{vendor}\app{vendor}.exe"),
    ];

    private static readonly string[] _libraryNames =
    [
        "core.dll", "ui.dll", "net.dll", "crypt.dll", "update.exe", "helper.exe", "license.dll", "plugin.dll",
        "render.dll", "codec.dll", "sync.exe", "report.dll", "csrsshelper.dll", "crashpad.exe", "telemetry.dll", "i18n.dll",
    ];

    public ScaleSize Size { get; } = size;

    public static string UserName(int session) => "user" + session.ToString(CultureInfo.InvariantCulture);

    public static string UserOf(int session) => session == 0 ? @"NT AUTHORITY\SYSTEM" : @"CORP\" + UserName(session);

    /// <summary>True when session <paramref name="session"/> holds the fake numbered <paramref name="fake"/>.</summary>
    public bool IsFakeSession(int session, out int fake)
    {
        int userSessions = Size.Sessions - 1;
        int stride = Math.Max(1, userSessions / Size.Fakes);
        fake = (session - 1) / stride;
        return session >= 1 && (session - 1) % stride == 0 && fake < Size.Fakes;
    }

    /// <summary>The folder-and-name of fake <paramref name="fake"/>; every third is a look-alike name in Temp.</summary>
    public string FakePath(int fake)
    {
        int session = FakeSession(fake);
        return fake % 3 == 1
            ? $@"C:\Users\{UserName(session)}\AppData\Local\Temp\csrsss.exe"
            : $@"C:\Users\{UserName(session)}\AppData\Roaming\Microsoft\Crypto\csrss.exe";
    }

    public int FakeSession(int fake) => 1 + (fake * Math.Max(1, (Size.Sessions - 1) / Size.Fakes));

    public ProcessSpec Process(int index)
    {
        int session = Math.Min(index / ProcessesPerSession, Size.Sessions - 1);
        int slot = index - (session * ProcessesPerSession);
        int pid = 1000 + (index * 4);
        string user = UserOf(session);
        string created = Time(index);
        int smssChild = 900_000 + (session * 4);
        int explorer = 1000 + (((session * ProcessesPerSession) + 3) * 4);
        if (session == 0)
        {
            return slot switch
            {
                0 => new(4, 0, "System", string.Empty, string.Empty, 0, user, BootTimeUtc),
                1 => new(pid, 4, "smss.exe", @"\SystemRoot\System32\smss.exe", @"\SystemRoot\System32\smss.exe", 0, user, created),
                2 => Csrss(pid, smssChild, 0, user, created),
                3 => new(pid, smssChild, "wininit.exe", System32 + "wininit.exe", "wininit.exe", 0, user, created),
                4 => new(pid, 1000 + (3 * 4), "services.exe", System32 + "services.exe", System32 + "services.exe", 0, user, created),
                5 => new(pid, 1000 + (3 * 4), "lsass.exe", System32 + "lsass.exe", System32 + "lsass.exe", 0, user, created),
                _ => new(pid, 1000 + (4 * 4), "svchost.exe", System32 + "svchost.exe", $@"{System32}svchost.exe -k netsvcs -s Svc{slot}", 0, user, created),
            };
        }

        if (slot == FakeSlot && IsFakeSession(session, out int fake))
        {
            string path = FakePath(fake);
            return new(pid, explorer, Path.GetFileName(path.Replace('\\', '/')), path, $"\"{path}\" -s", session, user, created);
        }

        switch (slot)
        {
            case 0:
                return Csrss(pid, smssChild, session, @"NT AUTHORITY\SYSTEM", created);
            case 1:
                return new(pid, smssChild, "winlogon.exe", System32 + "winlogon.exe", "winlogon.exe", session, @"NT AUTHORITY\SYSTEM", created);
            case 2:
                return new(pid, pid - 4, "dwm.exe", System32 + "dwm.exe", "\"dwm.exe\"", session, $@"Window Manager\DWM-{session}", created);
            case 3:
                return new(pid, 800_000 + session, "explorer.exe", @"C:\Windows\explorer.exe", @"C:\Windows\Explorer.EXE", session, user, created);
            default:
                (string name, string image) = Application(index, session);
                return new(pid, explorer, name, image, $"\"{image}\" --session {session}", session, user, created);
        }
    }

    public static (string Name, string Path) Application(int index, int session)
    {
        (string name, string path) = _applications[index % _applications.Length];
        int vendor = index % 300;
        path = path.Replace("{user}", UserName(session), StringComparison.Ordinal).Replace("{vendor}", vendor.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return (name == "vendor" ? $"app{vendor}.exe" : name, path);
    }

    /// <summary>A files.csv row that no process names: a sibling in a vendor folder, names repeating across folders.</summary>
    public static string SiblingPath(int index) =>
        $@"C:\Program Files\Vendor{index % 500}\module{index / 500}\{_libraryNames[index % _libraryNames.Length]}";

    public TaskSpec Task(int index)
    {
        if (index < Size.Fakes)
        {
            int session = FakeSession(index);
            string name = "Maintenance" + index.ToString(CultureInfo.InvariantCulture);
            return new($"tasks/Microsoft/Windows/Maintenance/{name}.xml", $@"\Microsoft\Windows\Maintenance\{name}", "Microsoft Corporation",
                "Keeps the system tidy.", UserOf(session), System32 + "cmd.exe", $"/c start \"\" \"{FakePath(index)}\" -s", AtLogon: true);
        }

        int vendor = index % 300;
        string folder = "Vendor" + (index % 50).ToString(CultureInfo.InvariantCulture);
        string task = "Update" + index.ToString(CultureInfo.InvariantCulture);
        return new($"tasks/{folder}/{task}.xml", $@"\{folder}\{task}", $"Vendor{vendor} Ltd", "Keeps the application up to date.",
            "S-1-5-18", $@"C:\Program Files\Vendor{vendor}\app{vendor}.exe", "/update /quiet", AtLogon: index % 4 == 0);
    }

    public AutorunSpec Autorun(int index)
    {
        if (index < Size.Fakes)
        {
            int session = FakeSession(index);
            return new("RunKey", @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run", "Updater" + index.ToString(CultureInfo.InvariantCulture),
                $"\"{FakePath(index)}\" -q", UserOf(session));
        }

        int vendor = index % 300;
        return (index % 3) switch
        {
            0 => new("Service", $@"HKLM\SYSTEM\CurrentControlSet\Services\VendorSvc{index}", $"VendorSvc{index}",
                $"\"C:\\Program Files\\Vendor{vendor}\\svc{index}.exe\" -service", null),
            1 => new("RunKey", @"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run", $"Vendor{vendor}Tray{index}",
                $"\"C:\\Program Files\\Vendor{vendor}\\app{vendor}.exe\" /tray", null),
            _ => new("RunKey", @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run", $"OneDrive{index}",
                $"\"C:\\Users\\{UserName(1 + (index % (Size.Sessions - 1)))}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background",
                UserOf(1 + (index % (Size.Sessions - 1)))),
        };
    }

    private static ProcessSpec Csrss(int pid, int parent, int session, string user, string created) =>
        new(pid, parent, "csrss.exe", System32 + "csrss.exe", @"C:\Windows\system32\" + CsrssArguments, session, user, created);

    /// <summary>A start time after boot, spread by index (seconds), so sorting by time is stable and meaningful.</summary>
    public static string Time(int index) =>
        new DateTime(2026, 11, 20, 6, 0, 30, DateTimeKind.Utc).AddSeconds(index).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
