using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Tests.Correlation;

/// <summary>Builds snapshots in code: the correlator needs records, not files.</summary>
internal static class SnapshotFactory
{
    public static readonly DateTimeOffset Boot = new(2026, 11, 20, 7, 0, 0, TimeSpan.Zero);

    public static BundleSnapshot Snapshot(
        IEnumerable<ProcessRecord>? processes = null,
        IEnumerable<FileRecord>? files = null,
        IEnumerable<ScheduledTask>? tasks = null,
        IEnumerable<AutorunEntry>? autoruns = null,
        string? systemRoot = @"C:\Windows",
        IEnumerable<BundlePart>? missing = null) =>
        new(
            "test-bundle",
            null,
            new IntegrityReport(IntegrityStatus.Unverified, null, []),
            new HostFacts("WS-1", "Windows 11", "10.0.22631", "UTC", Boot, systemRoot, null, [], new EvidenceRef("host.json")),
            [.. processes ?? []],
            [.. files ?? []],
            [.. tasks ?? []],
            [.. autoruns ?? []],
            [],
            [],
            [],
            [.. missing ?? []],
            []);

    /// <summary>A process; <paramref name="startedMinutes"/> after boot, null for "creation time unknown".</summary>
    public static ProcessRecord Process(int pid, int? parentPid, string name, string? image = null, double? startedMinutes = 0, int? session = 1, int row = 0) =>
        new(pid, parentPid, name, image, image, startedMinutes is double m ? Boot.AddMinutes(m) : null, session, null, null, null, null,
            new EvidenceRef("processes.csv", Row: row == 0 ? pid : row));

    public static FileRecord File(string path, int row, string? sha256 = null, HostSignature? signature = null) =>
        new(path, 1000, sha256 ?? new string('a', 64), Boot, Boot, signature ?? HostSignature.NotCollected, null, null, null, "sibling", null,
            new EvidenceRef("files.csv", Row: row));

    public static ScheduledTask Task(string taskPath, params TaskAction[] actions) =>
        new(taskPath, null, null, true, false, null, ["logon"], [.. actions], new EvidenceRef("tasks" + taskPath.Replace('\\', '/') + ".xml"));

    public static TaskAction Exec(string command, string? arguments = null, string? workingDirectory = null) =>
        new("Exec", command, arguments, workingDirectory, null, null);

    public static AutorunEntry Autorun(AutorunKind kind, string location, string? name, string? command, string? user = null, int index = 0) =>
        new(kind, location, name, command, user, new EvidenceRef("autoruns.json", Row: index));
}
