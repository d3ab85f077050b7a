using CsrssForensics.Rules.LookAlike;
using FsCheck;
using FsCheck.Xunit;

namespace CsrssForensics.Rules.Tests.LookAlike;

public sealed class LookAlikeMatcherTests
{
    private static readonly RuleSet _rules = RuleSet.LoadEmbedded();

    public static TheoryData<string, string> LookAlikes => new()
    {
        // csrss: typos and transpositions (OSA distance 1), affixes, tricks.
        { "csrsss.exe", "csrss.exe" },
        { "cssrs.exe", "csrss.exe" },
        { "csrs.exe", "csrss.exe" },
        { "scrss.exe", "csrss.exe" },
        { "crss.exe", "csrss.exe" },
        { "crsss.exe", "csrss.exe" },
        { "csrss32.exe", "csrss.exe" },
        { "csrss_1.exe", "csrss.exe" },
        { "csrss (2).exe", "csrss.exe" },
        { "csrss - Copy.exe", "csrss.exe" },
        { "csrss - Copy (3).exe", "csrss.exe" },
        { "svchost_x64.exe", "svchost.exe" },
        { "lsass-x86.exe", "lsass.exe" },
        { "taskhostsvc.exe", "taskhost.exe" },
        { "csrss_update.exe", "csrss.exe" },
        { "c5rss.exe", "csrss.exe" },
        { "csrss.scr", "csrss.exe" },
        { "csrss.com", "csrss.exe" },
        { "\u0441srss.exe", "csrss.exe" },
        { "csr\u0455\u0455.exe", "csrss.exe" },
        { "\uFF43\uFF53\uFF52\uFF53\uFF53.exe", "csrss.exe" },
        { "csrss.exe\u202Egpj.scr", "csrss.exe" },
        { "csrss .exe", "csrss.exe" },
        { "csrss     .exe", "csrss.exe" },
        { "csrss.exe.", "csrss.exe" },
        { "csrss.exe ", "csrss.exe" },
        { "csrss.exe.exe", "csrss.exe" },
        { "csrss.pdf.exe", "csrss.exe" },
        { "notes.txt:csrss.exe", "csrss.exe" },
        { "csrss.exe:$DATA", "csrss.exe" },
        { "csrss\u00A0.exe", "csrss.exe" },
        { "csr\u200Bss.exe", "csrss.exe" },
        { "CSRSS.EXE.", "csrss.exe" },
        { "csrss\u2800.exe", "csrss.exe" },

        // svchost
        { "svch0st.exe", "svchost.exe" },
        { "scvhost.exe", "svchost.exe" },
        { "svchosst.exe", "svchost.exe" },
        { "svhost.exe", "svchost.exe" },
        { "svchast.exe", "svchost.exe" },
        { "svjhost.exe", "svchost.exe" },
        { "svcchost.exe", "svchost.exe" },
        { "svchost.exe.exe", "svchost.exe" },
        { "sv\u0441host.exe", "svchost.exe" },
        { "svchost\u200D.exe", "svchost.exe" },
        { "svchost64.exe", "svchost.exe" },

        // lsass
        { "lsas.exe", "lsass.exe" },
        { "1sass.exe", "lsass.exe" },
        { "lssass.exe", "lsass.exe" },
        { "lsasss.exe", "lsass.exe" },
        { "Isass.exe", "lsass.exe" },
        { "lsaas.exe", "lsass.exe" },
        { "l5ass.exe", "lsass.exe" },
        { "\u0406sass.exe", "lsass.exe" },

        // the rest of the table
        { "winl0gon.exe", "winlogon.exe" },
        { "winlogin.exe", "winlogon.exe" },
        { "wlnlogon.exe", "winlogon.exe" },
        { "expl0rer.exe", "explorer.exe" },
        { "exploer.exe", "explorer.exe" },
        { "explorerr.exe", "explorer.exe" },
        { "smsss.exe", "smss.exe" },
        { "\u0455mss.exe", "smss.exe" },
        { "servicess.exe", "services.exe" },
        { "service.exe", "services.exe" },
        { "servlces.exe", "services.exe" },
        { "winint.exe", "wininit.exe" },
        { "wininnit.exe", "wininit.exe" },
        { "spoolsvc.exe", "spoolsv.exe" },
        { "spoolvs.exe", "spoolsv.exe" },
        { "dl1host.exe", "dllhost.exe" },
        { "dllhots.exe", "dllhost.exe" },
        { "c0nhost.exe", "conhost.exe" },
        { "conhots.exe", "conhost.exe" },
        { "taskhostww.exe", "taskhostw.exe" },
        { "dwmm.exe", "dwm.exe" },
        { "dvvm.exe", "dwm.exe" },
        { "\u0501wm.exe", "dwm.exe" },
        { "RuntimeBrokers.exe", "RuntimeBroker.exe" },
        { "RuntlmeBroker.exe", "RuntimeBroker.exe" },
        { "RuntimeBr0ker.exe", "RuntimeBroker.exe" },
        { "slhost.exe", "sihost.exe" },
        { "sihosst.exe", "sihost.exe" },
        { "lsalso.exe", "lsaiso.exe" },
        { "f0ntdrvhost.exe", "fontdrvhost.exe" },
        { "wmiprvsee.exe", "WmiPrvSE.exe" },
        { "userlnit.exe", "userinit.exe" },
        { "LogonUl.exe", "LogonUI.exe" },
    };

