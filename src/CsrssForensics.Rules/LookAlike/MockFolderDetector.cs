using CsrssForensics.Rules.Caching;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Rules.LookAlike;

/// <summary>
/// Finds folders that imitate system folders: <c>C:\Windows \System32</c> (trailing space, which Win32 strips when it
/// opens the path but which makes a different directory), <c>System 32</c>, <c>Windowss</c>, or a Cyrillic letter in
/// <c>Windows</c>. Used for UAC bypass and DLL side-loading ("mocking trusted directories").
/// </summary>
internal sealed class MockFolderDetector
{
    private const int MaxCachedSegments = 16384;

    // The folders worth imitating, compared without spaces and in lower case.
    private static readonly string[] _targets = ["windows", "system32", "syswow64", "programfiles", "programfiles(x86)"];

    // Real folders one edit away from a target (none known today besides these); they are never mocks.
    private static readonly HashSet<string> _realFolders = new(StringComparer.Ordinal) { "system", "windows", "system32", "syswow64" };

    private readonly Confusables _confusables;
    private readonly CappedCache<bool> _verdicts = new(MaxCachedSegments);

    public MockFolderDetector(Confusables confusables) => _confusables = confusables;

    /// <summary>True when a folder of the raw path (not the file name) imitates a system folder.</summary>
    public bool IsMock(string? rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return false;
        }

        var text = rawPath.Length > 1024 ? rawPath[..1024] : rawPath;
        var cut = text.LastIndexOfAny(['\\', '/']);
        if (cut <= 0)
        {
            return false;
        }

        var folder = text[..cut];
        if (WindowsPath.HasTrailingDotOrSpace(folder))
        {
            return true;
        }

        var rest = folder.AsSpan();
        while (true)
        {
            var next = rest.IndexOfAny('\\', '/');
            if (IsMockSegmentCached(next < 0 ? rest : rest[..next]))
            {
                return true;
            }

            if (next < 0)
            {
                return false;
            }

            rest = rest[(next + 1)..];
        }
    }

    // Folder names repeat across a bundle (Windows, System32, Users...) and the check folds and compares each one:
    // remember the answer per name. The cap bounds memory for hostile input; past it a name is just checked again.
    private bool IsMockSegmentCached(ReadOnlySpan<char> segment)
    {
        if (segment.Length is 0 or > 64)
        {
            return false;
        }

        if (_verdicts.TryGet(segment, out var mock))
        {
            return mock;
        }

        var name = segment.ToString();
        mock = IsMockSegment(name);
        _verdicts.Add(name, mock);
        return mock;
    }

    private bool IsMockSegment(string segment)
    {
        if (segment.Length is 0 or > 64 || segment is "." or ".." or "?" or "??")
        {
            return false;
        }

        var lower = segment.ToLowerInvariant();
        var folded = _confusables.Fold(lower, out var homoglyph).ToLowerInvariant();
        var squeezed = new string(folded.Where(c => !char.IsWhiteSpace(c) && c is not ('\u200B' or '\u200C' or '\u200D' or '\uFEFF')).ToArray());
        foreach (var target in _targets)
        {
            if (string.Equals(squeezed, target, StringComparison.Ordinal))
            {
                // Same letters once spaces and homoglyphs are gone: a mock unless it is spelled exactly as Windows does.
                var canonical = target switch
                {
                    "programfiles" => "program files",
                    "programfiles(x86)" => "program files (x86)",
                    _ => target,
                };
                return homoglyph || !string.Equals(lower, canonical, StringComparison.Ordinal);
            }

            if (!_realFolders.Contains(squeezed) && squeezed.Length >= 5 && EditDistance.Osa(squeezed, target) == 1)
            {
                return true;
            }
        }

        return false;
    }
}
