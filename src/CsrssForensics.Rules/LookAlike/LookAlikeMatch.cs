using System.Collections.Immutable;

namespace CsrssForensics.Rules.LookAlike;

/// <summary>How a file name came to match a real core-process name.</summary>
public enum LookAlikeTechnique
{
    /// <summary>The name is the real name (case-insensitive); no trick at all.</summary>
    Exact,

    /// <summary>Letters inserted, deleted or replaced (optimal string alignment distance).</summary>
    EditDistance,

    /// <summary>Two neighbouring letters swapped (<c>scrss</c>, <c>cssrs</c>).</summary>
    Transposition,

    /// <summary>Digits standing in for letters (<c>svch0st</c>, <c>1sass</c>).</summary>
    DigitForLetter,

    /// <summary>Characters from other scripts that look like Latin letters (Cyrillic <c>с</c>), per UTS #39.</summary>
    Homoglyph,

    /// <summary>No-break or other Unicode spaces.</summary>
    UnicodeSpace,

    /// <summary>Zero-width or invisible characters.</summary>
    ZeroWidth,

    /// <summary>Right-to-left override or other bidirectional controls (<c>csrss.exe&#x202E;gpj.scr</c>).</summary>
    BidiOverride,

    /// <summary>A decoy extension before the real one (<c>csrss.pdf.exe</c>, <c>csrss.exe.exe</c>).</summary>
    DoubleExtension,

    /// <summary>Trailing dots or spaces, which Win32 strips (<c>csrss.exe.</c>).</summary>
    TrailingDotOrSpace,

    /// <summary>Spaces or underscores padding the name before the extension (<c>csrss .exe</c>).</summary>
    SpaceBeforeExtension,

    /// <summary>The name is an alternate data stream (<c>x.txt:csrss.exe</c>) or carries one.</summary>
    AlternateDataStream,

    /// <summary>The real base name with another executable extension (<c>csrss.scr</c>).</summary>
    OtherExtension,

    /// <summary>The real base name with a short numeric affix (<c>csrss32</c>, <c>csrss_1</c>).</summary>
    Affix,
}

/// <summary>A file name that is, or imitates, a real core-process name.</summary>
/// <param name="RealName">The real name it matches, as the rule table spells it (<c>csrss.exe</c>).</param>
/// <param name="Techniques">What was used, sorted; just <see cref="LookAlikeTechnique.Exact"/> for the real name.</param>
/// <param name="Distance">Edit distance between the cleaned base name and the real one (0 for exact and pure tricks).</param>
/// <param name="Candidate">The cleaned name that was compared (lower case, tricks removed).</param>
public sealed record LookAlikeMatch(string RealName, ImmutableArray<LookAlikeTechnique> Techniques, int Distance, string Candidate)
{
    /// <summary>True when the name is the real name itself, with no trick.</summary>
    public bool IsExact => Techniques.Length == 1 && Techniques[0] == LookAlikeTechnique.Exact;
}
