namespace CsrssForensics.Analysis.Tests.Fleet;

/// <summary>One attack injected into an otherwise ordinary fleet host: the negative control of the clean fleet.</summary>
internal enum FleetAttack
{
    /// <summary>An unsigned csrss.exe in the user's AppData, running and started by the user's Run key.</summary>
    AppDataCsrssRunKey,

    /// <summary>An unsigned svch0st.exe in a ProgramData vendor-looking folder, running as a service.</summary>
    ProgramDataSvch0stService,

    /// <summary>A process named lsass.exe with a Cyrillic dze (U+0455) for the s, unsigned, in Windows\Temp.</summary>
    CyrillicLsass,

    /// <summary>An unsigned dvvm.exe ("vv" for "w": a short-name look-alike of dwm.exe) in AppData, from a Run key.</summary>
    ShortNameDwmRunKey,

    /// <summary>A Startup shortcut runs cmd /c run.bat (not copied); the living cmd.exe parents an unsigned csrss.exe.</summary>
    StartupScriptChain,
}

/// <summary>Adds a <see cref="FleetAttack"/> to a generated host.</summary>
internal static class FleetAttacks
{
    public static readonly FleetAttack[] All = Enum.GetValues<FleetAttack>();

    public static void Inject(FleetBundle host, FleetAttack attack)
    {
        host.Notes.Add("attack " + attack);
        const int Pid = 9996;
        switch (attack)
        {
            case FleetAttack.AppDataCsrssRunKey:
                var csrss = @"C:\Users\mallory\AppData\Roaming\Microsoft\Crypto\csrss.exe";
                host.Process(Pid, 8888, "csrss.exe", csrss, "\"" + csrss + "\" -q", 1, @"CORP\mallory", 30);
                host.File(csrss, "process-image", null);
                host.Autorun("RunKey", @"HKU\S-1-5-21-1004336348-1177238915-682003330-1099\Software\Microsoft\Windows\CurrentVersion\Run",
                    "Windows Crypto", "\"" + csrss + "\" -q", @"CORP\mallory");
                break;
            case FleetAttack.ProgramDataSvch0stService:
                var svchost = @"C:\ProgramData\IntelGraphics\svch0st.exe";
                host.Process(Pid, null, "svch0st.exe", svchost, svchost + " -k netsvcs", 0, @"NT AUTHORITY\SYSTEM", 30);
                host.File(svchost, "process-image", null);
                host.Autorun("Service", @"HKLM\SYSTEM\CurrentControlSet\Services\IntelGfxHelper", "IntelGfxHelper", svchost + " -k netsvcs", "LocalSystem");
                break;
            case FleetAttack.CyrillicLsass:
                var lsass = "C:\\Windows\\Temp\\l\u0455ass.exe";
                host.Process(Pid, null, "l\u0455ass.exe", lsass, lsass, 0, @"NT AUTHORITY\SYSTEM", 30);
                host.File(lsass, "process-image", null);
                break;
            case FleetAttack.ShortNameDwmRunKey:
                var dwm = @"C:\Users\mallory\AppData\Local\Microsoft\dvvm.exe";
                host.Process(Pid, 8888, "dvvm.exe", dwm, "\"" + dwm + "\"", 1, @"CORP\mallory", 30);
                host.File(dwm, "process-image;name-match", null);
                host.Autorun("RunKey", @"HKU\S-1-5-21-1004336348-1177238915-682003330-1099\Software\Microsoft\Windows\CurrentVersion\Run",
                    "Desktop Window Manager", "\"" + dwm + "\"", @"CORP\mallory");
                break;
            case FleetAttack.StartupScriptChain:
                var folder = @"C:\Users\mallory\AppData\Roaming\Microsoft\Network\";
                var command = @"C:\Windows\System32\cmd.exe /c """ + folder + @"run.bat""";
                host.Process(Pid - 1, 8888, "cmd.exe", @"C:\Windows\System32\cmd.exe", command, 1, @"CORP\mallory", 0);
                host.Process(Pid, Pid - 1, "csrss.exe", folder + "csrss.exe", "\"" + folder + "csrss.exe\"", 1, @"CORP\mallory", 30);
                host.File(folder + "csrss.exe", "process-image", null);
                host.File(folder + "run.bat", "autorun-target", null);
                host.Autorun("StartupFolder", @"C:\Users\mallory\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup",
                    "Network.lnk", command, @"CORP\mallory");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(attack), attack, null);
        }
    }
}
