namespace CsrssForensics.Windows.Paths;

/// <summary>
/// The one normalizer for every Windows path found in a bundle, plus small helpers built on it.
/// Works on text only: it never touches the file system, so it behaves the same on every OS.
/// </summary>
/// <remarks>
/// <para>What <see cref="Normalize(string?, string?)"/> does, in order:</para>
/// <list type="number">
/// <item>trims padding and surrounding double quotes (an unbalanced leading quote is dropped too). Spaces that end the
/// path itself are kept (<c>csrss.exe </c> is another file than <c>csrss.exe</c> on NTFS, and the report must name the
/// one that exists): inside quotes, or directly after an unquoted path; tabs and line breaks are padding;</item>
/// <item>expands <c>%Var%</c> once (no recursion): machine variables (<c>SystemRoot</c>, <c>windir</c>, <c>SystemDrive</c>,
/// <c>ProgramData</c>, <c>ALLUSERSPROFILE</c>, <c>ProgramFiles</c>, <c>ProgramW6432</c>, <c>ProgramFiles(x86)</c>,
/// <c>CommonProgramFiles</c>, <c>CommonProgramFiles(x86)</c>, <c>CommonProgramW6432</c>, <c>PUBLIC</c>, <c>ComSpec</c>) from their
/// Windows defaults on the system drive; user variables (<c>TEMP</c>, <c>TMP</c>, <c>APPDATA</c>, <c>LOCALAPPDATA</c>,
/// <c>USERPROFILE</c>, <c>HOMEPATH</c>, <c>USERNAME</c>...) only from the caller's dictionary, otherwise left as
/// written so that a caller can still tell what they name;</item>
/// <item>turns <c>/</c> into <c>\</c>;</item>
/// <item>strips the NT and Win32 device prefixes <c>\??\</c>, <c>\\?\</c>, <c>\\.\</c> (with <c>UNC\</c> and
/// <c>GLOBALROOT\</c>), maps <c>\Device\HarddiskVolumeN\</c> to <c>C:\</c> (the bundle does not say which volume is
/// which; the system volume is by far the common case, so this is an assumption, not a fact),
/// <c>\Device\Mup\</c> to <c>\\</c>, <c>\SystemRoot\</c> and a leading <c>SystemRoot\</c> or <c>System32\</c>
/// (as in driver <c>ImagePath</c> values) to the system root;</item>
/// <item>collapses repeated separators, drops <c>.</c>, resolves <c>..</c> (never above the root). Trailing dots
/// and spaces of a segment are KEPT: bundle paths come from the file system and the kernel, where
/// <c>C:\Windows \System32</c> (the "mock folder" trick, made through <c>\\?\</c> paths) is a different folder
/// from <c>C:\Windows\System32</c>. Trimming them as Win32 path parsing does would merge the fake with the real
/// component. <see cref="HasTrailingDotOrSpace"/> tells callers the trick is there.</item>
/// </list>
/// <para>Casing is kept for display; compare with <see cref="Key"/>. The drive letter is upper-cased.</para>
/// </remarks>
public static class WindowsPath
{
    // Characters the full normalizer would change or interpret: quotes, variables, '/', and control characters
    // (tabs and line breaks are padding).
    private static readonly System.Buffers.SearchValues<char> _notInNormalPath = System.Buffers.SearchValues.Create(
        "\"%/\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    /// <summary>Windows' default system root, used when the bundle does not say.</summary>
    public const string DefaultSystemRoot = @"C:\Windows";

    /// <summary>Normalizes <paramref name="raw"/>; null when it is null or holds no path.</summary>
    /// <param name="systemRoot">The host's <c>%SystemRoot%</c> (from host.json); <see cref="DefaultSystemRoot"/> if null.</param>
    public static string? Normalize(string? raw, string? systemRoot = null) => Normalize(raw, systemRoot, null);

    /// <summary>Normalizes <paramref name="raw"/> with user variables known (e.g. <c>APPDATA</c>, <c>TEMP</c>, <c>USERPROFILE</c>).</summary>
    /// <param name="environment">Variable name (without %) to value; looked up case-insensitively and before the machine defaults.</param>
    public static string? Normalize(string? raw, string? systemRoot, IReadOnlyDictionary<string, string>? environment)
    {
        if (raw is null)
        {
            return null;
        }

        if (IsAlreadyNormal(raw))
        {
            return raw;
        }

        var text = PathPadding.StripQuotes(raw);
        if (text.Length == 0)
        {
            return null;
        }

        var root = ResolveSystemRoot(systemRoot);
        text = PathVariables.Expand(text, root, environment);
        text = text.Replace('/', '\\');

        // Prefixes can be stacked ("\??\\??\C:\x") or appear once ".." is resolved ("x\..\SystemRoot\y"), so strip
        // and canonicalize until nothing changes; the bound keeps hostile input cheap.
        for (var pass = 0; pass < 8; pass++)
        {
            var next = PathCanonicalizer.Canonicalize(DevicePrefixes.Strip(PathPadding.StripQuotes(text), root));
            if (next is null || next == text)
            {
                return next;
            }

            text = next;
        }

        return text;
    }

    /// <summary>
    /// True when any segment of the raw path ends with a dot or a space (<c>C:\Windows \System32</c>,
    /// <c>csrss.exe.</c>): Win32 trims those, so a folder named that way looks like the real one once normalized.
    /// </summary>
    public static bool HasTrailingDotOrSpace(string? raw)
    {
        if (raw is null)
        {
            return false;
        }

        // Walks the segments in place (no Split): this runs for every path of every subject.
        var rest = PathPadding.StripQuotes(raw).AsSpan();
        while (true)
        {
            var cut = rest.IndexOfAny('\\', '/');
            var segment = cut < 0 ? rest : rest[..cut];
            if (EndsWithDotOrSpace(segment))
            {
                return true;
            }

            if (cut < 0)
            {
                return false;
            }

            rest = rest[(cut + 1)..];
        }

        static bool EndsWithDotOrSpace(ReadOnlySpan<char> segment) =>
            segment is not ([] or "." or ".." or "?" or "??") && segment[^1] is '.' or ' ';
    }

    /// <summary>The comparison key of a normalized path: upper-case invariant, compare ordinally.</summary>
    public static string Key(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);

        // With invariant globalization ToUpperInvariant goes char by char; almost every path is ASCII, where invariant
        // upper case is exactly a-z -> A-Z, so the vectorized ASCII routine gives the same text much faster.
        if (!System.Text.Ascii.IsValid(normalized))
        {
            return normalized.ToUpperInvariant();
        }

        if (!normalized.AsSpan().ContainsAnyInRange('a', 'z'))
        {
            return normalized;
        }

        return string.Create(normalized.Length, normalized, static (upper, text) => System.Text.Ascii.ToUpper(text, upper, out _));
    }

