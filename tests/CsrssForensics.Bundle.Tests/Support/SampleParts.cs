using System.Text;

namespace CsrssForensics.Bundle.Tests.Support;

/// <summary>Small, valid bundle parts to build test bundles from.</summary>
public static class SampleParts
{
    public const string ProcessesCsv =
        "pid,parentPid,name,imagePath,commandLine,creationTimeUtc,sessionId,user,cpuPercent,gpuPercent,workingSetBytes\n" +
        "4,0,System,,,2026-11-20T07:01:12Z,0,NT AUTHORITY\\SYSTEM,0,0,151552\n" +
        "612,500,csrss.exe,C:\\Windows\\System32\\csrss.exe,\"C:\\Windows\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768\",2026-11-20T07:01:15Z,0,NT AUTHORITY\\SYSTEM,0.5,0,5935104\n";

    public const string FilesCsv =
        "path,size,sha256,createdUtc,modifiedUtc,signatureStatus,signatureType,signerSubject,signerThumbprint,catalogPath,catalogBundlePath,bundlePath,reason,zoneIdentifier\n" +
        "C:\\Windows\\System32\\csrss.exe,14336,055BC33CEA97C8EF88827A2333B7D7AAEAAC4D562CF2614AB5BA19CD2BCBDC5F,2024-05-07T05:12:44Z,2024-05-07T05:12:44Z,Valid,Embedded,\"CN=Microsoft Windows, O=Microsoft Corporation\",A4341B9FD50FB9964283220A36A1EF6F6FAA7840,,,binaries/055bc33cea97c8ef88827a2333b7d7aaeaac4d562cf2614ab5ba19cd2bcbdc5f.bin,process-image,\n";

    public const string HostJson = """
        {
          "hostname": "WS-0142", "osVersion": "Microsoft Windows 11 Pro", "osBuild": "10.0.22631",
          "timeZone": "W. Europe Standard Time", "bootTimeUtc": "2026-11-20T07:01:12Z", "systemRoot": "C:\\Windows",
          "subSystemsWindows": "%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows",
          "sessions": [ { "id": 0, "user": null, "state": "Disconnected" }, { "id": 1, "user": "CORP\\alice", "state": "Active" } ]
        }
        """;

    public const string AutorunsJson = """
        { "entries": [ { "kind": "RunKey", "location": "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                         "name": "Updater", "command": "\"C:\\Users\\a\\AppData\\Roaming\\csrsss.exe\" -q", "user": "CORP\\a" } ] }
        """;

    public const string ProgramsJson = """
        { "programs": [ { "name": "Free PDF Tools", "version": "3.1", "publisher": "PDF Tools Ltd", "installDate": "20261118",
                          "installLocation": "C:\\Users\\alice\\AppData\\Local\\FreePdfTools\\", "uninstallString": null,
                          "registryKey": "HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\FreePdfTools", "user": "CORP\\alice" } ] }
        """;

    public const string BrowserExtensionsJson = """
        { "extensions": [ { "browser": "Edge", "user": "alice", "profile": "Default", "id": "aaaabbbbccccddddeeeeffffgggghhhh", "name": "PDF Helper Pro",
                            "version": "1.2.0", "path": null, "permissions": [ "tabs", "storage" ] } ] }
        """;

    public const string DefenderJson = """
        { "status": { "amServiceEnabled": true, "antivirusEnabled": true, "realTimeProtectionEnabled": false, "isTamperProtected": true,
                      "amRunningMode": "Normal", "antivirusSignatureUpdatedUtc": "2026-11-19T22:10:00Z", "fullScanEndUtc": null },
          "detections": [ { "threatName": "Trojan:Win32/Fake", "processName": "C:\\Windows\\explorer.exe",
                            "resources": [ "file:_C:\\Users\\alice\\AppData\\Roaming\\csrss.exe" ],
                            "initialDetectionUtc": "2026-11-18T20:58:02Z", "actionSuccess": false } ] }
        """;

    public const string ComJson = """
        { "registrations": [
            { "classId": "{A6BA00FE-40E8-477C-B713-C64A14F28F44}", "hive": "HKLM", "user": null,
              "key": "HKLM\\SOFTWARE\\Classes\\CLSID\\{A6BA00FE-40E8-477C-B713-C64A14F28F44}", "name": "Theme sync",
              "inprocServer32": "%SystemRoot%\\System32\\themeui.dll", "threadingModel": "Both", "localServer32": null, "treatAs": null } ] }
        """;

    private const string ClassId = "{A6BA00FE-40E8-477C-B713-C64A14F28F44}";

    public static string TaskXml(string uri, string command = "C:\\Windows\\System32\\cmd.exe", string arguments = "/c echo") => $"""
        <?xml version="1.0" encoding="UTF-16"?>
        <Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
          <RegistrationInfo>
            <Author>CORP\alice</Author>
            <Description>Client Server Runtime maintenance</Description>
            <URI>{uri}</URI>
          </RegistrationInfo>
          <Triggers>
            <LogonTrigger><Enabled>true</Enabled></LogonTrigger>
            <BootTrigger />
          </Triggers>
          <Principals>
            <Principal id="Other"><GroupId>S-1-5-32-545</GroupId></Principal>
            <Principal id="Author"><UserId>S-1-5-18</UserId><RunLevel>HighestAvailable</RunLevel></Principal>
          </Principals>
          <Settings>
            <Enabled>true</Enabled>
            <Hidden>true</Hidden>
          </Settings>
          <Actions Context="Author">
            <Exec>
              <Command>{command}</Command>
              <Arguments>{arguments}</Arguments>
              <WorkingDirectory>C:\Windows\Temp</WorkingDirectory>
            </Exec>
            <ComHandler>
              <ClassId>{ClassId}</ClassId>
              <Data><![CDATA[payload]]></Data>
            </ComHandler>
          </Actions>
        </Task>
        """;

    /// <summary>UTF-16 LE with a byte order mark, as Windows writes task files.</summary>
    public static byte[] Utf16(string text) => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];

    /// <summary>A complete, valid bundle folder with every part (sealed).</summary>
    public static TempBundle FullBundle()
    {
        var bundle = new TempBundle()
            .Write("processes.csv", ProcessesCsv)
            .Write("files.csv", FilesCsv)
            .Write("host.json", HostJson)
            .Write("autoruns.json", AutorunsJson)
            .Write("programs.json", ProgramsJson)
            .Write("browser-extensions.json", BrowserExtensionsJson)
            .Write("defender.json", DefenderJson)
            .Write("com.json", ComJson)
            .Write("tasks/Microsoft/Windows/Maintenance/csrss.xml", Utf16(TaskXml(@"\Microsoft\Windows\Maintenance\csrss")))
            .Write("binaries/055bc33cea97c8ef88827a2333b7d7aaeaac4d562cf2614ab5ba19cd2bcbdc5f.bin", [0x4d, 0x5a, 0x90, 0x00])
            .Write("catalogs/nt5.cat", [0x30, 0x82, 0x01, 0x00])
            .Write("certstores/LocalMachine-Root.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        return bundle.Seal();
    }
}
