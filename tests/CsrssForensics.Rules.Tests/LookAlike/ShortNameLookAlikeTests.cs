using CsrssForensics.Rules.LookAlike;

namespace CsrssForensics.Rules.Tests.LookAlike;

/// <summary>Look-alikes of three-letter core names (dwm, lsm): what a reader cannot tell apart, and nothing more.</summary>
public sealed class ShortNameLookAlikeTests
{
    private static readonly RuleSet _rules = RuleSet.LoadEmbedded();

    public static TheoryData<string, string> Attacks => new()
    {
        // sequences that render as one letter (rn/m, vv/w), already folded for long names
        { "dwrn.exe", "dwm.exe" },
        { "dvvm.exe", "dwm.exe" },
        // one letter a stroke short, and Cyrillic em
        { "dwn.exe", "dwm.exe" },
        { "dw\u043C.exe", "dwm.exe" },
        { "ls\u043C.exe", "lsm.exe" },
        // one doubled letter, one added letter
        { "ddwm.exe", "dwm.exe" },
        { "dwwm.exe", "dwm.exe" },
        { "dwmm.exe", "dwm.exe" },
        { "lssm.exe", "lsm.exe" },
        { "llsm.exe", "lsm.exe" },
        { "lsmm.exe", "lsm.exe" },
        { "dwme.exe", "dwm.exe" },
        // digits and upper-case I for l
        { "1sm.exe", "lsm.exe" },
        { "l5m.exe", "lsm.exe" },
        { "Ism.exe", "lsm.exe" },
        { "ISM.EXE", "lsm.exe" },
        // homoglyphs from other scripts
        { "\u0501wm.exe", "dwm.exe" },
        { "d\u051Dm.exe", "dwm.exe" },
        { "\u0406sm.exe", "lsm.exe" },
        { "l\u0455m.exe", "lsm.exe" },
        // the tricks and affixes every core name gets
        { "dwm.exe ", "dwm.exe" },
        { "dwm32.exe", "dwm.exe" },
        { "dwm_svc.exe", "dwm.exe" },
        { "lsm.pdf.exe", "lsm.exe" },
        { "dwm\u200B.exe", "dwm.exe" },
    };

    // Real programs one edit from a short core name. Why each must stay unmatched:
    // dsm, ism, lsa, dwp, msm, pwm: plain letter substitutions that are not visual twins (a lower-case i shows its dot);
    // lms is Intel's Local Manageability Service (a transposition of lsm, and transpositions are not twins at three letters);
    // dw20 is Office's Dr. Watson (two edits); ls, dw are deletions (a dropped letter is visible at three letters);
    // sms is one deletion from smss, and three-letter candidates never match longer names by distance.
    public static TheoryData<string> RealNames => new()
    {
        "dsm.exe", "ism.exe", "lsa.exe", "dwp.exe", "dw20.exe", "dmw.exe", "wdm.exe", "lms.exe", "LMS.exe", "slm.exe",
        "ls.exe", "dw.exe", "sms.exe", "dwm.dll", "lsm.dll", "dwmapi.dll", "dwmcore.dll", "dwwin.exe", "msm.exe", "ssm.exe",
        "lsp.exe", "dism.exe", "ldm.exe", "pwm.exe", "awm.exe", "dxm.exe", "tsm.exe", "ism32.dll",
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Short_name_attack_matches_the_name_it_imitates(string candidate, string real)
    {
        var match = _rules.FindLookAlike(candidate);

        Assert.NotNull(match);
        Assert.Equal(real, match.RealName);
        Assert.False(match.IsExact);
    }

    [Theory]
    [MemberData(nameof(RealNames))]
    public void Real_names_near_short_core_names_are_not_look_alikes(string name)
    {
        Assert.Null(_rules.FindLookAlike(name));
    }

    [Theory]
    [InlineData("lsm.exe")]
    [InlineData("LSM")]
    [InlineData("dwm.exe")]
    public void Short_core_name_itself_is_exact(string name)
    {
        Assert.True(_rules.FindLookAlike(name)!.IsExact);
    }

    [Fact]
    public void Digit_and_twin_substitutions_are_named()
    {
        Assert.Contains(LookAlikeTechnique.DigitForLetter, _rules.FindLookAlike("1sm.exe")!.Techniques);
        Assert.Equal(0, _rules.FindLookAlike("1sm.exe")!.Distance);
        Assert.Equal(1, _rules.FindLookAlike("dwn.exe")!.Distance);
    }
}