    /// <summary>
    /// The last segment of the normalized path (<c>csrss.exe</c>), or null. Normalizes with the default system root:
    /// pass an already normalized path when the host's system root is not <c>C:\Windows</c>.
    /// </summary>
    public static string? FileName(string? path) => Normalize(path) is { } normalized ? FileNameOfNormalized(normalized) : null;

    /// <summary>
    /// <see cref="FileName"/> of a path that <see cref="Normalize(string?, string?)"/> returned as it was given (the
    /// same instance, so already normal): not normalized again. Hot loops over every files.csv row use it.
    /// </summary>
    public static string? FileNameOfNormalized(string normalized)
    {
        var start = FileNameStartOfNormalized(normalized);
        return start < 0 ? null : start == 0 ? normalized : normalized[start..];
    }

    /// <summary>
    /// Where the suffix of <paramref name="normalized"/> starts that <see cref="FileNameOfNormalized"/> returns, or -1
    /// when that is null.
    /// </summary>
    public static int FileNameStartOfNormalized(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var start = normalized.LastIndexOf('\\') + 1;
        return start == normalized.Length ? -1 : start;
    }

    /// <summary>
    /// The folder of the normalized path (<c>C:\Windows\System32</c>; <c>C:\</c> for a file at the root), or null.
    /// Normalizes with the default system root, like <see cref="FileName"/>.
    /// </summary>
    public static string? Directory(string? path) => Normalize(path) is { } normalized ? DirectoryOfNormalized(normalized) : null;

    /// <summary><see cref="Directory"/> of an already normal path, as <see cref="FileNameOfNormalized"/>.</summary>
    public static string? DirectoryOfNormalized(string normalized)
    {
        var length = DirectoryLengthOfNormalized(normalized);
        return length < 0 ? null : normalized[..length];
    }