    // Real Windows file names: each must match nothing (or only itself when it is a core name).
    public static TheoryData<string> NotLookAlikes => new()
    {
        "cmd.exe", "lsm.dll", "csrsrv.dll", "winsrv.dll", "basesrv.dll", "sxssrv.dll", "wininet.dll", "winload.exe",
        "winver.exe", "services.msc", "svchost.exe.mui", "dwmapi.dll", "dashost.exe", "taskhostex.exe", "iexplore.exe", "sms.exe",
        "notepad.exe", "calc.exe", "mspaint.exe", "regedit.exe", "taskmgr.exe", "mmc.exe", "msiexec.exe", "rundll32.exe",
        "regsvr32.exe", "powershell.exe", "wscript.exe", "cscript.exe", "consent.exe", "ctfmon.exe", "dwwin.exe", "wmic.exe",
        "WmiApSrv.exe", "wmiadap.exe", "smartscreen.exe", "sihclient.exe", "dllhst3g.exe", "SearchIndexer.exe",
        "SearchProtocolHost.exe", "WerFault.exe", "wermgr.exe", "audiodg.exe", "lsass.exe.mui", "ntoskrnl.exe", "hal.dll",
        "kernel32.dll", "ntdll.dll", "user32.dll", "conhost.exe.mui", "msconfig.exe", "mstsc.exe", "logoff.exe", "logman.exe",
        "schtasks.exe", "tasklist.exe", "taskkill.exe", "sdclt.exe", "fontview.exe", "spoolss.dll", "lsasrv.dll", "sppsvc.exe",
        "sc.exe", "net.exe", "whoami.exe", "certutil.exe", "bitsadmin.exe", "csrstub.exe", "winlogon.exe.mui", "winrs.exe",
        "msra.exe", "dxgiadaptercache.exe", "searchhost.exe", "winresume.exe", "autochk.exe", "setupcl.exe", "userenv.dll",
        "sethc.exe", "cmstp.exe", "System.exe", "FsIso.exe", "secinit.exe", "SyncHost.exe", "SMSvcHost.exe", "BioIso.exe", "NgcIso.exe", "wuauclt.exe", "LockApp.exe", "ApplicationFrameHost.exe", "ShellExperienceHost.exe",
    };

