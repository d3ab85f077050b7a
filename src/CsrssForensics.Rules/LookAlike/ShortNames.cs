using static CsrssForensics.Rules.LookAlike.NameCleaning;

namespace CsrssForensics.Rules.LookAlike;

/// <summary>
/// Look-alikes of core names whose stem is shorter than four letters (<c>dwm</c>, <c>lsm</c>). Plain edit distance is
/// useless there: one free edit of a three-letter name reaches dozens of real programs (dsm, ism, lms, dwp, lsa). So
/// only what a reader cannot tell apart at a glance counts:
/// <list type="bullet">
/// <item>a letter replaced by its visual twin: a digit (<c>1sm</c>, per the digit table), upper-case <c>I</c> for
/// <c>l</c> (<c>Ism</c>; a lower-case <c>i</c> shows its dot, so <c>ism.exe</c> stays a different name),
/// <c>n</c> for <c>m</c> (<c>dwn</c>: one stroke short), Cyrillic <c>м</c> for <c>m</c>; other homoglyphs and the
/// <c>rn</c>/<c>vv</c> sequences are folded before this point;</item>
/// <item>one added character (a doubled letter as in <c>ddwm</c>, <c>lssm</c>, or any other) unless the result is a
/// real Windows name from the known-names table (checked before this point);</item>
/// <item>the affixes every core name gets (<c>dwm32</c>, <c>dwm_svc</c>).</item>
/// </list>
/// Never matched: a letter dropped (<c>dw</c>, <c>ls</c>), two letters swapped (<c>lms.exe</c> is Intel's Local
/// Manageability Service, <c>dmw</c>/<c>wdm</c> are too close to driver names), any other one-letter substitution.
/// </summary>
public sealed partial class LookAlikeMatcher
{
    private Candidate? MatchShort(Cleaned cleaned, Target target)
    {
        var stem = cleaned.Stem;
        var real = target.Stem;
        if (stem.Length == real.Length)
        {
            return SameLengthTwins(cleaned, target);
        }

        if (stem.Length == real.Length + 1 && IsOneInsertion(stem, real))
        {
            return new Candidate(target, stem, 1, cleaned.Techniques | Bit(LookAlikeTechnique.EditDistance));
        }

        return IsAffix(stem, real)
            ? new Candidate(target, stem, EditDistance.Osa(stem, real), cleaned.Techniques | Bit(LookAlikeTechnique.Affix))
            : null;
    }

    private Candidate? SameLengthTwins(Cleaned cleaned, Target target)
    {
        var stem = cleaned.Stem;
        var cased = cleaned.CasedStem.Length == stem.Length ? cleaned.CasedStem : stem;
        var real = target.Stem;
        var techniques = cleaned.Techniques;
        var distance = 0;
        for (var i = 0; i < stem.Length; i++)
        {
            if (stem[i] == real[i])
            {
                continue;
            }

            if (_confusables.DigitStandsFor(stem[i], real[i]))
            {
                techniques |= Bit(LookAlikeTechnique.DigitForLetter);
            }
            else if (IsLetterTwin(cased[i], real[i]))
            {
                techniques |= Bit(LookAlikeTechnique.EditDistance);
                distance++;
            }
            else
            {
                return null;
            }
        }

        // Equal stems were matched exactly before this point; a difference is needed for a look-alike.
        return techniques == cleaned.Techniques && distance == 0 ? null : new Candidate(target, stem, distance, techniques);
    }

    private static bool IsLetterTwin(char candidate, char real) => (candidate, real) switch
    {
        ('I', 'l') => true,
        ('n', 'm') or ('N', 'm') => true,
        ('\u043C', 'm') => true,
        _ => false,
    };

    private static bool IsOneInsertion(string longer, string shorter)
    {
        var i = 0;
        while (i < shorter.Length && longer[i] == shorter[i])
        {
            i++;
        }

        return longer.AsSpan(i + 1).SequenceEqual(shorter.AsSpan(i));
    }
}
