using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Reporting.Tests.Support;

/// <summary>
/// Report models built in code for writer tests (reusable by other test projects that want a realistic report):
/// a fake csrss.exe in AppData started by a scheduled task, the legitimate System32 pair, an inconclusive copy whose
/// binary was not collected, a failed integrity check and evidence anomalies.
/// </summary>
public static class SampleReports
{
    public const string FakePath = @"C:\Users\alice\AppData\Roaming\Microsoft\csrss.exe";
    public const string System32Path = @"C:\Windows\System32\csrss.exe";
    public const string InconclusivePath = @"C:\ProgramData\Cache\csrss.exe";
    public const string TaskPath = @"\Microsoft\Windows\WinUpdateSvc";

    /// <summary>Strings an attacker can put in process names, paths, task XML and so on.</summary>
    public static class Hostile
    {
        public const string Script = "<script>alert(1)</script>";
        public const string ImageTag = "\"><img src=x onerror=alert(1)>";
        public const string MarkdownLink = "[x](javascript:alert(1))";
        public const string Url = "http://evil.example";
        public const string TableBreaker = "a|b*c](javascript:x)";
        public const string NewLines = "line1\nline2\r\n| injected | row |";
        public const string BidiOverride = "csrss\u202Etxt.exe";
        public const string Formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
        public const string PlusFormula = "+cmd|' /C calc'!A0";
        public const string MinusFormula = "-2+3";
        public const string AtFormula = "@SUM(1,2)";
        public const string TabFormula = "\t=1+1";
        public const string CarriageReturnFormula = "\r=1+1";
        public const string HeadingAndCode = "# heading `code` **bold** _em_ &lt;b&gt; <http://evil.example>";

        public static IReadOnlyList<string> All { get; } =
        [
            Script, ImageTag, MarkdownLink, Url, TableBreaker, NewLines, BidiOverride, Formula, PlusFormula,
            MinusFormula, AtFormula, TabFormula, CarriageReturnFormula, HeadingAndCode,
        ];
    }

    private static readonly DateTimeOffset _collected = new(2026, 3, 1, 10, 15, 0, TimeSpan.Zero);

    /// <summary>The rich, benign-looking sample: every section of the report has content.</summary>
    public static AnalysisReport Rich() => Build(name => name);

    /// <summary>The same report with hostile strings in every bundle-originated field.</summary>
    public static AnalysisReport HostileStrings()
    {
        var report = Build(text => text + " " + string.Join(" ", Hostile.All));
        return report with { Verdicts = report.Verdicts.AddRange(HostileVerdicts()) };
    }

    /// <summary>A clean machine: the System32 pair only, verified bundle, no cleanup.</summary>
    public static AnalysisReport Clean()
    {
        var rich = Rich();
        return rich with
        {
            OverallStatus = OverallStatus.Clean,
            Summary = "Both csrss.exe processes run from System32 and are signed by Microsoft. Nothing to remove.",
            Integrity = new IntegrityReport(IntegrityStatus.Verified, rich.Integrity.BundleSha256, []),
            Verdicts = rich.Verdicts.Where(v => v.Verdict == Verdict.Legitimate).ToImmutableArray(),
            RecordBeforeCleanup = [],
            SameFolderFiles = [],
            Launchers = [],
            Actions = [new ActionItem("do-not", "Do not end or delete the System32 csrss.exe: it is the real Windows process.", System32Path)],
            AfterCleanup = [],
            ResourceUsage = [],
            ProcessTrees = [],
            NotCollected = [],
            Anomalies = [],
            HostContext = null,
            RogueRoots = [],
        };
    }

