using System.Text.RegularExpressions;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>One program a script names as something it starts, with the 1-based line that names it.</summary>
internal sealed record ScriptStart(string Path, int Line);

/// <summary>
/// Finds the programs a batch, PowerShell, VBScript, JScript, WSF or HTA file starts, from its text alone: every
/// quoted string or bare token on a non-comment line that names a file ending in .exe, .com or .scr (and .dll on a
/// line that runs rundll32 or regsvr32). This covers <c>start</c>, <c>call</c>, <c>Start-Process</c>, <c>&amp; "x"</c>,
/// <c>WScript.Shell.Run</c> and a plain path at the start of a line without parsing each language. Nothing is
/// executed; one pass over the text, so the cost is linear in its size.
/// </summary>
internal static partial class ScriptStarts
{
    /// <summary>Most programs taken from one script; the rest are ignored (a script is not a file list).</summary>
    public const int MaxStarts = 32;

    /// <summary>Most names of programs resolved in one script, found or not.</summary>
    public const int MaxCandidates = 4096;

    private static readonly HashSet<string> _scriptExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf", "hta",
    };

    /// <summary>True when the path ends in an extension this class reads (.bat, .cmd, .ps1, .vbs, .vbe, .js, .jse, .wsf, .hta).</summary>
    public static bool IsScript(string? path) => Extension(path) is { } extension && _scriptExtensions.Contains(extension);

    /// <summary>
    /// The programs <paramref name="text"/> starts, resolved against the script's own folder (<c>%~dp0</c>,
    /// <c>$PSScriptRoot</c>, relative names) and its owner's profile (<c>%APPDATA%</c>, <c>$env:APPDATA</c>), each once,
    /// in text order, never the script itself. A bare file name counts only when <paramref name="isKnownFile"/> knows
    /// it in the script's folder (a relative one too), so <c>ping.exe</c> or <c>timeout.exe</c> in a batch file are not taken as its payload.
    /// </summary>
    public static List<ScriptStart> Find(string text, string scriptPath, string systemRoot, Func<string, bool> isKnownFile)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<ScriptStart>();
        var folder = WindowsPath.Directory(scriptPath);
        if (folder is null)
        {
            return result;
        }

        var extension = Extension(scriptPath)?.ToLowerInvariant() ?? string.Empty;
        var environment = ProfileEnvironment(scriptPath);
        var seen = new HashSet<string>(StringComparer.Ordinal) { WindowsPath.Key(scriptPath) };
        var lineNumber = 0;
        var resolved = 0;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = rawLine.Trim().TrimStart('@').ToString();
            if (line.Length == 0 || IsComment(line, extension))
            {
                continue;
            }

            if (extension is "js" or "jse" or "wsf" or "hta")
            {
                line = line.Replace(@"\\", @"\", StringComparison.Ordinal);
            }

            var loadsDll = line.Contains("rundll32", StringComparison.OrdinalIgnoreCase)
                || line.Contains("regsvr32", StringComparison.OrdinalIgnoreCase);
            if (!NamesAnyProgram(line, loadsDll))
            {
                continue;
            }

            foreach (Match token in TokenPattern().Matches(line))
            {
                foreach (var candidate in Candidates(token.Value))
                {
                    if (!NamesProgram(candidate, loadsDll))
                    {
                        continue;
                    }

                    // Resolving is the costly step: a script repeating one path a hundred thousand times stops here.
                    if (++resolved > MaxCandidates)
                    {
                        return result;
                    }

                    if (Resolve(candidate, folder, systemRoot, environment, isKnownFile) is not { } path
                        || !seen.Add(WindowsPath.Key(path)))
                    {
                        continue;
                    }

                    result.Add(new ScriptStart(path, lineNumber));
                    if (result.Count >= MaxStarts)
                    {
                        return result;
                    }
                }
            }
        }

        return result;
    }

    // A quoted string is a candidate itself; when it holds a whole command ("cmd /c C:\x\a.exe"), its words are too.
    private static IEnumerable<string> Candidates(string token)
    {
        if (token.Length >= 2 && token[0] is '"' or '\'' && token[^1] == token[0])
        {
            var inner = token[1..^1].Trim();
            if (!inner.Contains(' ', StringComparison.Ordinal))
            {
                yield return inner;
                yield break;
            }

            // "C:\Program Files\x\a.exe" is one path; "start /b C:\x\a.exe" or "x.exe -q" is a command: its words are.
            if (IsAbsolute(inner) && !inner.Contains(" /", StringComparison.Ordinal) && !inner.Contains(" -", StringComparison.Ordinal))
            {
                yield return inner;
            }

            foreach (Match word in TokenPattern().Matches(inner))
            {
                yield return word.Value.Trim('"', '\'');
            }

            yield break;
        }

        yield return token;
    }

    // A quick ordinal look before tokenizing: most lines of a script name no program at all.
    private static bool NamesAnyProgram(string line, bool loadsDll) =>
        line.Contains(".exe", StringComparison.OrdinalIgnoreCase)
        || line.Contains(".com", StringComparison.OrdinalIgnoreCase)
        || line.Contains(".scr", StringComparison.OrdinalIgnoreCase)
        || (loadsDll && line.Contains(".dll", StringComparison.OrdinalIgnoreCase));

    private static bool NamesProgram(string candidate, bool loadsDll)
    {
        var extension = Extension(candidate);
        return extension is not null
            && (extension.Equals("exe", StringComparison.OrdinalIgnoreCase)
                || extension.Equals("com", StringComparison.OrdinalIgnoreCase)
                || extension.Equals("scr", StringComparison.OrdinalIgnoreCase)
                || (loadsDll && extension.Equals("dll", StringComparison.OrdinalIgnoreCase)));
    }

    private static string? Resolve(
        string candidate, string folder, string systemRoot, Dictionary<string, string>? environment, Func<string, bool> isKnownFile)
    {
        var text = ScriptFolderPattern().Replace(candidate, folder + @"\");
        text = PowerShellEnvironmentPattern().Replace(text, m => "%" + m.Groups["name"].Value + "%");
        if (!IsAbsolute(text))
        {
            // A bare or relative name runs from the script's folder (cmd and %~dp0 scripts start there); taken only
            // when the bundle has that file, so words of a sentence or a PATH lookup are not mistaken for a payload.
            var local = WindowsPath.Normalize(folder + @"\" + text, systemRoot);
            return local is not null && isKnownFile(local) ? local : null;
        }

        var path = WindowsPath.Normalize(text, systemRoot, environment);
        return path is not null && path.Length >= 3 && path[1] == ':' && !path.Contains('%', StringComparison.Ordinal) ? path : null;
    }

    private static bool IsAbsolute(string text) =>
        (text.Length >= 2 && text[1] == ':') || text.StartsWith(@"\\", StringComparison.Ordinal) || text.StartsWith('%');

    private static bool IsComment(string line, string extension) => extension switch
    {
        "bat" or "cmd" => line.StartsWith("::", StringComparison.Ordinal)
            || (line.StartsWith("rem", StringComparison.OrdinalIgnoreCase) && (line.Length == 3 || char.IsWhiteSpace(line[3]))),
        "ps1" => line.StartsWith('#'),
        "vbs" or "vbe" => line.StartsWith('\'')
            || (line.StartsWith("rem", StringComparison.OrdinalIgnoreCase) && (line.Length == 3 || char.IsWhiteSpace(line[3]))),
        "js" or "jse" => line.StartsWith("//", StringComparison.Ordinal),
        _ => false,
    };

    // The script's owner is the profile it sits in (C:\Users\bob\...): its %APPDATA% is bob's.
    private static Dictionary<string, string>? ProfileEnvironment(string scriptPath)
    {
        if (scriptPath.Length < 10 || scriptPath[1] != ':' || !scriptPath.AsSpan(2).StartsWith(@"\Users\", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var end = scriptPath.IndexOf('\\', 9);
        if (end < 0)
        {
            return null;
        }

        return UserProfileVariables.For(scriptPath[..end]);
    }

    private static string? Extension(string? path)
    {
        var name = WindowsPath.FileName(path?.Trim());
        var dot = name?.LastIndexOf('.') ?? -1;
        return dot > 0 && dot < name!.Length - 1 ? name[(dot + 1)..] : null;
    }

    // Non-backtracking: script text is attacker-written. A token is a quoted string or a run of characters that
    // no scripting language lets into an unquoted path.
    [GeneratedRegex("""
        "[^"\r\n]*"|'[^'\r\n]*'|[^\s"'<>|&;,()\[\]{}=+]+
        """, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex TokenPattern();

    // %~dp0 (batch: the script's folder with a trailing backslash, also as %~dp0\) and $PSScriptRoot.
    [GeneratedRegex("""%~dp0\\?|\$PSScriptRoot\\?|\$\{PSScriptRoot\}\\?""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ScriptFolderPattern();

    [GeneratedRegex("""\$env:(?<name>[A-Za-z_][A-Za-z0-9_]*)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PowerShellEnvironmentPattern();
}
