using System.Globalization;

namespace CsrssForensics.Analysis.Tests.Fleet;

/// <summary>
/// Generates ordinary Windows 10, 11 and Server 2022 hosts: the processes every Windows host runs (per session where
/// Windows makes one per session), Microsoft Defender running from its platform folder under ProgramData, and the
/// usual third-party and per-user software with the tasks, Run values and services they install. Seeded: the same
/// seed gives the same fleet on every machine.
/// </summary>
internal static class FleetHosts
{
    public const string SubSystems = @"%SystemRoot%\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,20480,768 "
        + "Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 "
        + "ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16";

    private const string S32 = @"C:\Windows\System32\";
    private const string SystemAccount = @"NT AUTHORITY\SYSTEM";
    private const string Zoom = "CN=\"Zoom Video Communications, Inc.\", O=\"Zoom Video Communications, Inc.\", L=San Jose, S=California, C=US";
    private const string Google = "CN=Google LLC, O=Google LLC, L=Mountain View, S=California, C=US";
    private const string Mozilla = "CN=Mozilla Corporation, O=Mozilla Corporation, L=San Francisco, S=California, C=US";
    private const string VsCode = "CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US";
    private const string Slack = "CN=\"Slack Technologies, LLC\", O=\"Slack Technologies, LLC\", L=San Francisco, S=California, C=US";

    private static readonly string[] _users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
    private static readonly string[] _defenderVersions = ["4.18.24090.11-0", "4.18.24080.9-0", "4.18.23110.3-0", "4.18.24070.5-0"];
    private static readonly (string Name, string Build)[] _systems =
    [
        ("Microsoft Windows 10 Pro", "10.0.19045"),
        ("Microsoft Windows 11 Pro", "10.0.22631"),
        ("Microsoft Windows 11 Enterprise", "10.0.26100"),
        ("Microsoft Windows Server 2022 Standard", "10.0.20348"),
    ];