    public static TheoryData<string> CoreNames => new(_rules.CoreProcesses.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public void Look_alike_matches_the_name_it_imitates(string candidate, string real)
    {
        var match = _rules.FindLookAlike(candidate);

        Assert.NotNull(match);
        Assert.Equal(real, match.RealName);
        Assert.False(match.IsExact);
        Assert.True(_rules.AppliesTo(candidate));
    }

    [Theory]
    [MemberData(nameof(NotLookAlikes))]
    public void Real_Windows_names_are_not_look_alikes(string name)
    {
        Assert.Null(_rules.FindLookAlike(name));
        Assert.False(_rules.AppliesTo(name));
    }

    [Theory]
    [MemberData(nameof(CoreNames))]
    public void Core_names_match_only_themselves(string name)
    {
        var match = _rules.FindLookAlike(name);

        Assert.NotNull(match);
        Assert.Equal(name, match.RealName);
        Assert.True(match.IsExact);
        Assert.Equal(0, match.Distance);
    }

    [Theory]
    [InlineData("csrss.exe", "lsass.exe")]
    [InlineData("lsass.exe", "csrss.exe")]
    [InlineData("svchost.exe", "sihost.exe")]
    [InlineData("sihost.exe", "svchost.exe")]
    [InlineData("taskhost.exe", "taskhostw.exe")]
    [InlineData("smss.exe", "lsass.exe")]
    [InlineData("lsaiso.exe", "lsass.exe")]
    public void Close_real_names_never_cross_match(string name, string other)
    {
        Assert.NotEqual(other, _rules.FindLookAlike(name)!.RealName);
        Assert.NotEqual(other, _rules.FindLookAlike(name.ToUpperInvariant())!.RealName);
    }

    [Theory]
    [InlineData("scrss.exe", LookAlikeTechnique.Transposition, 1)]
    [InlineData("csrsss.exe", LookAlikeTechnique.EditDistance, 1)]
    [InlineData("svch0st.exe", LookAlikeTechnique.DigitForLetter, 0)]
    [InlineData("\u0441srss.exe", LookAlikeTechnique.Homoglyph, 0)]
    [InlineData("csrss.exe\u202Egpj.scr", LookAlikeTechnique.BidiOverride, 0)]
    [InlineData("csrss .exe", LookAlikeTechnique.SpaceBeforeExtension, 0)]
    [InlineData("csrss.exe.", LookAlikeTechnique.TrailingDotOrSpace, 0)]
    [InlineData("csrss.pdf.exe", LookAlikeTechnique.DoubleExtension, 0)]
    [InlineData("x.txt:csrss.exe", LookAlikeTechnique.AlternateDataStream, 0)]
    [InlineData("csrss\u00A0.exe", LookAlikeTechnique.UnicodeSpace, 0)]
    [InlineData("csr\u200Bss.exe", LookAlikeTechnique.ZeroWidth, 0)]
    [InlineData("csrss.scr", LookAlikeTechnique.OtherExtension, 0)]
    [InlineData("csrss32.exe", LookAlikeTechnique.Affix, 2)]
    public void Technique_and_distance_are_reported(string candidate, LookAlikeTechnique technique, int distance)
    {
        var match = _rules.FindLookAlike(candidate)!;

        Assert.Contains(technique, match.Techniques);
        Assert.Equal(distance, match.Distance);
    }

    [Fact]
    public void Ambiguous_typo_goes_to_the_name_with_the_longer_shared_prefix()
    {
        Assert.Equal("svchost.exe", _rules.FindLookAlike("svhost.exe")!.RealName);
    }

    [Theory]
    [InlineData("csrss")]
    [InlineData("CSRSS.EXE")]
    [InlineData("CsRsS.eXe")]
    [InlineData(@"C:\Windows\System32\csrss.exe")]
    public void Exact_name_matches_in_any_case_with_or_without_extension_or_folder(string name)
    {
        var match = _rules.FindLookAlike(name)!;

        Assert.True(match.IsExact);
        Assert.Equal("csrss.exe", match.RealName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(".")]
    [InlineData("..exe")]
    [InlineData(":::::")]
    public void Degenerate_names_do_not_throw(string name)
    {
        var exception = Record.Exception(() => _rules.FindLookAlike(name));

        Assert.Null(exception);
    }

    [Fact]
    public void Lone_surrogates_do_not_throw()
    {
        var name = new string(['\uD800', 'c', 's', 'r', 's', 's', '.', 'e', 'x', 'e', '\uDC00']);

        Assert.Null(Record.Exception(() => _rules.FindLookAlike(name)));
    }

    [Fact]
    public void Very_long_names_are_capped_and_do_not_match()
    {
        Assert.Null(_rules.FindLookAlike(new string('a', 100_000) + ".exe"));
    }

    [Fact]
    public void Public_constructor_builds_a_matcher_for_any_name_list()
    {
        var matcher = new LookAlikeMatcher(["notepad.exe"], ["notepad2.exe"]);

        Assert.Equal("notepad.exe", matcher.Match("n0tepad.exe")!.RealName);
        Assert.Null(matcher.Match("notepad2.exe"));
        Assert.Null(matcher.Match("csrss.exe"));
    }

    [Property(MaxTest = 500)]
    public bool Match_never_throws(string? text)
    {
        _ = _rules.FindLookAlike(text!);
        _ = _rules.AppliesTo(text);
        return true;
    }

    [Property(MaxTest = 500)]
    public bool Real_names_match_themselves_with_distance_zero_in_any_case(NonNegativeInt index, int seed)
    {
        var names = _rules.CoreProcesses.Select(c => c.Name).ToArray();
        var name = names[index.Get % names.Length];
        var random = new Random(seed);
        var cased = new string(name.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToArray());

        var match = _rules.FindLookAlike(cased);

        return match is not null && match.IsExact && match.Distance == 0 && match.RealName == name;
    }

    [Property(MaxTest = 300)]
    public bool Any_unicode_text_with_a_core_name_inside_never_throws(string? prefix, string? suffix)
    {
        _ = _rules.FindLookAlike(prefix + "csrss" + suffix);
        return true;
    }
}