    /// <summary>Verdicts whose every field is hostile, one per hostile string.</summary>
    public static ImmutableArray<SubjectVerdict> HostileVerdicts() =>
        Hostile.All.Select((text, i) => new SubjectVerdict(
            new Subject(SubjectKind.Process, text, @"C:\Users\Public\" + text, 9000 + i),
            Verdict.Suspicious,
            text,
            [new DecisionStep(text, text, text, [text])],
            [new EvidenceRef(text, Row: i + 1, Detail: text)],
            [new Finding(text, AnomalySeverity.Medium, text, text, [new EvidenceRef(text)])],
            Signature(SignatureStatus.SignedOther, SignatureSource.OfflineEmbedded, text, text, text)))
        .ToImmutableArray();

    private static AnalysisReport Build(Func<string, string> bundleText)
    {
        var s = bundleText;
        var processes = new EvidenceRef("processes.csv");
        var fakeProcess = new EvidenceRef("processes.csv", Row: 7);
        var fakeFile = new EvidenceRef("files.csv", Row: 4);
        var task = new EvidenceRef("tasks/Microsoft/Windows/WinUpdateSvc.xml", Detail: "Exec action 1");
        var fakeSignature = Signature(SignatureStatus.NotSigned, SignatureSource.Offline, null, null, "Valid") with
        {
            AuthenticodeSha256 = "9f2c1e0d5b7a4c3e8f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70",
            Notes = ["No embedded signature and no catalog in the bundle lists this file."],
            Evidence = [new EvidenceRef("binaries/9f2c1e0d.bin", Offset: 0x3c, Detail: "IMAGE_DIRECTORY_ENTRY_SECURITY is empty")],
        };

        return new AnalysisReport(
            ReportVersion: "1.0",
            Tool: new ToolInfo("CsrssForensics", "0.1.0", "csrss-tree 1"),
            Bundle: new BundleInfo(s("WS-0147_2026-03-01"), "1", "collect.ps1", "1.0.0", _collected, s("j.doe")),
            Host: new HostSummary(
                s("WS-0147"),
                "Microsoft Windows 11 Pro",
                "22631.3155",
                s("W. Europe Standard Time"),
                // Stored with an offset on purpose: every writer must print it as UTC with 'Z'.
                new DateTimeOffset(2026, 3, 1, 9, 2, 30, TimeSpan.FromHours(1)),
                [new SessionInfo(0, null, "Disconnected"), new SessionInfo(1, s(@"WS-0147\alice"), "Active")]),
            OverallStatus: OverallStatus.Compromised,
            Summary: "One csrss.exe is an evidence-backed fake in a user folder, started by a scheduled task. The two System32 copies are genuine.",
            Integrity: new IntegrityReport(
                IntegrityStatus.Failed,
                "4b1d3c2a9e8f7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817060504",
                [
                    new IntegrityFinding(IntegrityProblem.Changed, "processes.csv", s("SHA-256 differs from the manifest"), new EvidenceRef("manifest.json", Row: 3, Detail: "files[2].sha256")),
                    new IntegrityFinding(IntegrityProblem.Extra, s("binaries/extra.bin"), "Not listed in the manifest", new EvidenceRef(s("binaries/extra.bin"))),
                ]),
            Verdicts:
            [
                new SubjectVerdict(
                    new Subject(SubjectKind.Process, s("csrss.exe"), s(FakePath), 4242),
                    Verdict.Fake,
                    s("csrss.exe runs from a user-writable folder and is not signed by Microsoft."),
                    [
                        new DecisionStep("CSR-010", "Is the image in %SystemRoot%\\System32?", "no", ["seed:decision-tree", "MITRE ATT&CK T1036.005"]),
                        new DecisionStep("CSR-020", "Is the file signed by Microsoft (offline chain to a pinned root)?", "no: notSigned", ["seed:safe-vs-suspicious", "research/authenticode.md"]),
                        new DecisionStep("CSR-090", "Core-process name outside its folder and not Microsoft-signed?", "yes -> fake", ["DESIGN.md#verdicts"]),
                    ],
                    [fakeProcess, fakeFile],
                    [
                        new Finding("CSR-PATH-USERWRITABLE", AnomalySeverity.High, "Runs from a user-writable folder", s(@"Image under C:\Users\alice\AppData\Roaming."), [fakeProcess]),
                        new Finding("CSR-LAUNCH-TASK", AnomalySeverity.High, "Launched by a scheduled task", s(TaskPath), [task]),
                        new Finding("CSR-SIG-HOST-DISAGREES", AnomalySeverity.Medium, "Host claims a valid signature", "Get-AuthenticodeSignature said Valid; the copy in the bundle is not signed.", [fakeFile]),
                        new Finding("CTX-DEFENDER-DETECTED", AnomalySeverity.Info, "Defender detected this file", s("Defender detected Trojan:Win32/Masquerade.A at 2026-02-28T21:40:00Z, action success false."), [new EvidenceRef("defender.json", Row: 0)]),
                        new Finding("CTX-PROGRAM-ARRIVED-WITH", AnomalySeverity.Info, "Possibly arrived with an installed program", s("Program 'Free PDF Tools' 3.1: installed 2026-02-28, the same day the copy appeared."), [new EvidenceRef("programs.json", Row: 1)]),
                    ],
                    fakeSignature),
                new SubjectVerdict(
                    new Subject(SubjectKind.File, s("csrss.exe"), s(FakePath), null),
                    Verdict.Fake,
                    s("Same file as the fake process: not signed, in a user folder."),
                    [new DecisionStep("CSR-010", "Is the image in %SystemRoot%\\System32?", "no", ["seed:decision-tree"])],
                    [fakeFile],
                    [],
                    fakeSignature),
                new SubjectVerdict(
                    new Subject(SubjectKind.Process, "csrss.exe", System32Path, 612),
                    Verdict.Legitimate,
                    "System32 copy signed by Microsoft through a catalog.",
                    [
                        new DecisionStep("CSR-010", "Is the image in %SystemRoot%\\System32?", "yes", ["seed:decision-tree"]),
                        new DecisionStep("CSR-020", "Is the file signed by Microsoft (offline chain to a pinned root)?", "yes: microsoftSigned", ["research/authenticode.md"]),
                    ],
                    [new EvidenceRef("processes.csv", Row: 2), new EvidenceRef("files.csv", Row: 1)],
                    [],
                    Signature(SignatureStatus.MicrosoftSigned, SignatureSource.OfflineCatalog, "CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US", "Microsoft Root Certificate Authority 2010", "Valid") with
                    {
                        CatalogFile = "catalogs/Microsoft-Windows-Client-Features-Package0116~31bf3856ad364e35~amd64~~10.0.22621.3155.cat",
                        TimestampUtc = new DateTimeOffset(2024, 2, 10, 4, 33, 12, TimeSpan.Zero),
                    }),
                new SubjectVerdict(
                    new Subject(SubjectKind.Process, "csrss.exe", System32Path, 700),
                    Verdict.Legitimate,
                    "Second session's instance of the same System32 file.",
                    [new DecisionStep("CSR-010", "Is the image in %SystemRoot%\\System32?", "yes", ["seed:decision-tree"])],
                    [new EvidenceRef("processes.csv", Row: 3)],
                    [],
                    Signature(SignatureStatus.MicrosoftSigned, SignatureSource.OfflineCatalog, "CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US", "Microsoft Root Certificate Authority 2010", "Valid")),
                new SubjectVerdict(
                    new Subject(SubjectKind.Process, s("csrss.exe"), s(InconclusivePath), 5120),
                    Verdict.Inconclusive,
                    "The binary was not collected and the host gave no signature status.",
                    [new DecisionStep("CSR-005", "Was the binary collected?", "no", ["DESIGN.md#verdicts"])],
                    [new EvidenceRef("processes.csv", Row: 9)],
                    [new Finding("BND-NOT-COLLECTED", AnomalySeverity.Medium, "Binary not collected", "files.csv has no bundle copy for this path.", [new EvidenceRef("files.csv", Row: 6)])],
                    null),
            ],
            RecordBeforeCleanup:
            [
                new CleanupRecordRow(s(FakePath), "not signed (offline); host claimed Valid", s(@"svchost.exe (pid 1188, C:\Windows\System32\svchost.exe -k netsvcs -p -s Schedule)"), s("scheduled task " + TaskPath), "2026-02-27T22:41:09Z", [fakeProcess, fakeFile, task]),
            ],
            SameFolderFiles:
            [
                new FolderSiblings(s(@"C:\Users\alice\AppData\Roaming\Microsoft"),
                [
                    new SiblingFile(s(@"C:\Users\alice\AppData\Roaming\Microsoft\update.ps1"), "script", "0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6", new EvidenceRef("files.csv", Row: 5)),
                    new SiblingFile(s(@"C:\Users\alice\AppData\Roaming\Microsoft\winhelper.dll"), "executable", null, new EvidenceRef("files.csv", Row: 8))
                    {
                        // Reasons quote what a config file holds: attacker-written text.
                        Reason = s("config naming a mining pool (stratum+tcp://pool.example.invalid:3333)"),
                    },
                ]),
            ],
            Launchers:
            [
                new LauncherFinding("scheduled-task", s(TaskPath), s(@"C:\Windows\System32\Tasks\Microsoft\Windows\WinUpdateSvc"), s(@"cmd.exe /c start """" ""%APPDATA%\Microsoft\csrss.exe"""), s(FakePath), [s(FakePath)],
                    [new Finding("LNC-HIDDEN", AnomalySeverity.Medium, "Hidden task", "The task is marked Hidden and runs at logon.", [task])], task),
                new LauncherFinding("run-key", "OneDrive", @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run", "\"C:\\Users\\alice\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe\" /background", @"C:\Users\alice\AppData\Local\Microsoft\OneDrive\OneDrive.exe", [], [], new EvidenceRef("autoruns.json", Row: 0)),
            ],
            Actions:
            [
                new ActionItem("do", s("Remove the scheduled task " + TaskPath + " and then the fake copy."), s(FakePath)),
                new ActionItem("do", "Scan the folder of the fake copy and the files listed next to it.", s(@"C:\Users\alice\AppData\Roaming\Microsoft")),
                new ActionItem("do", "Collect the binary of the inconclusive copy and analyse again.", s(InconclusivePath)),
                new ActionItem("do-not", "Do not end or delete the System32 csrss.exe (pid 612 and 700): it is the real Windows process.", System32Path),
            ],
            AfterCleanup:
            [
                new ReportLine("Reboot twice and confirm that only the System32 csrss.exe instances remain."),
                new ReportLine(s("Check that the scheduled task " + TaskPath + " did not come back.")),
                new ReportLine("Review scheduled tasks, startup entries, browser extensions and recently installed programs."),
                new ReportLine("Keep Windows Security enabled."),
                new ReportLine("Change important passwords from a clean device if credentials were used while the fake ran."),
            ],
            ResourceUsage:
            [
                new ResourceUsageRow(4242, s("csrss.exe"), s(FakePath), 87.5, null, 48_234_496, fakeProcess),
                new ResourceUsageRow(1376, "dwm.exe", @"C:\Windows\System32\dwm.exe", 3.25, 34.5, 121_634_816, new EvidenceRef("processes.csv", Row: 5)),
                new ResourceUsageRow(8120, s("chrome.exe"), s(@"C:\Program Files\Google\Chrome\Application\chrome.exe"), 12, 18.75, 402_653_184, new EvidenceRef("processes.csv", Row: 12)),
            ],
            ProcessTrees:
            [
                new ProcessTreeView(4242,
                [
                    new ProcessTreeNode(0, 1188, 704, "svchost.exe", @"C:\Windows\System32\svchost.exe", 0, null, "Schedule service host"),
                    new ProcessTreeNode(1, 4242, 1188, s("csrss.exe"), s(FakePath), 1, "fake", null),
                    new ProcessTreeNode(2, 4388, 4242, s("conhost.exe"), @"C:\Windows\System32\conhost.exe", 1, null, null),
                ]),
                new ProcessTreeView(612,
                [
                    new ProcessTreeNode(0, 612, 540, "csrss.exe", System32Path, 0, "legitimate", "no living parent (smss.exe child exits after start)"),
                ]),
            ],
            NotCollected: ["certStores", s("binaries: " + InconclusivePath)],
            Anomalies:
            [
                new Anomaly("BND0002", AnomalySeverity.Low, s("Row has 11 fields, expected 12"), new EvidenceRef("processes.csv", Row: 14)),
                new Anomaly("PE0007", AnomalySeverity.Medium, s("Section table extends past the end of the file"), new EvidenceRef("binaries/9f2c1e0d.bin", Offset: 0x178)),
                new Anomaly("SIG0003", AnomalySeverity.High, "Host-reported signature status disagrees with the offline check", fakeFile),
            ])
        {
            HostContext = HostContext(s),
            RogueRoots = RogueRoots(s),
        };
    }

    /// <summary>A forged "Microsoft Root Certificate Authority 2011" that anchors the fake, and a Cyrillic-spelled one that anchors nothing.</summary>
    private static ImmutableArray<RogueRootFinding> RogueRoots(Func<string, string> s) =>
    [
        new RogueRootFinding(
            s("CN=Microsoft Root Certificate Authority 2011, O=Microsoft Corporation, L=Redmond, S=Washington, C=US"),
            "7B94EDE625E3811A09B71383235CA18913EEA0A7",
            "C8756976EADB6B2490B089B905AE3F3808AC457D5366F580FA114A659B5E12BF",
            "certstores/LocalMachine-Root.pem",
            @"LocalMachine\Root",
            AnomalySeverity.High,
            [s(FakePath)],
            @"Record it, then remove it from LocalMachine\Root (certutil -delstore Root 7B94EDE625E3811A09B71383235CA18913EEA0A7) and treat every file whose signature it anchors as unsigned",
            new EvidenceRef("certstores/LocalMachine-Root.pem", Offset: 0x842)),
        new RogueRootFinding(
            s("CN=Micr\u043Esoft Root Authority, O=Micr\u043Esoft"),
            "0123456789ABCDEF0123456789ABCDEF01234567",
            "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF",
            "certstores/LocalMachine-AuthRoot.pem",
            @"LocalMachine\AuthRoot",
            AnomalySeverity.Medium,
            [],
            @"Record it, then remove it from LocalMachine\AuthRoot (certutil -delstore AuthRoot 0123456789ABCDEF0123456789ABCDEF01234567)",
            new EvidenceRef("certstores/LocalMachine-AuthRoot.pem", Offset: 0)),
    ];

    /// <summary>Defender with tamper protection off and one detection of the fake, one recent program, two extensions.</summary>
    private static HostContextSection HostContext(Func<string, string> s)
    {
        var status = new DefenderStatus(true, true, true, false, s("Normal"), s("4.18.24090.11"), s("1.421.123.0"),
            new DateTimeOffset(2026, 2, 28, 22, 10, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 28, 12, 30, 45, TimeSpan.Zero), null,
            new EvidenceRef("defender.json", Detail: "status"));
        var detection = new DefenderDetection(s("{6F1D2C3B}"), "2147900001", s("Trojan:Win32/Masquerade.A"), s("Unknown"), s(@"WS-0147\alice"),
            [s("file:_" + FakePath)], new DateTimeOffset(2026, 2, 28, 21, 40, 0, TimeSpan.Zero), null, "1", false, new EvidenceRef("defender.json", Row: 0));
        var program = new InstalledProgram(s("Free PDF Tools"), s("3.1"), s("PDF Tools Ltd"), s("20260228"), new DateOnly(2026, 2, 28), null,
            s(@"C:\Users\alice\AppData\Local\FreePdfTools\uninstall.exe"), s(@"HKU\S-1-5-21-1\Software\Microsoft\Windows\CurrentVersion\Uninstall\FreePdfTools"),
            s(@"WS-0147\alice"), new EvidenceRef("programs.json", Row: 1));
        var extension = new BrowserExtension(s("Chrome"), s("alice"), s("Default"), s("aaaabbbbccccddddeeeeffffgggghhhh"), s("PDF Helper Pro"), s("1.2.0"),
            s(@"C:\Users\alice\AppData\Local\Google\Chrome\User Data\Default\Extensions\aaaabbbbccccddddeeeeffffgggghhhh\1.2.0_0"),
            [s("tabs"), s("<all_urls>")], new EvidenceRef("browser-extensions.json", Row: 0));
        var other = new BrowserExtension("Edge", s("admin"), null, s("iiiijjjjkkkkllllmmmmnnnnoooopppp"), null, null, null, [], new EvidenceRef("browser-extensions.json", Row: 1));
        return new HostContextSection(
            status,
            [new DetectionContextRow(detection, [s(FakePath)])],
            [new ProgramContextRow(program, [s("installed 2026-02-28, the same day the copy appeared"), "installed 2026-02-28, within 30 days before collection"], [s(FakePath)])],
            [new ExtensionContextRow(extension, [s(FakePath)]), new ExtensionContextRow(other, [])],
            [new Finding("CTX-DEFENDER-WEAKENED", AnomalySeverity.Medium, "Defender protection weakened", "Defender on the host reports that tamper protection is off.", [status.Source])]);
    }

    private static SignatureEvidence Signature(SignatureStatus status, SignatureSource source, string? signer, string? root, string? hostStatus) =>
        new(
            status,
            source,
            signer,
            signer is null ? null : "A1B2C3D4E5F60718293A4B5C6D7E8F9001122334",
            signer is null ? null : "CN=Microsoft Windows Production PCA 2011, O=Microsoft Corporation, C=US",
            root,
            root is null ? null : "DF545BF919A2439C36983B54CDFC903DFA4F37D3996D8D84B4C31EEC6F3C163E",
            null,
            null,
            null,
            hostStatus,
            [],
            []);
}
