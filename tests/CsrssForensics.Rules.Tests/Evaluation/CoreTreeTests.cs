using CsrssForensics.Core.Verdicts;
using static CsrssForensics.Rules.Tests.Evaluation.Contexts;

namespace CsrssForensics.Rules.Tests.Evaluation;

/// <summary>The generic tree, parameterised by the core-process table.</summary>
public sealed class CoreTreeTests
{
    private const string Svchost = @"C:\Windows\System32\svchost.exe";

    private readonly RuleSet _rules = RuleSet.LoadEmbedded();

    private static SubjectContext SvchostWith(string? commandLine, bool withParent = true, string path = Svchost)
    {
        var context = ProcessAt("svchost.exe", path, SignatureStatus.MicrosoftSigned, commandLine: commandLine, session: 0);
        return withParent ? context with { LivingParent = Process(680, "services.exe", @"C:\Windows\System32\services.exe", session: 0) } : context;
    }

    [Fact]
    public void Svchost_with_a_service_group_under_services_is_legitimate()
    {
        var outcome = _rules.Evaluate(SvchostWith(@"C:\Windows\system32\svchost.exe -k netsvcs -p -s Schedule"));

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal("CORE-050", outcome.Ids()[^1]);
        Assert.StartsWith("CORE-001", outcome.Ids()[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Svchost_without_a_service_group_is_suspicious()
    {
        var outcome = _rules.Evaluate(SvchostWith(@"C:\Windows\System32\svchost.exe"));

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-057", outcome.Ids()[^1]);
        Assert.Equal<string>(["CORE-CMDLINE-SHAPE"], outcome.Codes());
    }

    [Fact]
    public void Svchost_whose_required_parent_is_gone_is_suspicious()
    {
        var outcome = _rules.Evaluate(SvchostWith("svchost.exe -k LocalService", withParent: false));

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-055", outcome.Ids()[^1]);
    }

    [Fact]
    public void Svchost_from_SysWOW64_is_in_an_expected_folder()
    {
        var outcome = _rules.Evaluate(SvchostWith(@"C:\Windows\SysWOW64\svchost.exe -k LocalService", path: @"C:\Windows\SysWOW64\svchost.exe"));

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
    }

    [Fact]
    public void Service_entry_is_a_normal_launcher_for_svchost_but_a_Run_key_is_not()
    {
        var service = new LauncherLink("service", "Schedule", @"HKLM\SYSTEM\CurrentControlSet\Services\Schedule", @"%SystemRoot%\system32\svchost.exe -k netsvcs -p", Svchost, new("autoruns.json", Row: 3));
        var runKey = new LauncherLink("run-key", "svc", @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run", Svchost, Svchost, new("autoruns.json", Row: 4));
        var context = SvchostWith("svchost.exe -k netsvcs");

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(context with { Launchers = [service] }).Verdict);
        var outcome = _rules.Evaluate(context with { Launchers = [service, runKey] });
        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-054", outcome.Ids()[^1]);
        Assert.Equal("1", outcome.Facts["launchers.unexpectedCount"]);
    }

    [Theory]
    [InlineData(@"C:\Users\a\AppData\Roaming\Microsoft\Network\svchost.exe", Verdict.Fake, "CORE-066")]
    [InlineData(@"C:\Windows\System32\svch0st.exe", Verdict.Fake, "CORE-111")]
    [InlineData(@"C:\Users\a\AppData\Local\Temp\scvhost.exe", Verdict.Fake, "CORE-112")]
    public void Svchost_masquerades_are_fake_when_unsigned(string path, Verdict verdict, string leaf)
    {
        var name = path[(path.LastIndexOf('\\') + 1)..];
        var outcome = _rules.Evaluate(ProcessAt(name, path, SignatureStatus.NotSigned, commandLine: path));

        Assert.Equal(verdict, outcome.Verdict);
        Assert.Equal(leaf, outcome.Ids()[^1]);
    }

    [Fact]
    public void Explorer_lives_in_the_Windows_folder_not_System32()
    {
        var genuine = ProcessAt("explorer.exe", @"C:\Windows\explorer.exe", SignatureStatus.MicrosoftSigned, user: @"CORP\jdoe", commandLine: @"C:\Windows\Explorer.EXE");
        var inSystem32 = ProcessAt("explorer.exe", @"C:\Windows\System32\explorer.exe", SignatureStatus.MicrosoftSigned, user: @"CORP\jdoe");

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(genuine).Verdict);
        var outcome = _rules.Evaluate(inSystem32);
        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-071", outcome.Ids()[^1]);
    }

    [Fact]
    public void Explorer_started_by_Winlogon_shell_is_normal()
    {
        var shell = new LauncherLink("winlogon", "Shell", @"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon", "explorer.exe", @"C:\Windows\explorer.exe", new("autoruns.json", Row: 1));
        var context = ProcessAt("explorer.exe", @"C:\Windows\explorer.exe", SignatureStatus.MicrosoftSigned, user: @"CORP\jdoe") with { Launchers = [shell] };

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(context).Verdict);
    }

    [Fact]
    public void Lsass_under_wininit_is_legitimate_and_under_anything_else_suspicious()
    {
        var lsass = ProcessAt("lsass.exe", @"C:\Windows\System32\lsass.exe", SignatureStatus.MicrosoftSigned, session: 0);
        var wininit = Process(550, "wininit.exe", @"C:\Windows\System32\wininit.exe", session: 0);
        var cmd = Process(551, "cmd.exe", @"C:\Windows\System32\cmd.exe", session: 0);

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(lsass with { LivingParent = wininit }).Verdict);
        var outcome = _rules.Evaluate(lsass with { LivingParent = cmd });
        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Contains("CORE-PARENT-UNEXPECTED", outcome.Codes());
    }