    /// <summary>The <paramref name="count"/> hosts of the fleet made from <paramref name="seed"/>.</summary>
    public static List<FleetBundle> Generate(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => Host(random, i))];
    }

    private static FleetBundle Host(Random random, int index)
    {
        var (osName, build) = _systems[random.Next(_systems.Length)];
        var server = osName.Contains("Server", StringComparison.Ordinal);
        var host = new FleetBundle((server ? "SRV-" : "WS-") + index.ToString("D3", CultureInfo.InvariantCulture), osName, build);
        host.Notes.Add(osName);
        var pids = new PidSource(random);
        var defender = _defenderVersions[random.Next(_defenderVersions.Length)];
        var sessionCount = server ? 1 + random.Next(3) : 1 + (random.Next(4) == 0 ? 1 : 0);
        var users = _users.OrderBy(_ => random.Next()).Take(sessionCount).ToList();

        var session0 = BootProcesses(host, pids, random);
        ServiceProcesses(host, pids, session0.Services, defender, server, random);
        host.Session(0, null);
        for (var s = 0; s < users.Count; s++)
        {
            host.Session(s + 1, @"CORP\" + users[s]);
            UserSession(host, pids, s + 1, users[s], session0.Svchost, server, random);
        }

        WindowsAutostarts(host, defender, server);
        return host;
    }

    private sealed class PidSource(Random random)
    {
        private int _next = 600;

        public int Next() => _next += 4 * (1 + random.Next(40));
    }

    private sealed record Session0(int Services, int Svchost);

    private static Session0 BootProcesses(FleetBundle host, PidSource pids, Random random)
    {
        host.Process(4, 0, "System", null, null, 0, SystemAccount, 0);
        host.Process(pids.Next(), 4, "Registry", null, null, 0, SystemAccount, 0);
        var smss = pids.Next();
        host.Process(smss, 4, "smss.exe", @"\SystemRoot\System32\smss.exe", @"\SystemRoot\System32\smss.exe", 0, SystemAccount);
        MicrosoftFile(host, S32 + "smss.exe");
        var gone = pids.Next();
        host.Process(pids.Next(), gone, "csrss.exe", S32 + "csrss.exe", SubSystems.Replace("%SystemRoot%", @"C:\Windows", StringComparison.Ordinal), 0, SystemAccount);
        MicrosoftFile(host, S32 + "csrss.exe");
        var wininit = pids.Next();
        host.Process(wininit, gone, "wininit.exe", S32 + "wininit.exe", "wininit.exe", 0, SystemAccount);
        MicrosoftFile(host, S32 + "wininit.exe");
        var services = pids.Next();
        host.Process(services, wininit, "services.exe", S32 + "services.exe", S32 + "services.exe", 0, SystemAccount);
        MicrosoftFile(host, S32 + "services.exe");
        host.Process(pids.Next(), wininit, "lsass.exe", S32 + "lsass.exe", S32 + "lsass.exe", 0, SystemAccount);
        MicrosoftFile(host, S32 + "lsass.exe");
        host.Process(pids.Next(), wininit, "fontdrvhost.exe", S32 + "fontdrvhost.exe", "\"fontdrvhost.exe\"", 0, @"Font Driver Host\UMFD-0");
        MicrosoftFile(host, S32 + "fontdrvhost.exe");

        var svchost = 0;
        string[] groups = ["DcomLaunch -p", "RPCSS -p", "LocalServiceNetworkRestricted -p", "netsvcs -p", "LocalSystemNetworkRestricted -p",
            "NetworkService -p", "LocalService -p", "UnistackSvcGroup", "wsappx -p", "utcsvc -p"];
        foreach (var group in groups.Where((_, i) => i < 4 || random.Next(3) > 0))
        {
            var pid = pids.Next();
            svchost = svchost == 0 ? pid : svchost;
            var account = group.StartsWith("Network", StringComparison.Ordinal) || group.StartsWith("RPCSS", StringComparison.Ordinal)
                ? @"NT AUTHORITY\NETWORK SERVICE"
                : group.StartsWith("LocalService", StringComparison.Ordinal) ? @"NT AUTHORITY\LOCAL SERVICE" : SystemAccount;
            host.Process(pid, services, "svchost.exe", S32 + "svchost.exe", S32 + "svchost.exe -k " + group, 0, account);
        }

        MicrosoftFile(host, S32 + "svchost.exe");
        host.Process(pids.Next(), services, "spoolsv.exe", S32 + "spoolsv.exe", S32 + "spoolsv.exe", 0, SystemAccount);
        MicrosoftFile(host, S32 + "spoolsv.exe");
        host.Process(pids.Next(), svchost, "WmiPrvSE.exe", S32 + @"wbem\WmiPrvSE.exe", S32 + @"wbem\wmiprvse.exe -secured -Embedding", 0, @"NT AUTHORITY\NETWORK SERVICE");
        MicrosoftFile(host, S32 + @"wbem\WmiPrvSE.exe");
        host.Process(pids.Next(), svchost, "dllhost.exe", S32 + "dllhost.exe", S32 + "dllhost.exe /Processid:{02D4B3F1-FD88-11D1-960D-00805FC79235}", 0, SystemAccount);
        MicrosoftFile(host, S32 + "dllhost.exe");
        return new Session0(services, svchost);
    }

    private static void ServiceProcesses(FleetBundle host, PidSource pids, int services, string defender, bool server, Random random)
    {
        // Defender runs from its platform folder once the platform has updated itself (every supported Windows).
        var platform = @"C:\ProgramData\Microsoft\Windows Defender\Platform\" + defender + @"\";
        Service(host, pids, services, "MsMpEng.exe", platform + "MsMpEng.exe", FleetBundle.MicrosoftPublisher);
        Service(host, pids, services, "NisSrv.exe", platform + "NisSrv.exe", FleetBundle.MicrosoftPublisher);
        Service(host, pids, services, "MpDefenderCoreService.exe", platform + "MpDefenderCoreService.exe", FleetBundle.MicrosoftPublisher);
        Service(host, pids, services, "SecurityHealthService.exe", S32 + "SecurityHealthService.exe", FleetBundle.MicrosoftSigner);
        host.File(platform + "MpCmdRun.exe", "task-target", FleetBundle.MicrosoftPublisher);
        if (random.Next(3) > 0)
        {
            Service(host, pids, services, "MicrosoftEdgeUpdate.exe", @"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe", FleetBundle.MicrosoftPublisher, " /svc");
        }

        if (!server && random.Next(2) == 0)
        {
            var updater = @"C:\Program Files (x86)\Google\GoogleUpdater\130.0.6723.0\updater.exe";
            Service(host, pids, services, "updater.exe", updater, Google, " --system --windows-service --service=update");
        }
    }

    private static void Service(FleetBundle host, PidSource pids, int services, string name, string image, string signer, string arguments = "")
    {
        host.Process(pids.Next(), services, name, image, "\"" + image + "\"" + arguments, 0, SystemAccount);
        host.File(image, "process-image", signer);
    }

    private static void UserSession(FleetBundle host, PidSource pids, int session, string user, int svchost, bool server, Random random)
    {
        var account = @"CORP\" + user;
        var gone = pids.Next();
        host.Process(pids.Next(), gone, "csrss.exe", S32 + "csrss.exe", SubSystems.Replace("%SystemRoot%", @"C:\Windows", StringComparison.Ordinal), session, SystemAccount);
        var winlogon = pids.Next();
        host.Process(winlogon, gone, "winlogon.exe", S32 + "winlogon.exe", "winlogon.exe", session, SystemAccount);
        MicrosoftFile(host, S32 + "winlogon.exe");
        var number = session.ToString(CultureInfo.InvariantCulture);
        host.Process(pids.Next(), winlogon, "fontdrvhost.exe", S32 + "fontdrvhost.exe", "\"fontdrvhost.exe\"", session, @"Font Driver Host\UMFD-" + number);
        host.Process(pids.Next(), winlogon, "dwm.exe", S32 + "dwm.exe", "\"dwm.exe\"", session, @"Window Manager\DWM-" + number);
        MicrosoftFile(host, S32 + "dwm.exe");
        host.Process(pids.Next(), svchost, "sihost.exe", S32 + "sihost.exe", "sihost.exe", session, account);
        MicrosoftFile(host, S32 + "sihost.exe");
        host.Process(pids.Next(), svchost, "taskhostw.exe", S32 + "taskhostw.exe", "taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}", session, account);
        MicrosoftFile(host, S32 + "taskhostw.exe");
        var explorer = pids.Next();
        host.Process(explorer, pids.Next(), "explorer.exe", @"C:\Windows\explorer.exe", @"C:\Windows\Explorer.EXE", session, account, 2);
        MicrosoftFile(host, @"C:\Windows\explorer.exe");
        host.Process(pids.Next(), svchost, "RuntimeBroker.exe", S32 + "RuntimeBroker.exe", S32 + "RuntimeBroker.exe -Embedding", session, account);
        MicrosoftFile(host, S32 + "RuntimeBroker.exe");
        host.Process(pids.Next(), explorer, "SecurityHealthSystray.exe", S32 + "SecurityHealthSystray.exe", "\"" + S32 + "SecurityHealthSystray.exe\"", session, account);
        MicrosoftFile(host, S32 + "SecurityHealthSystray.exe");
        var shell = pids.Next();
        host.Process(shell, explorer, "powershell.exe", S32 + @"WindowsPowerShell\v1.0\powershell.exe", "\"" + S32 + @"WindowsPowerShell\v1.0\powershell.exe" + "\"", session, account);
        host.Process(pids.Next(), shell, "conhost.exe", S32 + "conhost.exe", @"\??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1", session, account);
        MicrosoftFile(host, S32 + "conhost.exe");
        if (!server)
        {
            UserApps(host, pids, session, user, explorer, random);
        }
    }

    private static void UserApps(FleetBundle host, PidSource pids, int session, string user, int explorer, Random random)
    {
        var account = @"CORP\" + user;
        var profile = @"C:\Users\" + user;
        var local = profile + @"\AppData\Local";
        var roaming = profile + @"\AppData\Roaming";
        var sid = "S-1-5-21-1004336348-1177238915-682003330-" + (1001 + Array.IndexOf(_users, user)).ToString(CultureInfo.InvariantCulture);
        var userRun = @"HKU\" + sid + @"\Software\Microsoft\Windows\CurrentVersion\Run";

        // OneDrive, per user: the Run value, the standalone updater task named after the user's SID, the process.
        var oneDrive = local + @"\Microsoft\OneDrive\OneDrive.exe";
        App(host, pids, explorer, session, account, "OneDrive.exe", oneDrive, " /background", FleetBundle.MicrosoftPublisher);
        host.Autorun("RunKey", userRun, "OneDrive", "\"" + oneDrive + "\" /background", account);
        host.File(oneDrive, "autorun-target", FleetBundle.MicrosoftPublisher);
        var updater = local + @"\Microsoft\OneDrive\OneDriveStandaloneUpdater.exe";
        host.Task(@"\OneDrive Standalone Update Task-" + sid, "%localappdata%\\Microsoft\\OneDrive\\OneDriveStandaloneUpdater.exe", null, sid);
        host.File(updater, "task-target", FleetBundle.MicrosoftPublisher);
        host.Notes.Add("OneDrive(" + user + ")");

        if (random.Next(2) == 0)
        {
            // New Teams (MSIX, Program Files\WindowsApps) and, on some, classic Teams' Squirrel updater in the Run key.
            var teams = @"C:\Program Files\WindowsApps\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\ms-teams.exe";
            App(host, pids, explorer, session, account, "ms-teams.exe", teams, " msteams:system-initiated", FleetBundle.MicrosoftPublisher);
            if (random.Next(2) == 0)
            {
                var squirrel = local + @"\Microsoft\Teams\Update.exe";
                host.Autorun("RunKey", userRun, "com.squirrel.Teams.Teams", "\"" + squirrel + "\" --processStart \"Teams.exe\" --process-start-args \"--system-initiated\"", account);
                host.File(squirrel, "autorun-target", FleetBundle.MicrosoftPublisher);
            }

            host.Notes.Add("Teams(" + user + ")");
        }

        var webView = @"C:\Program Files (x86)\Microsoft\EdgeWebView\Application\130.0.2849.80\msedgewebview2.exe";
        App(host, pids, explorer, session, account, "msedgewebview2.exe", webView, " --embedded-browser-webview=1", FleetBundle.MicrosoftPublisher);

        if (random.Next(3) > 0)
        {
            // Zoom installs per user under %APPDATA%; its CptHost.exe sits two edits from conhost.exe.
            var bin = roaming + @"\Zoom\bin\";
            var zoom = App(host, pids, explorer, session, account, "Zoom.exe", bin + "Zoom.exe", " --action=preprocess", Zoom);
            App(host, pids, zoom, session, account, "CptHost.exe", bin + "CptHost.exe", " -parentpid " + zoom.ToString(CultureInfo.InvariantCulture), Zoom);
            host.File(bin + "Installer.exe", "sibling", Zoom);
            host.Autorun("RunKey", userRun, "ZoomAutoStart", "\"" + bin + "Zoom.exe\" --autostart", account);
            host.Notes.Add("Zoom(" + user + ")");
        }

        if (random.Next(4) == 0)
        {
            // Chrome installed per user (no admin rights): its updater task runs as the user's SID from a literal path.
            var userChrome = local + @"\Google\Chrome\Application\chrome.exe";
            App(host, pids, explorer, session, account, "chrome.exe", userChrome, string.Empty, Google);
            var userUpdate = local + @"\Google\Update\GoogleUpdate.exe";
            host.Task(@"\GoogleUpdateTaskUser" + sid + "Core{5C1C2A3B-6D7E-4F80-9A1B-2C3D4E5F6A7B}", userUpdate, "/c", sid);
            host.File(userUpdate, "task-target", Google);
            host.Notes.Add("per-user Chrome(" + user + ")");
        }
        else if (random.Next(2) == 0)
        {
            var chrome = @"C:\Program Files\Google\Chrome\Application\chrome.exe";
            App(host, pids, explorer, session, account, "chrome.exe", chrome, string.Empty, Google);
            var updater2 = @"C:\Program Files (x86)\Google\GoogleUpdater\130.0.6723.0\updater.exe";
            host.Task(@"\GoogleUpdater\GoogleUpdaterTaskSystem130.0.6723.0{8A3D52F1-6C0E-4B7A-9D21-3F5E7C9A1B42}", updater2, "--wake --system", "S-1-5-18");
            host.File(updater2, "task-target", Google);
        }
        else
        {
            var firefox = @"C:\Program Files\Mozilla Firefox\firefox.exe";
            App(host, pids, explorer, session, account, "firefox.exe", firefox, string.Empty, Mozilla);
            var agent = @"C:\Program Files\Mozilla Firefox\default-browser-agent.exe";
            host.Task(@"\Mozilla\Firefox Default Browser Agent 308046B0AF4A39CB", agent, "do-task \"308046B0AF4A39CB\"", sid);
            host.File(agent, "task-target", Mozilla);
        }

        if (random.Next(2) == 0)
        {
            // Per-user installs under %LOCALAPPDATA%\Programs and their own folder.
            App(host, pids, explorer, session, account, "Code.exe", local + @"\Programs\Microsoft VS Code\Code.exe", string.Empty, VsCode);
            var slack = local + @"\slack\slack.exe";
            App(host, pids, explorer, session, account, "slack.exe", slack, " --process-start-args --startup", Slack);
            host.Autorun("RunKey", userRun, "com.squirrel.slack.slack", "\"" + local + "\\slack\\slack.exe\" --process-start-args --startup", account);
            var notes = local + @"\Programs\Joplin\Joplin.exe";
            host.Autorun("StartupFolder", roaming + @"\Microsoft\Windows\Start Menu\Programs\Startup", "Joplin.lnk", "\"" + notes + "\" --hidden", null);
            host.File(notes, "autorun-target", "CN=Laurent Cozic, O=Laurent Cozic, C=GB");
            host.Notes.Add("per-user installs(" + user + ")");
        }
    }

    private static int App(FleetBundle host, PidSource pids, int parent, int session, string account, string name, string image, string arguments, string signer)
    {
        var pid = pids.Next();
        host.Process(pid, parent, name, image, "\"" + image + "\"" + arguments, session, account, 3);
        host.File(image, "process-image", signer);
        return pid;
    }

    private static void WindowsAutostarts(FleetBundle host, string defender, bool server)
    {
        const string Services = @"HKLM\SYSTEM\CurrentControlSet\Services\";
        var platform = @"C:\ProgramData\Microsoft\Windows Defender\Platform\" + defender + @"\";
        host.Autorun("RunKey", @"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run", "SecurityHealth", @"%windir%\system32\SecurityHealthSystray.exe", null);
        host.Autorun("WinlogonShell", @"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon", "Shell", "explorer.exe", null);
        host.Autorun("WinlogonUserinit", @"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon", "Userinit", @"C:\Windows\system32\userinit.exe,", null);
        host.Autorun("Service", Services + "WinDefend", "WinDefend", "\"" + platform + "MsMpEng.exe\"", "LocalSystem");
        host.Autorun("Service", Services + "WdNisSvc", "WdNisSvc", "\"" + platform + "NisSrv.exe\"", @"NT AUTHORITY\LocalService");
        host.Autorun("Service", Services + "MDCoreSvc", "MDCoreSvc", "\"" + platform + "MpDefenderCoreService.exe\"", "LocalSystem");
        host.Autorun("Service", Services + "Schedule", "Schedule", @"%systemroot%\system32\svchost.exe -k netsvcs -p", "LocalSystem");
        host.Autorun("Service", Services + "Spooler", "Spooler", @"%SystemRoot%\System32\spoolsv.exe", "LocalSystem");
        host.Autorun("Service", Services + "SecurityHealthService", "SecurityHealthService", @"%SystemRoot%\system32\SecurityHealthService.exe", "LocalSystem");
        host.Autorun("Service", Services + "edgeupdate", "edgeupdate", "\"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe\" /svc", "LocalSystem");
        host.Autorun("Service", Services + "Tcpip", "Tcpip", @"System32\drivers\tcpip.sys", null);

        const string Defender = @"\Microsoft\Windows\Windows Defender\";
        host.Task(Defender + "Windows Defender Scheduled Scan", platform + "MpCmdRun.exe", "Scan -ScheduleJob -ScanTrigger 55 -IdleScheduledJob", "S-1-5-18");
        host.Task(Defender + "Windows Defender Cache Maintenance", platform + "MpCmdRun.exe", "-IdleTask -TaskName WdCacheMaintenance", "S-1-5-18");
        host.Task(Defender + "Windows Defender Cleanup", platform + "MpCmdRun.exe", "-IdleTask -TaskName WdCleanup", "S-1-5-18");
        host.Task(Defender + "Windows Defender Verification", platform + "MpCmdRun.exe", "-IdleTask -TaskName WdVerification", "S-1-5-18");
        host.Task(@"\Microsoft\Windows\Defrag\ScheduledDefrag", @"%windir%\system32\defrag.exe", "-c -h -o -$", "S-1-5-18");
        host.Task(@"\Microsoft\Windows\UpdateOrchestrator\Schedule Scan", @"%systemroot%\system32\usoclient.exe", "StartScan", "S-1-5-18");
        host.Task(@"\Microsoft\Windows\Windows Error Reporting\QueueReporting", @"%windir%\system32\wermgr.exe", "-upload", "S-1-5-18");
        host.Task(@"\MicrosoftEdgeUpdateTaskMachineCore{0A7D4B8E-2C3F-4E5A-9B61-7D8C9E0F1A2B}",
            @"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe", "/c", "S-1-5-18");
        host.File(@"C:\Program Files (x86)\Microsoft\EdgeUpdate\MicrosoftEdgeUpdate.exe", "task-target", FleetBundle.MicrosoftPublisher);
        if (server)
        {
            host.Task(@"\Microsoft\Windows\Server Manager\ServerManager", @"%windir%\system32\ServerManagerLauncher.exe", null, "S-1-5-32-544");
        }
    }

    private static void MicrosoftFile(FleetBundle host, string path) =>
        host.File(path, "process-image", FleetBundle.MicrosoftSigner, "Catalog");
}
