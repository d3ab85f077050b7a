using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CsrssForensics.Fleet.Generation;

/// <summary>
/// The parts of one generated bundle, written with the conventions of docs/bundle-format.md (same CSV columns, UTF-16
/// task XML, a manifest listing every file's size and SHA-256).
/// </summary>
internal sealed class GeneratedHost
{
    private static readonly string[] _processColumns =
        ["pid", "parentPid", "name", "imagePath", "commandLine", "creationTimeUtc", "sessionId", "user", "cpuPercent", "gpuPercent", "workingSetBytes"];

    private static readonly string[] _fileColumns =
        ["path", "size", "sha256", "createdUtc", "modifiedUtc", "signatureStatus", "signatureType", "signerSubject", "signerThumbprint",
         "catalogPath", "catalogBundlePath", "bundlePath", "reason", "zoneIdentifier"];

    private readonly StringBuilder _processes = new(string.Join(',', _processColumns) + "\n");
    private readonly StringBuilder _files = new(string.Join(',', _fileColumns) + "\n");
    private readonly JsonArray _autoruns = [];
    private readonly SortedDictionary<string, byte[]> _extra = new(StringComparer.Ordinal);

    public GeneratedHost(string hostName, DateTimeOffset collectedAtUtc)
    {
        HostName = hostName;
        CollectedAtUtc = collectedAtUtc;
    }

    /// <summary>The <c>Session Manager\SubSystems\Windows</c> value of a Windows 11 host.</summary>
    public const string SubSystemsWindows =
        @"%SystemRoot%\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows "
        + "ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16";

    public string HostName { get; }

    public DateTimeOffset CollectedAtUtc { get; }

    public DateTimeOffset Boot => CollectedAtUtc.AddHours(-3);

    public void Process(int pid, int parentPid, string name, string? image, string? commandLine, int session, string user) =>
        _processes.AppendJoin(',', [
            N(pid), N(parentPid), Csv(name), Csv(image), Csv(commandLine), Time(Boot.AddSeconds(pid % 3600)), N(session), Csv(user), "0", "0", "4096000",
        ]).Append('\n');

    /// <summary>A file row; <paramref name="copy"/> adds the bytes under <c>binaries/</c>.</summary>
    public void File(string path, string sha256, long size, string? signer, byte[]? copy = null, string reason = "inventory")
    {
        string bundlePath = string.Empty;
        if (copy is not null)
        {
            bundlePath = $"binaries/{sha256}.bin";
            _extra[bundlePath] = copy;
        }

        _files.AppendJoin(',', [
            Csv(path), size.ToString(CultureInfo.InvariantCulture), sha256, "2024-05-07T05:12:44Z", "2024-05-07T05:12:44Z",
            signer is null ? "NotSigned" : "Valid", signer is null ? "None" : "Embedded", Csv(signer), string.Empty,
            string.Empty, string.Empty, bundlePath, reason, string.Empty,
        ]).Append('\n');
    }

    public void Autorun(string kind, string location, string name, string command, string? user) =>
        _autoruns.Add((JsonNode)new JsonObject { ["kind"] = kind, ["location"] = location, ["name"] = name, ["command"] = command, ["user"] = user });

    /// <summary>A scheduled task as the collector exports it (UTF-16 XML with a BOM).</summary>
    public void Task(string taskPath, string command, string arguments)
    {
        var xml = $"""
            <?xml version="1.0" encoding="UTF-16"?>
            <Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
              <RegistrationInfo><URI>{taskPath}</URI></RegistrationInfo>
              <Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>
              <Settings><Enabled>true</Enabled><Hidden>true</Hidden></Settings>
              <Actions Context="Author"><Exec><Command>{command}</Command><Arguments>{arguments}</Arguments></Exec></Actions>
            </Task>
            """;
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(xml.ReplaceLineEndings("\r\n"))).ToArray();
        _extra["tasks" + taskPath.Replace('\\', '/') + ".xml"] = bytes;
    }

    /// <summary>Writes the bundle folder (created; must not exist).</summary>
    public void Write(string folder)
    {
        var parts = new SortedDictionary<string, byte[]>(_extra, StringComparer.Ordinal)
        {
            ["processes.csv"] = Encoding.UTF8.GetBytes(_processes.ToString()),
            ["files.csv"] = Encoding.UTF8.GetBytes(_files.ToString()),
            ["autoruns.json"] = Json(new JsonObject { ["entries"] = _autoruns.DeepClone() }),
            ["host.json"] = Json(new JsonObject
            {
                ["hostname"] = HostName,
                ["osVersion"] = "Microsoft Windows 11 Pro",
                ["osBuild"] = "10.0.22631",
                ["timeZone"] = "UTC",
                ["bootTimeUtc"] = Time(Boot),
                ["systemRoot"] = "C:\\Windows",
                ["subSystemsWindows"] = SubSystemsWindows,
                ["sessions"] = new JsonArray(
                    new JsonObject { ["id"] = 0, ["user"] = null, ["state"] = "Disconnected" },
                    new JsonObject { ["id"] = 1, ["user"] = $"CORP\\{User}", ["state"] = "Active" }),
            }),
        };
        var files = new JsonArray();
        foreach (var (path, bytes) in parts)
        {
            var target = Path.Combine(folder, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            System.IO.File.WriteAllBytes(target, bytes);
            files.Add((JsonNode)new JsonObject { ["path"] = path, ["size"] = bytes.Length, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)) });
        }

        var manifest = new JsonObject
        {
            ["format"] = "csrss-forensics-bundle",
            ["formatVersion"] = "1.0",
            ["collector"] = new JsonObject { ["name"] = "csrss-forensics fleet generator", ["version"] = "1.0.0" },
            ["collectedAtUtc"] = Time(CollectedAtUtc),
            ["operator"] = "generator",
            ["hostname"] = HostName,
            ["files"] = files,
        };
        System.IO.File.WriteAllBytes(Path.Combine(folder, "manifest.json"), Json(manifest));
    }

    public string User => "u" + HostName.ToLowerInvariant().Replace("-", string.Empty, StringComparison.Ordinal);

    private static readonly JsonSerializerOptions _indented = new() { WriteIndented = true };

    private static byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(_indented).ReplaceLineEndings("\n") + "\n");

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Csv(string? value) =>
        value is null ? string.Empty
        : value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