    [Fact]
    public void Lsass_in_an_interactive_session_is_suspicious()
    {
        var wininit = Process(550, "wininit.exe", @"C:\Windows\System32\wininit.exe", session: 0);
        var lsass = ProcessAt("lsass.exe", @"C:\Windows\System32\lsass.exe", SignatureStatus.MicrosoftSigned, session: 1) with { LivingParent = wininit };

        var outcome = _rules.Evaluate(lsass);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-059", outcome.Ids()[^1]);
        Assert.Contains("CORE-SESSION-UNEXPECTED", outcome.Codes());
    }

    [Fact]
    public void Dwm_runs_as_its_window_manager_account()
    {
        var winlogon = Process(560, "winlogon.exe", @"C:\Windows\System32\winlogon.exe");
        var dwm = ProcessAt("dwm.exe", @"C:\Windows\System32\dwm.exe", SignatureStatus.MicrosoftSigned, user: @"Window Manager\DWM-1") with { LivingParent = winlogon };

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(dwm).Verdict);
        var asUser = dwm with { Process = dwm.Process! with { User = @"CORP\jdoe" } };
        Assert.Contains("CORE-ACCOUNT-UNEXPECTED", _rules.Evaluate(asUser).Codes());
    }

    [Fact]
    public void WmiPrvSE_belongs_in_wbem()
    {
        var inWbem = ProcessAt("WmiPrvSE.exe", @"C:\Windows\System32\wbem\WmiPrvSE.exe", SignatureStatus.MicrosoftSigned, session: 0);
        var inSystem32 = ProcessAt("WmiPrvSE.exe", @"C:\Windows\System32\WmiPrvSE.exe", SignatureStatus.NotSigned, session: 0);

        Assert.Equal(Verdict.Legitimate, _rules.Evaluate(inWbem).Verdict);
        Assert.Equal(Verdict.Fake, _rules.Evaluate(inSystem32).Verdict);
    }

    [Fact]
    public void Calc_renamed_taskhost_is_caught_by_its_version_resource()
    {
        var context = ProcessAt("taskhost.exe", @"C:\Windows\System32\taskhost.exe", SignatureStatus.MicrosoftSigned, user: @"CORP\jdoe", originalFilename: "CALC.EXE");

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Equal("CORE-053", outcome.Ids()[^1]);
        Assert.Equal("taskhost.exe", outcome.Facts["core.name"]);
    }

    [Fact]
    public void Kernel_System_process_without_an_image_is_legitimate()
    {
        var system = new SubjectContext(new Subject(SubjectKind.Process, "System", null, 4), Process(4, "System", null, parentPid: 0, session: 0),
            null, Signature(SignatureStatus.Unknown), null, null, false, [], [], [], [], Host());

        var outcome = _rules.Evaluate(system);

        Assert.Equal(Verdict.Legitimate, outcome.Verdict);
        Assert.Equal<string>(["CORE-001", "CORE-010", "CORE-014", "CORE-015"], outcome.Ids());
    }

    [Fact]
    public void Lsass_look_alike_is_fake()
    {
        var outcome = _rules.Evaluate(ProcessAt("lsas.exe", @"C:\ProgramData\lsas.exe", SignatureStatus.NotSigned));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Equal("lsass.exe", outcome.Facts["name.target"]);
        Assert.Equal("CORE-112", outcome.Ids()[^1]);
    }
}
