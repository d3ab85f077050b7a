using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CsrssForensics.Rules.Caching;
using static CsrssForensics.Rules.LookAlike.NameCleaning;

namespace CsrssForensics.Rules.LookAlike;

/// <summary>
/// Tells whether a file name is a real core-process name or imitates one. Order matters and follows the research
/// notes: exact (case-insensitive) match first, so real names that sit close together (csrss/lsass, svchost/sihost,
/// taskhost/taskhostw) never cross-match; then the tricks that hide a real name (ADS, bidi controls, zero-width and
/// Unicode spaces, UTS #39 homoglyphs, trailing dots, padding, double extensions); then edit distance.
/// </summary>
public sealed partial class LookAlikeMatcher
{
    // Longer names cannot be within two edits of a core name; capping keeps hostile input cheap.
    private const int MaxNameLength = 512;
    private const int MaxStemLength = 64;
    private const int MinFuzzyLength = 4;

    // Names repeat heavily across files.csv (core.dll in every vendor folder); a hostile bundle of all-distinct names
    // stops filling the cache here and is matched uncached, so memory stays bounded.
    private const int MaxCachedNames = 65_536;

    private readonly FrozenDictionary<string, string> _exact;
    private readonly ImmutableArray<Target> _targets;
    private readonly FrozenDictionary<string, Target> _byStem;
    private readonly FrozenSet<string> _known;
    private readonly Confusables _confusables;
    private readonly CappedCache<LookAlikeMatch?> _cache = new(MaxCachedNames);

    /// <summary>Creates a matcher for <paramref name="realNames"/>; every one of them is also matched fuzzily.</summary>
    /// <param name="knownWindowsNames">Real Windows file names that are never reported as look-alikes (e.g. <c>dashost.exe</c>).</param>
    public LookAlikeMatcher(IEnumerable<string> realNames, IEnumerable<string>? knownWindowsNames = null)
        : this(realNames?.Select(n => (n, true)) ?? throw new ArgumentNullException(nameof(realNames)), knownWindowsNames, Confusables.Embedded)
    {
    }