    /// <summary>
    /// How long the prefix of <paramref name="normalized"/> is that <see cref="DirectoryOfNormalized"/> returns (it is
    /// always a prefix), or -1 when that is null: hot loops key on the slice instead of a new string.
    /// </summary>
    public static int DirectoryLengthOfNormalized(string normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var cut = normalized.LastIndexOf('\\');
        if (cut < 0 || cut == normalized.Length - 1)
        {
            return -1;
        }

        if (cut == 2 && normalized[1] == ':')
        {
            return 3;
        }

        if (cut == 0)
        {
            // The root "\": the path's own first character.
            return 1;
        }

        // \\server (from \\server\share\x cut at the share) is not a folder on its own.
        return cut >= 2 && normalized[0] == '\\' && normalized[1] == '\\' && normalized.AsSpan(2, cut - 2).IndexOf('\\') < 0 ? -1 : cut;
    }

    /// <summary>True when <paramref name="path"/> lies strictly inside <paramref name="folder"/> (any depth), after normalizing both.</summary>
    public static bool IsUnder(string? path, string? folder)
    {
        var p = Normalize(path);
        var f = Normalize(folder);
        if (p is null || f is null)
        {
            return false;
        }

        var pk = Key(p);
        var fk = Key(f);
        if (!fk.EndsWith('\\'))
        {
            fk += '\\';
        }

        return pk.Length > fk.Length && pk.StartsWith(fk, StringComparison.Ordinal);
    }

    /// <summary>
    /// True when the file sits directly in <c>&lt;systemRoot&gt;\System32</c> (not a sub-folder, not SysWOW64).
    /// False when the raw text uses the trailing dot/space trick, since that folder is not the real System32.
    /// </summary>
    public static bool IsSystem32(string? path, string? systemRoot = null)
    {
        if (HasTrailingDotOrSpace(path))
        {
            return false;
        }

        var directory = Directory(path);
        if (directory is null)
        {
            return false;
        }

        var system32 = ResolveSystemRoot(systemRoot) + @"\System32";
        return string.Equals(Key(directory), Key(system32), StringComparison.Ordinal);
    }

    private static string ResolveSystemRoot(string? systemRoot)
    {
        if (string.IsNullOrWhiteSpace(systemRoot))
        {
            return DefaultSystemRoot;
        }

        var text = PathPadding.StripQuotes(systemRoot).Replace('/', '\\');

        // The system root must itself be a drive-rooted path; anything else (including a hostile %SystemRoot%
        // pointing at itself) falls back to the default rather than recursing.
        if (text.Length < 3 || !char.IsAsciiLetter(text[0]) || text[1] != ':' || text[2] != '\\')
        {
            return DefaultSystemRoot;
        }

        return PathCanonicalizer.Canonicalize(text) ?? DefaultSystemRoot;
    }

    /// <summary>
    /// Fast path: most bundle paths are already what <see cref="Normalize(string?, string?)"/> returns (an upper-case
    /// drive, <c>\</c> separators, no quotes, variables, padding, empty, <c>.</c> or <c>..</c> segments); such a
    /// path is returned as it is instead of being split and rebuilt. Anything else takes the full path, so the
    /// result is the same either way.
    /// </summary>
    private static bool IsAlreadyNormal(string raw)
    {
        if (raw.Length < 4 || !char.IsAsciiLetterUpper(raw[0]) || raw[1] != ':' || raw[2] != '\\'
            || raw[^1] == '\\' || char.IsWhiteSpace(raw[^1]))
        {
            return false;
        }

        var span = raw.AsSpan(3);
        if (span[0] == '\\' || span.IndexOfAny(_notInNormalPath) >= 0 || span.Contains(@"\\", StringComparison.Ordinal))
        {
            return false;
        }

        // A "." or ".." segment: a dot right after a separator (or at the start) followed by an optional dot and then
        // a separator or the end.
        for (var dot = span.IndexOf('.'); dot >= 0; dot = NextDot(span, dot))
        {
            if (dot == 0 || span[dot - 1] == '\\')
            {
                var after = dot + 1 < span.Length && span[dot + 1] == '.' ? dot + 2 : dot + 1;
                if (after == span.Length || span[after] == '\\')
                {
                    return false;
                }
            }
        }

        return true;

        static int NextDot(ReadOnlySpan<char> text, int from)
        {
            var next = text[(from + 1)..].IndexOf('.');
            return next < 0 ? -1 : from + 1 + next;
        }
    }
}
