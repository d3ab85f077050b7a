using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CsrssForensics.Analysis.Tests.Fleet;

/// <summary>
/// The records of one generated host, rendered to bundle entries with the conventions of
/// fixtures/bundles/make-fixtures.py (same CSV columns, UTF-16 task XML, a manifest listing every entry's SHA-256).
/// </summary>
internal sealed class FleetBundle
{
    public const string CollectedAtUtc = "2026-11-20T08:15:00Z";
    public const string MicrosoftSigner = "CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US";
    public const string MicrosoftPublisher = "CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US";

    private static readonly string[] _processColumns =
        ["pid", "parentPid", "name", "imagePath", "commandLine", "creationTimeUtc", "sessionId", "user", "cpuPercent", "gpuPercent", "workingSetBytes"];

    private static readonly string[] _fileColumns =
        ["path", "size", "sha256", "createdUtc", "modifiedUtc", "signatureStatus", "signatureType", "signerSubject", "signerThumbprint",
         "catalogPath", "catalogBundlePath", "bundlePath", "reason", "zoneIdentifier"];

    private readonly List<string[]> _processes = [];
    private readonly Dictionary<string, string[]> _files = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _fileOrder = [];
    private readonly JsonArray _autoruns = [];
    private readonly SortedDictionary<string, string> _tasks = new(StringComparer.Ordinal);
    private readonly JsonArray _sessions = [];

    public FleetBundle(string hostName, string osName, string osBuild)
    {
        HostName = hostName;
        OsName = osName;
        OsBuild = osBuild;
    }

    public string HostName { get; }

    public string OsName { get; }

    public string OsBuild { get; }

    /// <summary>What the bundle stands for, for failure messages (apps installed, attack injected).</summary>
    public List<string> Notes { get; } = [];

    public void Session(int id, string? user) =>
        _sessions.Add(new JsonObject { ["id"] = id, ["user"] = user, ["state"] = user is null ? "Disconnected" : "Active" });

    public void Process(int pid, int? parentPid, string name, string? image, string? commandLine, int session, string user, int minutesAfterBoot = 1) =>
        _processes.Add([
            pid.ToString(CultureInfo.InvariantCulture),
            parentPid?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            name, image ?? string.Empty, commandLine ?? string.Empty,
            Boot.AddMinutes(minutesAfterBoot).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            session.ToString(CultureInfo.InvariantCulture), user, "0", "0", "4096000",
        ]);

    /// <summary>A file row with the host's signature report; a second row for the same path only adds its reason.</summary>
    public void File(string path, string reason, string? signer, string signatureType = "Embedded", string status = "Valid")
    {
        if (_files.TryGetValue(path, out var existing))
        {
            if (!existing[12].Split(';').Contains(reason, StringComparer.Ordinal))
            {
                existing[12] += ";" + reason;
            }

            return;
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(HostName + "|" + path)));
        _files[path] = [
            path, SizeOf(path), sha, "2024-05-07T05:12:44Z", "2024-05-07T05:12:44Z",
            signer is null ? "NotSigned" : status, signer is null ? "None" : signatureType, signer ?? string.Empty,
            signer is null ? string.Empty : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(signer)))[..40],
            string.Empty, string.Empty, string.Empty, reason, string.Empty,
        ];
        _fileOrder.Add(path);
    }

    /// <summary>Sizes as Windows ships them where the rules know a ceiling (csrss.exe is about 14 KB), else 1 MiB.</summary>
    private static string SizeOf(string path) =>
        path.EndsWith(@"\csrss.exe", StringComparison.OrdinalIgnoreCase) ? "14336" : "1048576";

    public void Autorun(string kind, string location, string? name, string command, string? user) =>
        _autoruns.Add(new JsonObject { ["kind"] = kind, ["location"] = location, ["name"] = name, ["command"] = command, ["user"] = user });

    /// <summary>A scheduled task with one Exec action, stored as Windows writes it (UTF-16 with a byte order mark).</summary>
    public void Task(string uri, string command, string? arguments, string userId, bool hidden = false)
    {
        var args = arguments is null ? string.Empty : $"\n      <Arguments>{Escape(arguments)}</Arguments>";
        var xml = $"""
            <?xml version="1.0" encoding="UTF-16"?>
            <Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
              <RegistrationInfo>
                <Date>2026-10-02T10:00:00</Date>
                <URI>{Escape(uri)}</URI>
              </RegistrationInfo>
              <Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>
              <Principals><Principal id="Author"><UserId>{Escape(userId)}</UserId></Principal></Principals>
              <Settings><Enabled>true</Enabled><Hidden>{(hidden ? "true" : "false")}</Hidden></Settings>
              <Actions Context="Author">
                <Exec>
                  <Command>{Escape(command)}</Command>{args}
                </Exec>
              </Actions>
            </Task>
            """;
        _tasks["tasks" + uri.Replace('\\', '/') + ".xml"] = xml;
    }

    public static readonly DateTimeOffset Boot = new(2026, 11, 20, 7, 1, 12, TimeSpan.Zero);

    /// <summary>Writes the bundle folder (entries, then manifest.json) under <paramref name="root"/>; returns its path.</summary>
    public string WriteTo(string root)
    {
        var folder = Path.Combine(root, HostName);
        Directory.CreateDirectory(folder);
        var entries = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["processes.csv"] = Encoding.UTF8.GetBytes(Csv(_processColumns, _processes)),
            ["files.csv"] = Encoding.UTF8.GetBytes(Csv(_fileColumns, _fileOrder.Select(p => _files[p]))),
            ["autoruns.json"] = Encoding.UTF8.GetBytes(new JsonObject { ["entries"] = _autoruns.DeepClone() }.ToJsonString()),
            ["host.json"] = Encoding.UTF8.GetBytes(HostJson()),
        };
        foreach (var (path, xml) in _tasks)
        {
            entries[path] = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(xml)];
        }

        var files = new JsonArray();
        foreach (var (path, data) in entries)
        {
            files.Add(new JsonObject { ["path"] = path, ["size"] = data.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)) });
        }

        var manifest = new JsonObject
        {
            ["format"] = "csrss-forensics-bundle",
            ["formatVersion"] = "1.0",
            ["collector"] = new JsonObject { ["name"] = "FleetGenerator", ["version"] = "1.0.0" },
            ["collectedAtUtc"] = CollectedAtUtc,
            ["operator"] = "fleet",
            ["hostname"] = HostName,
            ["files"] = files,
            ["errors"] = new JsonArray(),
        };
        entries["manifest.json"] = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        foreach (var (path, data) in entries)
        {
            var target = Path.Combine([folder, .. path.Split('/')]);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            System.IO.File.WriteAllBytes(target, data);
        }

        return folder;
    }

    private string HostJson() => new JsonObject
    {
        ["hostname"] = HostName,
        ["osVersion"] = OsName,
        ["osBuild"] = OsBuild,
        ["timeZone"] = "UTC",
        ["bootTimeUtc"] = Boot.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["systemRoot"] = @"C:\Windows",
        ["subSystemsWindows"] = FleetHosts.SubSystems,
        ["sessions"] = _sessions.DeepClone(),
    }.ToJsonString();

    private static string Csv(string[] columns, IEnumerable<string[]> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', columns)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row.Select(Field))).Append('\n');
        }

        return text.ToString();

        static string Field(string value) =>
            value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