    internal LookAlikeMatcher(IEnumerable<(string Name, bool Fuzzy)> realNames, IEnumerable<string>? knownWindowsNames, Confusables confusables)
    {
        _confusables = confusables;
        var exact = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var targets = ImmutableArray.CreateBuilder<Target>();
        foreach (var (name, fuzzy) in realNames)
        {
            exact[name] = name;
            var dot = name.LastIndexOf('.');
            var stem = (dot > 0 ? name[..dot] : name).ToLowerInvariant();
            var extension = dot > 0 ? name[(dot + 1)..].ToLowerInvariant() : string.Empty;

            // Process lists often drop ".exe" (Get-Process); the bare base name is the same process.
            exact.TryAdd(stem, name);
            targets.Add(new Target(name, stem, extension, fuzzy));
        }

        _exact = exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _targets = targets.ToImmutable();
        _byStem = _targets.GroupBy(t => t.Stem, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _known = (knownWindowsNames ?? []).Select(n => n.ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The real name <paramref name="fileName"/> is or imitates, or null. Accepts a bare name or a path (only the last
    /// segment is judged). Never throws on hostile text.
    /// </summary>
    public LookAlikeMatch? Match(string fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return null;
        }

        var name = LastSegment(fileName);
        if (name.Length > MaxNameLength)
        {
            name = name[..MaxNameLength];
        }

        // The answer depends on the last segment alone, so one edit-distance search per distinct name is enough.
        return _cache.GetOrAdd(name, MatchName);
    }

    private LookAlikeMatch? MatchName(string name)
    {
        if (_exact.TryGetValue(name, out var real))
        {
            return new LookAlikeMatch(real, [LookAlikeTechnique.Exact], 0, name.ToLowerInvariant());
        }

        Candidate? best = null;
        foreach (var (text, techniques) in Seeds(name))
        {
            var cleaned = Clean(text, techniques, _confusables);
            if (cleaned is null)
            {
                continue;
            }

            Consider(cleaned.Value, ref best);
            var folded = _confusables.FoldSequences(cleaned.Value.Stem, out var sequenceChanged);
            if (sequenceChanged)
            {
                Consider(cleaned.Value with { Stem = folded, CasedStem = folded, Techniques = cleaned.Value.Techniques | Bit(LookAlikeTechnique.Homoglyph) }, ref best);
            }
        }

        return best?.ToMatch();
    }

    private static string LastSegment(string text)
    {
        var cut = text.LastIndexOfAny(['\\', '/']);
        return cut < 0 ? text : text[(cut + 1)..];
    }

    private void Consider(Cleaned cleaned, ref Candidate? best)
    {
        var stem = cleaned.Stem;
        if (_byStem.TryGetValue(stem, out var same))
        {
            if (!same.Fuzzy)
            {
                // Exact-only names (System) are matched by the exact lookup alone; "System.exe" is another file.
                return;
            }

            var techniques = cleaned.Techniques;
            if (cleaned.Extension.Length > 0 && !string.Equals(cleaned.Extension, same.Extension, StringComparison.Ordinal))
            {
                techniques |= Bit(LookAlikeTechnique.OtherExtension);
            }

            if (techniques == 0)
            {
                techniques = Bit(LookAlikeTechnique.Exact);
            }

            Offer(new Candidate(same, stem, 0, techniques), ref best);
            return;
        }

        var fullName = cleaned.Extension.Length > 0 ? stem + "." + cleaned.Extension : stem;
        if (_known.Contains(fullName) || _known.Contains(stem + ".exe") || stem.Length > MaxStemLength)
        {
            return;
        }

        foreach (var target in _targets)
        {
            if (!target.Fuzzy)
            {
                continue;
            }

            if (target.Stem.Length < MinFuzzyLength)
            {
                // Three-letter names (dwm, lsm) have their own, narrower rules: see ShortNames.cs.
                if (MatchShort(cleaned, target) is { } shortCandidate)
                {
                    Offer(shortCandidate, ref best);
                }

                continue;
            }

            if (stem.Length < MinFuzzyLength)
            {
                continue;
            }

            var limit = target.Stem.Length < 6 ? 1 : 2;
            var affix = IsAffix(stem, target.Stem);
            if (!affix && Math.Abs(stem.Length - target.Stem.Length) > limit)
            {
                continue;
            }

            var plain = EditDistance.Osa(stem, target.Stem);
            var distance = _confusables.HasLetterDigit(stem) ? EditDistance.Osa(stem, target.Stem, _confusables.DigitStandsFor) : plain;
            var techniques = cleaned.Techniques;
            if (distance <= limit)
            {
                if (distance > 0)
                {
                    techniques |= Bit(LookAlikeTechnique.EditDistance);
                }

                if (distance < plain)
                {
                    techniques |= Bit(LookAlikeTechnique.DigitForLetter);
                }

                if (plain < EditDistance.Levenshtein(stem, target.Stem))
                {
                    techniques |= Bit(LookAlikeTechnique.Transposition);
                }

                Offer(new Candidate(target, stem, distance, techniques), ref best);
            }
            else if (affix)
            {
                Offer(new Candidate(target, stem, plain, techniques | Bit(LookAlikeTechnique.Affix)), ref best);
            }
        }
    }

    // csrss32, csrss_1, csrss-x64, 2csrss, the names Explorer gives copies ("csrss (2)", "csrss - copy",
    // "csrss - copy (3)"), and service-sounding tags attackers add (SUNSPOT's taskhostsvc.exe, ATT&CK T1036.005).
    private static bool IsAffix(string stem, string target)
    {
        if (stem.Length <= target.Length || target.Length < 3)
        {
            return false;
        }

        if (stem.StartsWith(target, StringComparison.Ordinal))
        {
            return SuffixTag().IsMatch(stem.AsSpan(target.Length));
        }

        if (stem.EndsWith(target, StringComparison.Ordinal))
        {
            var rest = stem.AsSpan(0, stem.Length - target.Length).TrimEnd("-_ ".AsSpan());
            return rest.Length is >= 1 and <= 2 && !rest.ContainsAnyExcept("0123456789".AsSpan());
        }

        return false;
    }

    // Non-backtracking rather than a time-out: linear on attacker-written names, and a loaded machine cannot make it fail.
    [GeneratedRegex(@"^(?:[-_ ]?(?:x?(?:32|64|86)|[0-9]{1,3}|svc|srv|service|update|updater|helper)|(?: - copy)?(?: ?\([0-9]{1,3}\))?)$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SuffixTag();

    private static void Offer(Candidate candidate, ref Candidate? best)
    {
        if (best is null || candidate.IsBetterThan(best))
        {
            best = candidate;
        }
    }

    private sealed record Target(string Name, string Stem, string Extension, bool Fuzzy);

    private sealed record Candidate(Target Target, string Stem, int Distance, int Techniques)
    {
        public bool IsBetterThan(Candidate other)
        {
            if (Distance != other.Distance)
            {
                return Distance < other.Distance;
            }

            // svhost is one edit from both svchost and sihost; the longer shared prefix says which one it copies.
            var prefix = CommonPrefix(Stem, Target.Stem);
            var otherPrefix = CommonPrefix(other.Stem, other.Target.Stem);
            if (prefix != otherPrefix)
            {
                return prefix > otherPrefix;
            }

            var techniques = BitCount(Techniques);
            var otherTechniques = BitCount(other.Techniques);
            if (techniques != otherTechniques)
            {
                return techniques < otherTechniques;
            }

            return string.CompareOrdinal(Target.Name, other.Target.Name) < 0;
        }

        public LookAlikeMatch ToMatch()
        {
            var list = ImmutableArray.CreateBuilder<LookAlikeTechnique>();
            foreach (var technique in Enum.GetValues<LookAlikeTechnique>())
            {
                if ((Techniques & Bit(technique)) != 0)
                {
                    list.Add(technique);
                }
            }

            return new LookAlikeMatch(Target.Name, list.ToImmutable(), Distance, Stem);
        }

        private static int CommonPrefix(string a, string b)
        {
            var n = 0;
            while (n < a.Length && n < b.Length && a[n] == b[n])
            {
                n++;
            }

            return n;
        }

        private static int BitCount(int value) => System.Numerics.BitOperations.PopCount((uint)value);
    }
}
