using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using static CsrssForensics.Rules.Tests.Evaluation.Contexts;

namespace CsrssForensics.Rules.Tests.Evaluation;

/// <summary>One test (or more) per branch of the seed's csrss decision tree.</summary>
public sealed class CsrssTreeTests
{
    private static readonly string[] _genuinePath =
        ["CORE-001", "CORE-010", "CORE-020", "CORE-030", "CORE-040", "CORE-041", "CORE-042", "CORE-043", "CORE-044", "CORE-045", "CORE-046", "CORE-047", "CORE-050"];

    private readonly RuleSet _rules = RuleSet.LoadEmbedded();

    private static SubjectContext InFolder(string path, SignatureStatus status) => ProcessAt("csrss.exe", path, status, commandLine: SubSystemsWindows);

    [Fact]
    public void Verdict_is_legitimate_for_System32_csrss_signed_by_Microsoft()
    {
        var outcome = _rules.Evaluate(GenuineCsrss());

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal<string>(_genuinePath, outcome.Ids());
        Assert.Empty(outcome.Findings);
        Assert.Contains("Do not end or delete", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("true", outcome.Facts["path.inExpectedFolder"]);
        Assert.Equal("MicrosoftSigned", outcome.Facts["signature.status"]);
    }

    [Fact]
    public void Two_genuine_instances_in_different_sessions_are_both_legitimate()
    {
        var session0 = GenuineCsrss(pid: 500, session: 0);
        var session1 = GenuineCsrss(pid: 600, session: 1);

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(session0).Verdict);
        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(session1).Verdict);
    }

    [Fact]
    public void Two_System32_csrss_in_the_same_session_are_suspicious()
    {
        var other = Process(701, "csrss.exe", System32Csrss, session: 1, commandLine: SubSystemsWindows);
        var context = GenuineCsrss() with { SameNameInSameSession = [other] };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-056", outcome.Ids()[^1]);
        var finding = Assert.Single(outcome.Findings, f => f.Code == "CORE-SESSION-DUPLICATE");
        Assert.Contains(other.Source, finding.Evidence);
    }

    [Fact]
    public void A_fake_in_the_same_session_does_not_taint_the_genuine_csrss_because_paths_are_compared()
    {
        var fake = Process(900, "csrss.exe", @"C:\Users\a\AppData\Roaming\csrss.exe", session: 1);
        var context = GenuineCsrss() with { SameNameInSameSession = [fake] };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal("0", outcome.Facts["process.sessionDuplicates"]);
    }

    [Fact]
    public void Verdict_is_inconclusive_when_System32_csrss_has_an_unknown_signature()
    {
        var context = GenuineCsrss() with { Signature = Signature(SignatureStatus.Unknown), Binary = null };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Inconclusive, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-010", "CORE-020", "CORE-030", "CORE-040", "CORE-051"], outcome.Ids());
        Assert.Contains("CORE-SIG-UNKNOWN", outcome.Codes());
    }

    [Theory]
    [InlineData(SignatureStatus.NotSigned)]
    [InlineData(SignatureStatus.SignedOther)]
    [InlineData(SignatureStatus.Invalid)]
    public void System32_csrss_not_signed_by_Microsoft_is_suspicious_with_offline_repair_advice(SignatureStatus status)
    {
        var context = GenuineCsrss() with { Signature = Signature(status) };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-010", "CORE-020", "CORE-030", "CORE-040", "CORE-052"], outcome.Ids());
        Assert.Contains("sfc /scannow", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("Do not delete", outcome.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Remove", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("CORE-SIG-NOT-MICROSOFT", outcome.Codes());
    }

    [Fact]
    public void Host_claim_of_a_valid_signature_is_reported_when_offline_verification_disagrees()
    {
        var context = GenuineCsrss() with { Signature = Signature(SignatureStatus.NotSigned, SignatureSource.Offline, hostStatus: "Valid") };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Contains("CORE-SIG-HOST-DISAGREES", outcome.Codes());
    }

    [Fact]
    public void Host_calling_an_attacker_rooted_Microsoft_named_signature_valid_is_a_disagreement()
    {
        // The host trusts a root the attacker added, so it reports the forged "Microsoft Windows" signer as Valid;
        // offline, against the pinned roots only, the same bytes are signed-other.
        var genuine = GenuineCsrss();
        var context = genuine with
        {
            File = genuine.File! with { HostSignature = new HostSignature("Valid", "Embedded", "CN=Microsoft Windows, O=Microsoft Corporation", null) },
            Signature = Signature(SignatureStatus.SignedOther, SignatureSource.OfflineEmbedded, hostStatus: "Valid"),
        };

        var outcome = _rules.Evaluate(context);

        Assert.NotEqual(Verdict.Legitimate, outcome.Verdict);
        Assert.Contains("CORE-SIG-HOST-DISAGREES", outcome.Codes());
    }

    [Theory]
    [InlineData(@"C:\Users\a\AppData\Roaming\csrss.exe", "AppData")]
    [InlineData(@"C:\Users\a\AppData\Local\Temp\csrss.exe", "Temp")]
    [InlineData(@"C:\Users\a\Downloads\csrss.exe", "Downloads")]
    [InlineData(@"C:\Users\a\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup\csrss.exe", "Startup")]
    [InlineData(@"C:\ProgramData\Windows\csrss.exe", "ProgramData")]
    [InlineData(@"C:\Users\Public\csrss.exe", "UsersPublic")]
    [InlineData(@"C:\Windows\Temp\csrss.exe", "WindowsTemp")]
    public void Verdict_is_fake_when_csrss_runs_unsigned_from_a_user_writable_folder(string path, string kind)
    {
        var outcome = _rules.Evaluate(InFolder(path, SignatureStatus.NotSigned));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-010", "CORE-020", "CORE-030", "CORE-060", "CORE-062", "CORE-063", "CORE-066"], outcome.Ids());
        Assert.Equal(kind, outcome.Facts["path.userWritableKind"]);
        Assert.Contains("CORE-PATH-USERWRITABLE", outcome.Codes());
        Assert.Contains("CORE-SIG-NOT-MICROSOFT", outcome.Codes());
        Assert.Contains("CORE-PATH-OUTSIDE", outcome.Codes());
    }

    [Fact]
    public void Verdict_is_fake_for_the_seed_example_csrss_in_AppData_started_by_a_scheduled_task()
    {
        var path = @"C:\Users\a\AppData\Roaming\csrss.exe";
        var task = Task(path);
        var context = InFolder(path, SignatureStatus.SignedOther) with { Launchers = [task] };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        var launcher = Assert.Single(outcome.Findings, f => f.Code == "CORE-LAUNCHER");
        Assert.Equal<EvidenceRef>([task.Evidence], launcher.Evidence);
        Assert.Contains(@"scheduled-task '\Updater'", launcher.Detail, StringComparison.Ordinal);
        Assert.Contains("launcher", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_signature_in_a_user_folder_is_suspicious_not_fake_because_evidence_is_missing()
    {
        var outcome = _rules.Evaluate(InFolder(@"C:\Users\a\AppData\Local\Temp\csrss.exe", SignatureStatus.Unknown));

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-065", outcome.Ids()[^1]);
        Assert.Contains("CORE-SIG-UNKNOWN", outcome.Codes());
    }

    [Fact]
    public void Microsoft_signed_binary_named_csrss_in_a_user_folder_is_suspicious()
    {
        var outcome = _rules.Evaluate(InFolder(@"C:\Users\a\Downloads\csrss.exe", SignatureStatus.MicrosoftSigned));

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-064", outcome.Ids()[^1]);
    }

    [Theory]
    [InlineData(SignatureStatus.NotSigned, Verdict.Fake, "CORE-073")]
    [InlineData(SignatureStatus.MicrosoftSigned, Verdict.Suspicious, "CORE-071")]
    [InlineData(SignatureStatus.Unknown, Verdict.Suspicious, "CORE-072")]
    public void Csrss_outside_System32_in_a_folder_that_is_not_user_writable(SignatureStatus status, Verdict verdict, string leaf)
    {
        var outcome = _rules.Evaluate(InFolder(@"C:\Program Files\Common Files\csrss.exe", status));

        Assert.Equal(verdict, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-010", "CORE-020", "CORE-030", "CORE-060", "CORE-062", "CORE-070", leaf], outcome.Ids());
        Assert.Contains("CORE-PATH-OUTSIDE", outcome.Codes());
    }

    [Theory]
    [InlineData(@"C:\Windows \System32\csrss.exe")]
    [InlineData(@"C:\Windows\System 32\csrss.exe")]
    [InlineData(@"C:\Windowss\System32\csrss.exe")]
    [InlineData(@"C:\Windows\System32.\csrss.exe")]
    [InlineData("C:\\W\u0456ndows\\System32\\csrss.exe")]
    public void Verdict_is_fake_when_csrss_runs_unsigned_from_a_mock_system_folder(string path)
    {
        var outcome = _rules.Evaluate(InFolder(path, SignatureStatus.NotSigned));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-010", "CORE-020", "CORE-021", "CORE-024"], outcome.Ids());
        Assert.Contains("CORE-PATH-MOCKFOLDER", outcome.Codes());
        Assert.Equal("false", outcome.Facts["path.inExpectedFolder"]);
    }

    [Theory]
    [InlineData(SignatureStatus.MicrosoftSigned, "CORE-022")]
    [InlineData(SignatureStatus.Unknown, "CORE-023")]
    public void Mock_folder_with_a_Microsoft_or_unknown_signature_is_suspicious(SignatureStatus status, string leaf)
    {
        var outcome = _rules.Evaluate(InFolder(@"C:\Windows \System32\csrss.exe", status));

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal(leaf, outcome.Ids()[^1]);
    }

    [Theory]
    [InlineData(@"C:\Users\a\AppData\Roaming\csrsss.exe", "CORE-112")]
    [InlineData(@"C:\Users\a\AppData\Local\Windows\csrs.exe", "CORE-112")]
    [InlineData(@"C:\Windows\System32\csrsss.exe", "CORE-111")]
    [InlineData("C:\\Windows\\System32\\\u0441srss.exe", "CORE-111")]
    [InlineData("C:\\Users\\a\\Downloads\\csrss.exe\u202Egpj.scr", "CORE-112")]
    [InlineData(@"C:\Users\Public\notes.txt:csrss.exe", "CORE-112")]
    [InlineData(@"C:\Users\a\Downloads\csrss.pdf.exe", "CORE-112")]
    public void Verdict_is_fake_for_an_unsigned_look_alike_of_csrss(string path, string leaf)
    {
        var name = path[(path.LastIndexOf('\\') + 1)..];
        var outcome = _rules.Evaluate(ProcessAt(name, path, SignatureStatus.NotSigned));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-100", "CORE-107", "CORE-110", leaf], outcome.Ids());
        Assert.Contains("CORE-NAME-LOOKALIKE", outcome.Codes());
        Assert.Equal("csrss.exe", outcome.Facts["name.target"]);
    }

    [Fact]
    public void Look_alike_with_unknown_signature_is_suspicious()
    {
        var outcome = _rules.Evaluate(ProcessAt("csrsss.exe", @"C:\Users\a\AppData\Roaming\csrsss.exe", SignatureStatus.Unknown));

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-100", "CORE-104"], outcome.Ids());
    }

    [Fact]
    public void Genuine_csrss_binary_copied_under_a_look_alike_name_is_suspicious()
    {
        var context = ProcessAt("cssrs.exe", @"C:\Users\a\AppData\Roaming\cssrs.exe", SignatureStatus.MicrosoftSigned, originalFilename: "CSRSS.Exe");

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-100", "CORE-101", "CORE-102"], outcome.Ids());
        Assert.Contains("CORE-VERSION-NAME-MISMATCH", outcome.Codes());
    }

    [Fact]
    public void Other_Microsoft_program_under_a_look_alike_name_is_suspicious()
    {
        var context = ProcessAt("scrss.exe", @"C:\Users\a\AppData\Roaming\scrss.exe", SignatureStatus.MicrosoftSigned, originalFilename: "CALC.EXE");

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-103", outcome.Ids()[^1]);
    }

    [Fact]
    public void Microsoft_program_whose_version_resource_names_itself_in_System32_only_resembles_a_core_name()
    {
        var context = ProcessAt("csrsx.exe", @"C:\Windows\System32\csrsx.exe", SignatureStatus.MicrosoftSigned, originalFilename: "CSRSX.EXE");

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-100", "CORE-101", "CORE-105", "CORE-106"], outcome.Ids());
    }

    [Theory]
    [InlineData(@"C:\Users\a\AppData\Roaming\csrsx.exe", "CSRSX.EXE")]
    [InlineData(@"C:\Windows\System32\csrsx.exe", null)]
    public void Microsoft_signed_look_alike_outside_system_folders_or_without_version_resource_stays_suspicious(string path, string? original)
    {
        var context = ProcessAt("csrsx.exe", path, SignatureStatus.MicrosoftSigned, originalFilename: original);

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-103", outcome.Ids()[^1]);
    }

    [Fact]
    public void Genuine_file_started_by_a_scheduled_task_is_suspicious_and_the_launcher_is_the_problem()
    {
        var task = Task(System32Csrss, @"\Microsoft\Windows\Csrss");
        var outcome = _rules.Evaluate(GenuineCsrss() with { Launchers = [task] });

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-054", outcome.Ids()[^1]);
        Assert.Contains("not the file", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal<string>(["CORE-LAUNCHER"], outcome.Codes());
    }

    [Fact]
    public void Living_parent_smss_from_System32_is_allowed()
    {
        var smss = Process(300, "smss.exe", @"C:\Windows\System32\smss.exe", parentPid: 4, session: 0);
        var outcome = _rules.Evaluate(GenuineCsrss() with { LivingParent = smss });

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal("true", outcome.Facts["process.parentAllowed"]);
    }

    [Theory]
    [InlineData("explorer.exe", @"C:\Windows\explorer.exe")]
    [InlineData("smss.exe", @"C:\Users\a\AppData\Roaming\smss.exe")]
    [InlineData("powershell.exe", @"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe")]
    public void Living_parent_other_than_System32_smss_is_suspicious(string parentName, string parentPath)
    {
        var parent = Process(1500, parentName, parentPath);
        var outcome = _rules.Evaluate(GenuineCsrss() with { LivingParent = parent });

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-010", "CORE-020", "CORE-030", "CORE-040", "CORE-041", "CORE-042", "CORE-043", "CORE-055"], outcome.Ids());
        var finding = Assert.Single(outcome.Findings);
        Assert.Equal("CORE-PARENT-UNEXPECTED", finding.Code);
        Assert.Contains(parent.Source, finding.Evidence);
    }

    [Fact]
    public void Reused_parent_pid_is_only_informative()
    {
        var outcome = _rules.Evaluate(GenuineCsrss() with { ParentPidReused = true });

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal(AnomalySeverity.Info, Assert.Single(outcome.Findings).Severity);
    }

    [Fact]
    public void Unexpected_child_of_csrss_is_suspicious()
    {
        var cmd = Process(2000, "cmd.exe", @"C:\Windows\System32\cmd.exe", parentPid: 700);
        var conhost = Process(2001, "conhost.exe", @"C:\Windows\System32\conhost.exe", parentPid: 700);
        var outcome = _rules.Evaluate(GenuineCsrss() with { Children = [cmd, conhost] });

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-058", outcome.Ids()[^1]);
        var finding = Assert.Single(outcome.Findings);
        Assert.Equal("CORE-CHILD-UNEXPECTED", finding.Code);
        Assert.Equal<EvidenceRef>([cmd.Source], finding.Evidence);
        Assert.Contains("cmd.exe", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Conhost_and_WerFault_children_are_normal()
    {
        var children = new[] { "conhost.exe", "WerFault.exe", "wermgr.exe" }
            .Select((n, i) => Process(3000 + i, n, @"C:\Windows\System32\" + n, parentPid: 700)).ToImmutableArray();

        var outcome = _rules.Evaluate(GenuineCsrss() with { Children = children });

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
    }

    [Fact]
    public void Command_line_that_differs_from_SubSystems_Windows_is_suspicious()
    {
        var process = GenuineCsrss().Process! with
        {
            CommandLine = SubSystemsWindows.Replace("ServerDll=sxssrv,4", "ServerDll=evil,4", StringComparison.Ordinal),
        };
        var outcome = _rules.Evaluate(GenuineCsrss() with { Process = process });

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-057", outcome.Ids()[^1]);
        Assert.Equal<string>(["CSR-CMDLINE-MISMATCH"], outcome.Codes());
    }

    [Fact]
    public void Command_line_comparison_ignores_whitespace_case_and_SystemRoot_expansion()
    {
        var expanded = "\"C:\\WINDOWS\\system32\\csrss.exe\"   " + SubSystemsWindows[(SubSystemsWindows.IndexOf(' ', StringComparison.Ordinal) + 1)..]
            .Replace(" ", "  ", StringComparison.Ordinal).Replace("Windows=On", "windows=on", StringComparison.Ordinal);
        var process = GenuineCsrss().Process! with { CommandLine = expanded };

        var outcome = _rules.Evaluate(GenuineCsrss() with { Process = process });

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal("true", outcome.Facts["process.commandLineExpected"]);
    }

    [Fact]
    public void Command_line_comparison_ignores_white_space_inside_values()
    {
        var spaced = SubSystemsWindows.Replace("SharedSection=1024,20480,768", "SharedSection=1024, 20480, 768", StringComparison.Ordinal);
        var process = GenuineCsrss().Process! with { CommandLine = spaced };

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(GenuineCsrss() with { Process = process }).Verdict);
    }

    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe", Verdict.Suspicious)]
    [InlineData(@"C:\Windows\System32\csrss.exe -o pool.example:3333 --donate-level 1", Verdict.Suspicious)]
    [InlineData(@"\??\C:\Windows\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1", Verdict.Legitimate)]
    public void Without_the_host_SubSystems_value_the_command_line_must_still_have_its_shape(string commandLine, Verdict verdict)
    {
        var context = GenuineCsrss() with { Host = Host(subSystems: null) };
        context = context with { Process = context.Process! with { CommandLine = commandLine } };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(verdict, outcome.Verdict);
        Assert.Equal(verdict == Verdict.Suspicious ? "false" : "true", outcome.Facts["process.commandLineExpected"]);
    }

    [Fact]
    public void File_description_other_than_Client_Server_Runtime_Process_is_reported()
    {
        var outcome = _rules.Evaluate(InFolder(@"C:\Users\a\AppData\Roaming\csrss.exe", SignatureStatus.NotSigned) with
        {
            Binary = Binary("xmrig.exe", description: "XMRig miner"),
        });

        Assert.Contains("CSR-DESCRIPTION-MISMATCH", outcome.Codes());
        Assert.Contains("CORE-VERSION-NAME-MISMATCH", outcome.Codes());
    }

    [Fact]
    public void Missing_command_line_of_a_protected_process_is_unknown_not_a_finding()
    {
        var process = GenuineCsrss().Process! with { CommandLine = null };
        var outcome = _rules.Evaluate(GenuineCsrss() with { Process = process });

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal("unknown", outcome.Facts["process.commandLineExpected"]);
        Assert.Contains(outcome.DecisionPath, s => s.NodeId == "CORE-045" && s.Answer.StartsWith("unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void Csrss_under_another_account_is_suspicious()
    {
        var process = GenuineCsrss().Process! with { User = @"CORP\jdoe" };
        var outcome = _rules.Evaluate(GenuineCsrss() with { Process = process });

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-059", outcome.Ids()[^1]);
        Assert.Contains("CORE-ACCOUNT-UNEXPECTED", outcome.Codes());
    }

    [Fact]
    public void Localized_SYSTEM_account_is_accepted()
    {
        var process = GenuineCsrss().Process! with { User = "NT-AUTORITÄT\\SYSTEM" };

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(GenuineCsrss() with { Process = process }).Verdict);
    }

    [Fact]
    public void Version_resource_of_another_program_in_System32_is_suspicious_with_repair_advice()
    {
        var outcome = _rules.Evaluate(GenuineCsrss() with { Binary = Binary("calc.exe") });

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-053", outcome.Ids()[^1]);
        Assert.Contains("CORE-VERSION-NAME-MISMATCH", outcome.Codes());
        Assert.Contains("sfc /scannow", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void High_GPU_of_the_genuine_csrss_is_a_symptom_elsewhere_not_a_masquerade()
    {
        var process = GenuineCsrss().Process! with { GpuPercent = 45 };
        var outcome = _rules.Evaluate(GenuineCsrss() with { Process = process });

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        var finding = Assert.Single(outcome.Findings);
        Assert.Equal("CORE-HIGH-RESOURCE-GENUINE", finding.Code);
        Assert.Equal(AnomalySeverity.Info, finding.Severity);
        Assert.Contains("drivers", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void High_CPU_from_a_non_Microsoft_path_is_a_finding()
    {
        var context = InFolder(@"C:\Users\a\AppData\Roaming\csrss.exe", SignatureStatus.NotSigned);
        context = context with { Process = context.Process! with { CpuPercent = 97 } };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Contains("CORE-HIGH-RESOURCE-NONMS", outcome.Codes());
        Assert.DoesNotContain("CORE-HIGH-RESOURCE-GENUINE", outcome.Codes());
    }

    [Fact]
    public void Copies_in_user_folders_are_reported_on_the_genuine_subject_without_changing_its_verdict()
    {
        var context = GenuineCsrss() with
        {
            SameNameCopies = [@"C:\Users\a\AppData\Roaming\csrss.exe", @"C:\Users\b\Downloads\csrsss.exe", @"C:\Windows\WinSxS\x\csrss.exe"],
        };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        var finding = Assert.Single(outcome.Findings);
        Assert.Equal("CORE-COPIES-USER-FOLDERS", finding.Code);
        Assert.Equal("2", outcome.Facts["copies.userWritableCount"]);
        Assert.DoesNotContain("WinSxS", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_csrss_file_is_a_finding()
    {
        var context = InFolder(@"C:\Users\a\AppData\Roaming\csrss.exe", SignatureStatus.NotSigned);
        context = context with { File = context.File! with { Size = 4_500_000 } };

        Assert.Contains("CORE-FILE-OVERSIZED", _rules.Evaluate(context).Codes());
    }

    [Fact]
    public void Missing_image_path_is_inconclusive()
    {
        var context = GenuineCsrss() with
        {
            Subject = new Subject(SubjectKind.Process, "csrss.exe", null, 700),
            Process = GenuineCsrss().Process! with { ImagePath = null },
            File = null,
            Signature = Signature(SignatureStatus.Unknown),
            Binary = null,
        };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Inconclusive, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-010", "CORE-014", "CORE-011", "CORE-013"], outcome.Ids());
        Assert.Contains("CORE-PATH-UNKNOWN", outcome.Codes());
    }

    [Fact]
    public void Missing_image_path_with_a_launcher_is_suspicious()
    {
        var context = GenuineCsrss() with
        {
            Subject = new Subject(SubjectKind.Process, "csrss.exe", null, 700),
            Process = GenuineCsrss().Process! with { ImagePath = null },
            File = null,
            Signature = Signature(SignatureStatus.Unknown),
            Launchers = [Task(@"C:\Users\a\AppData\Roaming\csrss.exe")],
        };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-012", outcome.Ids()[^1]);
    }

    [Fact]
    public void Process_listed_as_csrss_whose_image_has_another_name_is_judged_as_csrss()
    {
        var path = @"C:\Users\a\AppData\Local\Temp\svc.exe";
        var context = ProcessAt("csrss.exe", path, SignatureStatus.NotSigned) with
        {
            Subject = new Subject(SubjectKind.Process, "csrss.exe", path, 4242),
        };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Contains("CORE-PROCESS-NAME-MISMATCH", outcome.Codes());
    }

    [Fact]
    public void Microsoft_signed_csrss_file_in_the_component_store_is_legitimate()
    {
        var outcome = _rules.Evaluate(FileAt(@"C:\Windows\WinSxS\amd64_microsoft-windows-csrss_31bf3856ad364e35_10.0.22621.1_none_x\csrss.exe", SignatureStatus.MicrosoftSigned));

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal("CORE-061", outcome.Ids()[^1]);
    }

    [Fact]
    public void Csrss_process_running_from_the_component_store_is_suspicious()
    {
        var outcome = _rules.Evaluate(InFolder(@"C:\Windows\WinSxS\x\csrss.exe", SignatureStatus.MicrosoftSigned));

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-071", outcome.Ids()[^1]);
    }

    [Fact]
    public void System_root_comes_from_the_host_not_from_an_assumption()
    {
        var onD = ProcessAt("csrss.exe", @"D:\Windows\System32\csrss.exe", SignatureStatus.MicrosoftSigned,
            commandLine: SubSystemsWindows) with { Host = Host(systemRoot: @"D:\Windows") };
        var onDWithCRoot = onD with { Host = Host(systemRoot: @"C:\Windows") };

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(onD).Verdict);
        Assert.Equal(Verdict.Suspicious, _rules.Evaluate(onDWithCRoot).Verdict);
    }

    [Fact]
    public void NT_device_path_is_normalized_before_the_folder_check()
    {
        var context = GenuineCsrss() with
        {
            Process = GenuineCsrss().Process! with { ImagePath = @"\Device\HarddiskVolume3\Windows\System32\csrss.exe" },
            Subject = new Subject(SubjectKind.Process, "csrss.exe", @"\Device\HarddiskVolume3\Windows\System32\csrss.exe", 700),
        };

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(context).Verdict);
    }

    [Fact]
    public void Name_outside_the_rules_is_out_of_scope()
    {
        var outcome = _rules.Evaluate(ProcessAt("notepad.exe", @"C:\Windows\System32\notepad.exe", SignatureStatus.MicrosoftSigned));

        Assert.Equal(Verdict.Inconclusive, outcome.Verdict);
        Assert.Equal<string>(["OOS-001"], outcome.Ids());
        Assert.False(_rules.AppliesTo("notepad.exe"));
    }

    [Fact]
    public void Every_step_carries_references_and_the_facts_cover_the_closed_set()
    {
        var outcome = _rules.Evaluate(InFolder(@"C:\Users\a\AppData\Roaming\csrss.exe", SignatureStatus.NotSigned));

        Assert.All(outcome.DecisionPath, step => Assert.False(step.References.IsDefaultOrEmpty));
        Assert.Equal(Facts.FactNames.Types.Keys.Order(StringComparer.Ordinal), outcome.Facts.Keys);
        Assert.All(outcome.Findings, f => Assert.DoesNotContain("{", f.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public void Findings_carry_evidence_from_the_context()
    {
        var context = InFolder(@"C:\Users\a\AppData\Roaming\csrss.exe", SignatureStatus.NotSigned);

        var outcome = _rules.Evaluate(context);

        var path = Assert.Single(outcome.Findings, f => f.Code == "CORE-PATH-USERWRITABLE");
        Assert.Equal<EvidenceRef>([context.Process!.Source, context.File!.Source], path.Evidence);
        var signature = Assert.Single(outcome.Findings, f => f.Code == "CORE-SIG-NOT-MICROSOFT");
        Assert.Contains(new EvidenceRef("catalogs/nt5.cat", Offset: 0x40), signature.Evidence);
    }
}
