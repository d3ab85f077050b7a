using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CsrssForensics.Fleet.Generation;

/// <summary>The kinds of fake the generator plants, each with a launcher shared by every host that has it.</summary>
public enum PlantedFake
{
    /// <summary>csrss.exe in the user's AppData, started by a Run value.</summary>
    AppDataCsrssRunValue,

    /// <summary>svch0st.exe (a look-alike) in ProgramData, installed as a service.</summary>
    ProgramDataLookAlikeService,

    /// <summary>csrss.exe in C:\Windows\Temp, started by a hidden scheduled task through cmd.</summary>
    TempCsrssScheduledTask,

    /// <summary>csrsss.exe (one letter more) in the user's Temp folder, started by a Run value.</summary>
    TempLookAlikeRunValue,
}

/// <summary>A host the generator planted a fake on.</summary>
public sealed record PlantedHost(string HostName, PlantedFake Fake, string FakeSha256);

/// <summary>
/// Makes N plausible, deterministic hosts for the fleet bench and tests: a few hundred processes and a few thousand file
/// rows each, the same System32 images (same hashes) on every host, and on every 40th host (from the 8th) a planted
/// fake of one of four kinds whose bytes and launcher are shared by the hosts of that kind, as in a real campaign.
/// </summary>
public static class FleetGenerator
{
    /// <summary>Every how many hosts one is planted.</summary>
    public const int PlantEvery = 40;

    private const string MicrosoftSigner = "CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US";

    private static readonly string[] _coreImages = ["smss.exe", "wininit.exe", "winlogon.exe", "services.exe", "lsass.exe", "svchost.exe", "spoolsv.exe"];

    private static readonly string[] _svchostGroups = ["netsvcs", "LocalService", "LocalServiceNetworkRestricted", "NetworkService", "DcomLaunch", "RPCSS", "utcsvc", "appmodel"];

    private static readonly (string Name, string Path)[] _applications =
    [
        ("chrome.exe", @"C:\Program Files\Google\Chrome\Application\chrome.exe"),
        ("msedge.exe", @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"),
        ("Teams.exe", @"C:\Program Files\WindowsApps\MSTeams\ms-teams.exe"),
        ("Code.exe", @"C:\Program Files\Microsoft VS Code\Code.exe"),
        ("OUTLOOK.EXE", @"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE"),
    ];

    /// <summary>
    /// Writes <paramref name="count"/> bundle folders into <paramref name="folder"/>. The genuine System32 images are
    /// listed with the host's own "Valid" signature but not copied: we cannot make Microsoft-signed bytes, and a
    /// stand-in copy would be judged (rightly) as what it is, not as Windows. So an ordinary host is inconclusive on the
    /// host's word, as the trust model says; the planted fakes are copied, so their hosts are proven compromised.
    /// </summary>
    public static IReadOnlyList<PlantedHost> Generate(string folder, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Directory.CreateDirectory(folder);
        var planted = new List<PlantedHost>();
        var start = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < count; i++)
        {
            var name = "WS-" + i.ToString("D4", CultureInfo.InvariantCulture);
            var host = new GeneratedHost(name, start.AddMinutes(i));
            Ordinary(host, i);
            if (i % PlantEvery == 7)
            {
                var fake = (PlantedFake)(i / PlantEvery % 4);
                planted.Add(new PlantedHost(name, fake, Plant(host, fake)));
            }

            host.Write(Path.Combine(folder, name));
        }

        return planted;
    }

    /// <summary>The bytes of a planted fake: not signed, the same for every host of a kind.</summary>
    public static byte[] FakeBytes(PlantedFake fake)
    {
        var bytes = new byte[4096];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        Encoding.ASCII.GetBytes($"fleet generator planted fake: {fake}").CopyTo(bytes, 64);
        return bytes;
    }

