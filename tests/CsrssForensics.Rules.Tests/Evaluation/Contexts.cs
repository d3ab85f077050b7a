using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Rules.Tests.Evaluation;

/// <summary>Builds subject contexts in code: no files, no host paths.</summary>
internal static class Contexts
{
    public const string SubSystemsWindows =
        @"%SystemRoot%\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows " +
        @"ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16";

    public const string System32Csrss = @"C:\Windows\System32\csrss.exe";

    private static int _row = 1;

    public static HostFacts Host(string? systemRoot = @"C:\Windows", string? subSystems = SubSystemsWindows) =>
        new("WS01", "Windows 11", "22631", "UTC", null, systemRoot, subSystems,
            [new SessionInfo(0, null, "Disconnected"), new SessionInfo(1, @"CORP\jdoe", "Active")], new EvidenceRef("host.json"));

    public static SignatureEvidence Signature(SignatureStatus status, SignatureSource? source = null, string? hostStatus = null) =>
        new(status,
            source ?? (status == SignatureStatus.Unknown ? SignatureSource.None : SignatureSource.OfflineCatalog),
            status == SignatureStatus.MicrosoftSigned ? "CN=Microsoft Windows, O=Microsoft Corporation" : status == SignatureStatus.SignedOther ? "CN=Evil Ltd" : null,
            null, null, null, null, null, null, null, hostStatus, [], [new EvidenceRef("catalogs/nt5.cat", Offset: 0x40)]);

    public static ProcessRecord Process(int pid, string name, string? imagePath, int? parentPid = 600, int? session = 1,
        string? user = @"NT AUTHORITY\SYSTEM", string? commandLine = null, double? cpu = 0.1, double? gpu = 0) =>
        new(pid, parentPid, name, imagePath, commandLine, new DateTimeOffset(2026, 11, 20, 7, 1, 0, TimeSpan.Zero), session, user,
            cpu, gpu, 4_000_000, new EvidenceRef("processes.csv", Row: Interlocked.Increment(ref _row)));

    public static FileRecord File(string path, long? size = 26_000) =>
        new(path, size, new string('a', 64), null, null, HostSignature.NotCollected, null, null, "binaries/" + Path.GetFileName(path.Replace('\\', '/')),
            "process-image", null, new EvidenceRef("files.csv", Row: 7));

    public static BinaryInfo Binary(string originalFilename, string? description = null) =>
        new("binaries/x.exe", true, "AMD64", "WindowsCui", originalFilename, originalFilename, "Microsoft Corporation",
            description ?? (originalFilename.StartsWith("csrss", StringComparison.OrdinalIgnoreCase) ? "Client Server Runtime Process" : originalFilename),
            "Microsoft® Windows® Operating System", "10.0.22621.1", []);

    public static LauncherLink Task(string target, string name = @"\Updater") =>
        new("scheduled-task", name, @"tasks\Updater.xml", target, target, new EvidenceRef(@"tasks/Updater.xml", Row: 12));

    /// <summary>A genuine csrss in session 1: System32, Microsoft-signed, no living parent, command line from SubSystems.</summary>
    public static SubjectContext GenuineCsrss(int pid = 700, int session = 1)
    {
        var process = Process(pid, "csrss.exe", System32Csrss, session: session, commandLine: SubSystemsWindows);
        return new SubjectContext(
            new Subject(SubjectKind.Process, "csrss.exe", System32Csrss, pid),
            process,
            File(System32Csrss),
            Signature(SignatureStatus.MicrosoftSigned),
            Binary("CSRSS.Exe"),
            null,
            false,
            [],
            [],
            [],
            [],
            Host());
    }

    /// <summary>A process named <paramref name="name"/> at <paramref name="path"/> with the given signature, nothing else odd.</summary>
    public static SubjectContext ProcessAt(string name, string? path, SignatureStatus status, int pid = 4242, string? commandLine = null,
        string? user = @"NT AUTHORITY\SYSTEM", int? session = 1, string? originalFilename = null)
    {
        var process = Process(pid, name, path, session: session, user: user, commandLine: commandLine);
        return new SubjectContext(
            new Subject(SubjectKind.Process, name, path, pid),
            process,
            path is null ? null : File(path),
            Signature(status),
            originalFilename is null ? null : Binary(originalFilename),
            null,
            false,
            [],
            [],
            [],
            [],
            Host());
    }

    public static SubjectContext FileAt(string path, SignatureStatus status)
    {
        var name = path[(path.LastIndexOf('\\') + 1)..];
        return new SubjectContext(new Subject(SubjectKind.File, name, path, null), null, File(path), Signature(status), null, null, false, [], [], [], [], Host());
    }

    public static ImmutableArray<string> Ids(this SubjectVerdictOutcome outcome) => [.. outcome.DecisionPath.Select(s => s.NodeId)];

    public static ImmutableArray<string> Codes(this SubjectVerdictOutcome outcome) => [.. outcome.Findings.Select(f => f.Code)];
}