    private static void Ordinary(GeneratedHost host, int index)
    {
        const string sys = @"C:\Windows\System32\";
        var system = @"NT AUTHORITY\SYSTEM";
        host.Process(4, 0, "System", null, null, 0, system);
        host.Process(388, 4, "smss.exe", @"\SystemRoot\System32\smss.exe", @"\SystemRoot\System32\smss.exe", 0, system);
        // smss starts csrss with the host's SubSystems\Windows value (host.json), %SystemRoot% expanded.
        var csrssCommandLine = GeneratedHost.SubSystemsWindows.Replace("%SystemRoot%", @"C:\Windows", StringComparison.Ordinal);
        host.Process(612, 500, "csrss.exe", sys + "csrss.exe", csrssCommandLine, 0, system);
        host.Process(704, 596, "csrss.exe", sys + "csrss.exe", csrssCommandLine, 1, system);
        host.Process(620, 500, "wininit.exe", sys + "wininit.exe", "wininit.exe", 0, system);
        host.Process(716, 596, "winlogon.exe", sys + "winlogon.exe", "winlogon.exe", 1, system);
        host.Process(760, 620, "services.exe", sys + "services.exe", sys + "services.exe", 0, system);
        host.Process(772, 620, "lsass.exe", sys + "lsass.exe", sys + "lsass.exe", 0, system);
        var user = $"CORP\\{host.User}";
        host.Process(3000, 2990, "explorer.exe", @"C:\Windows\explorer.exe", @"C:\Windows\Explorer.EXE", 1, user);
        // svchost per service group under services.exe, as on a real host; then the user's applications (not core names).
        for (int p = 0; p < 60; p++)
        {
            var group = _svchostGroups[p % _svchostGroups.Length];
            host.Process(1000 + (p * 4), 760, "svchost.exe", sys + "svchost.exe", sys + "svchost.exe -k " + group + " -p", 0, system);
        }

        host.Process(1400, 760, "spoolsv.exe", sys + "spoolsv.exe", sys + "spoolsv.exe", 0, system);
        host.Process(1404, 1000, "WmiPrvSE.exe", sys + @"wbem\WmiPrvSE.exe", sys + @"wbem\wmiprvse.exe", 0, system);
        for (int p = 0; p < 180; p++)
        {
            var app = _applications[p % _applications.Length];
            host.Process(4000 + (p * 4), 3000, app.Name, app.Path, $"\"{app.Path}\" --type=renderer --id={p.ToString(CultureInfo.InvariantCulture)}", 1, user);
        }

        host.File(sys + "csrss.exe", Sha("genuine csrss.exe"), 14336, MicrosoftSigner, null, "process-image");
        foreach (var image in _coreImages)
        {
            host.File(sys + image, Sha("genuine " + image), 100_000, MicrosoftSigner, null, "process-image");
        }

        host.File(sys + @"wbem\WmiPrvSE.exe", Sha("genuine WmiPrvSE.exe"), 100_000, MicrosoftSigner, null, "process-image");
        foreach (var app in _applications)
        {
            host.File(app.Path, Sha("app " + app.Path), 2_000_000, "CN=Example Software Ltd", null, "process-image");
        }

        // The inventory: the same System32 files everywhere, and a few per-user files that differ by host.
        for (int f = 0; f < 2_800; f++)
        {
            var path = sys + "lib" + f.ToString("D4", CultureInfo.InvariantCulture) + ".dll";
            host.File(path, Sha(path), 50_000 + f, MicrosoftSigner);
        }

        for (int f = 0; f < 200; f++)
        {
            var path = $@"C:\Users\{host.User}\AppData\Local\App{(f % 10).ToString(CultureInfo.InvariantCulture)}\file{f.ToString(CultureInfo.InvariantCulture)}.dat";
            host.File(path, Sha(host.HostName + path), 1_000 + f, null);
        }

        host.Autorun("RunKey", @"HKLM\Software\Microsoft\Windows\CurrentVersion\Run", "SecurityHealth", @"%windir%\system32\SecurityHealthSystray.exe", null);
        host.Autorun("Service", @"HKLM\SYSTEM\CurrentControlSet\Services\Spooler", "Spooler", sys + "spoolsv.exe", null);
        host.Autorun("RunKey", $@"HKU\S-1-5-21-1-2-3-{(1000 + index).ToString(CultureInfo.InvariantCulture)}\Software\Microsoft\Windows\CurrentVersion\Run", "OneDrive",
            $@"""C:\Users\{host.User}\AppData\Local\Microsoft\OneDrive\OneDrive.exe"" /background", user);
        host.Task(@"\Microsoft\Windows\Defrag\ScheduledDefrag", @"%windir%\system32\defrag.exe", "-c -h -o -$");
    }

    private static string Plant(GeneratedHost host, PlantedFake fake)
    {
        var bytes = FakeBytes(fake);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var user = $"CORP\\{host.User}";
        var profile = $@"C:\Users\{host.User}";
        var (name, path) = fake switch
        {
            PlantedFake.AppDataCsrssRunValue => ("csrss.exe", profile + @"\AppData\Roaming\Microsoft\Crypto\csrss.exe"),
            PlantedFake.ProgramDataLookAlikeService => ("svch0st.exe", @"C:\ProgramData\WinSvc\svch0st.exe"),
            PlantedFake.TempCsrssScheduledTask => ("csrss.exe", @"C:\Windows\Temp\csrss.exe"),
            _ => ("csrsss.exe", profile + @"\AppData\Local\Temp\csrsss.exe"),
        };
        host.Process(6100, 3000, name, path, $"\"{path}\" -o pool.example:3333", 1, user);
        host.File(path, sha, bytes.Length, null, bytes, "process-image");
        switch (fake)
        {
            case PlantedFake.AppDataCsrssRunValue:
                host.Autorun("RunKey", @"HKU\S-1-5-21-1-2-3-1001\Software\Microsoft\Windows\CurrentVersion\Run", "Windows Client Runtime", $"\"{path}\"", user);
                break;
            case PlantedFake.ProgramDataLookAlikeService:
                host.Autorun("Service", @"HKLM\SYSTEM\CurrentControlSet\Services\WinSvcHost", "WinSvcHost", path, null);
                break;
            case PlantedFake.TempCsrssScheduledTask:
                host.Task(@"\Microsoft\Windows\Maintenance\csrss", "%ComSpec%", $"/c start \"\" \"{path}\"");
                break;
            default:
                host.Autorun("RunKey", @"HKU\S-1-5-21-1-2-3-1001\Software\Microsoft\Windows\CurrentVersion\Run", "Client Server Runtime", $"\"{path}\"", user);
                break;
        }

        return sha;
    }

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
