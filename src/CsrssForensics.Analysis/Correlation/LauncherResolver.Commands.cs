using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CsrssForensics.Windows.CommandLines;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Command-to-file resolution: unwraps interpreters, expands variables from the launcher's user profile, follows the
/// CreateProcess search for bare names and lists every other path a command names.
/// </summary>
internal sealed partial class LauncherResolver
{
    private const int MaxReferencedPaths = 32;

    private static readonly HashSet<string> _serviceAccounts = new(StringComparer.OrdinalIgnoreCase)
    {
        "SYSTEM", "LOCAL SERVICE", "LOCALSERVICE", "NETWORK SERVICE", "NETWORKSERVICE", "S-1-5-18", "S-1-5-19",
        "S-1-5-20", "NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\LOCAL SERVICE", "NT AUTHORITY\\NETWORK SERVICE",
        "LocalSystem",
    };

    private LaunchResult Launch(string command, string? arguments, string? workingDirectory, string? user)
    {
        var resolution = CommandLine.ResolveTarget(PreExpand(command), arguments is null ? null : PreExpand(arguments));
        var target = resolution.Target;
        var isUrl = target is not null && target.Contains("://", StringComparison.Ordinal);
        if (target is not null && !isUrl)
        {
            target = ExpandUserVariables(target, user);
            target = ResolveBareName(target, workingDirectory is null ? null : ExpandUserVariables(Normalize(workingDirectory) ?? workingDirectory, user));
            target = Win32Opened(target);
        }

        var fullText = arguments is null ? command : command + " " + arguments;
        var encoded = resolution.Notes.Any(n => n.Contains("-EncodedCommand", StringComparison.OrdinalIgnoreCase))
            || HasEncodedSwitch(fullText);

        // The command's own paths feed both the referenced paths and the mock-folder check: matched once.
        var commandPaths = PathsIn(fullText);
        var referenced = ReferencedPaths(commandPaths, resolution, target, user);
        var mock = commandPaths.Find(WindowsPath.HasTrailingDotOrSpace);
        return new LaunchResult(resolution with { Target = target }, target, isUrl, encoded, referenced, mock);
    }

    // Win32 path parsing drops the trailing spaces and dots of the last segment: without a \\?\ prefix,
    // "C:\x\csrss.exe " opens C:\x\csrss.exe. The exact path wins when the bundle knows it (a \\?\ launch of a file
    // whose name ends in a space); otherwise the path Windows opens, when the bundle knows that one.
    private string? Win32Opened(string? target)
    {
        if (target is null || _correlation.IsKnownFile(target))
        {
            return target;
        }

        var cut = target.LastIndexOf('\\');
        var folded = target[..(cut + 1)] + target[(cut + 1)..].TrimEnd(' ', '.');
        return folded.Length > cut + 1 && folded.Length != target.Length && _correlation.IsKnownFile(folded) ? folded : target;
    }

    private static List<string> PathsIn(string text)
    {
        var paths = new List<string>();
        foreach (var match in PathPattern().EnumerateMatches(text))
        {
            paths.Add(text.Substring(match.Index, match.Length));
        }

        return paths;
    }

    // commandPaths: PathsIn of the command text; the resolution notes (a decoded script...) are matched here.
    private ImmutableArray<string> ReferencedPaths(List<string> commandPaths, ResolvedCommand resolution, string? target, string? user)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (target is not null)
        {
            seen.Add(WindowsPath.Key(target));
        }

        // The interpreter (cmd.exe, powershell.exe) is not what the launcher is about when something was unwrapped.
        if (resolution.Via != "direct" && resolution.Executable is { } executable)
        {
            seen.Add(WindowsPath.Key(executable));
        }

        var paths = ImmutableArray.CreateBuilder<string>();
        if (!AddReferenced(paths, seen, commandPaths, user))
        {
            return paths.ToImmutable();
        }

        foreach (var note in resolution.Notes)
        {
            if (!AddReferenced(paths, seen, PathsIn(note), user))
            {
                break;
            }
        }

        return paths.ToImmutable();
    }

    // False once the cap is reached.
    private bool AddReferenced(ImmutableArray<string>.Builder paths, HashSet<string> seen, List<string> found, string? user)
    {
        foreach (var value in found)
        {
            if (paths.Count >= MaxReferencedPaths)
            {
                return false;
            }

            if (Normalize(value) is { } normalized
                && ExpandUserVariables(normalized, user) is { } path
                && seen.Add(WindowsPath.Key(path)))
            {
                paths.Add(path);
            }
        }

        return true;
    }

    /// <summary>
    /// A target that still holds <c>%APPDATA%</c>-style user variables: expand them from the launcher's user profile,
    /// or failing that find the one known file that matches under any profile.
    /// </summary>
    private string ExpandUserVariables(string target, string? user)
    {
        if (!target.Contains('%', StringComparison.Ordinal))
        {
            return target;
        }

        string? fromProfile = null;
        if (ProfileEnvironment(user) is { } environment)
        {
            fromProfile = WindowsPath.Normalize(target, _systemRoot, environment);
            if (fromProfile is not null && _correlation.IsKnownFile(fromProfile))
            {
                return fromProfile;
            }
        }

        var match = ProfileVariablePattern().Match(target);
        if (match.Success)
        {
            var relative = match.Groups["variable"].Value.ToUpperInvariant() switch
            {
                "APPDATA" => @"\AppData\Roaming",
                "LOCALAPPDATA" => @"\AppData\Local",
                "TEMP" or "TMP" => @"\AppData\Local\Temp",
                _ => string.Empty,
            };
            var candidates = _correlation.PathsUnderAnyProfile(relative + match.Groups["rest"].Value);
            if (candidates.Count == 1)
            {
                return candidates[0];
            }
        }

        return fromProfile ?? target;
    }

    private string ResolveBareName(string target, string? workingDirectory)
    {
        if (target.Contains('\\', StringComparison.Ordinal) || target.Contains('%', StringComparison.Ordinal))
        {
            return target;
        }

        // CreateProcess search order, reduced to what a bundle can show: the working directory, System32, Windows.
        var name = target.Contains('.', StringComparison.Ordinal) ? target : target + ".exe";
        var system32 = _systemRoot + @"\System32\" + name;
        var windows = _systemRoot + @"\" + name;
        string?[] candidates = [workingDirectory is null ? null : workingDirectory.TrimEnd('\\') + @"\" + name, system32, windows];
        foreach (var candidate in candidates)
        {
            if (Normalize(candidate) is { } path && _correlation.IsKnownFile(path))
            {
                return path;
            }
        }

        if (workingDirectory is not null && Normalize(candidates[0]) is { } inWorkingDirectory)
        {
            return inWorkingDirectory;
        }

        return string.Equals(name, "explorer.exe", StringComparison.OrdinalIgnoreCase) ? windows : system32;
    }

    private Dictionary<string, string>? ProfileEnvironment(string? user)
    {
        if (string.IsNullOrWhiteSpace(user) || _serviceAccounts.Contains(user.Trim()))
        {
            return null;
        }

        var slash = user.LastIndexOf('\\');
        var account = user[(slash + 1)..].Trim();
        if (account.Length == 0 || account.StartsWith("S-1-", StringComparison.OrdinalIgnoreCase) || _serviceAccounts.Contains(account)
            || account.IndexOfAny(['\\', '/', ':', '%', '"']) >= 0)
        {
            return null;
        }

        // The profile folder is normally named after the account; a different folder (x.DOMAIN, x.000) simply
        // does not match files.csv and the suffix search takes over.
        var profile = _systemRoot[..2] + @"\Users\" + account;
        var variables = UserProfileVariables.For(profile);
        variables["USERNAME"] = account;
        variables["HOMEPATH"] = @"\Users\" + account;
        return variables;
    }

    // Host with a system root other than C:\Windows: CommandLine normalizes with the default root, so the machine
    // variables are put in first.
    private string PreExpand(string text)
    {
        if (!_customSystemRoot)
        {
            return text;
        }

        var expanded = text.Replace("%SystemRoot%", _systemRoot, StringComparison.OrdinalIgnoreCase)
            .Replace("%windir%", _systemRoot, StringComparison.OrdinalIgnoreCase)
            .Replace("%SystemDrive%", _systemRoot[..2], StringComparison.OrdinalIgnoreCase);
        var trimmed = expanded.TrimStart('"', ' ');
        if (trimmed.StartsWith(@"\SystemRoot\", StringComparison.OrdinalIgnoreCase))
        {
            var at = expanded.IndexOf(@"\SystemRoot\", StringComparison.OrdinalIgnoreCase);
            expanded = expanded[..at] + _systemRoot + expanded[(at + @"\SystemRoot".Length)..];
        }

        return expanded;
    }

    private string? Normalize(string? raw) => WindowsPath.Normalize(raw, _systemRoot);

    private static bool IsAbsolute(string path) =>
        (path.Length >= 3 && path[1] == ':' && path[2] == '\\') || path.StartsWith(@"\\", StringComparison.Ordinal);

    private static bool IsUnquotedWithSpaces(string command)
    {
        var text = command.TrimStart();
        if (text.StartsWith('"'))
        {
            return false;
        }

        var executable = CommandLine.ExtractExecutable(text);
        return executable is not null && executable.Contains(' ', StringComparison.Ordinal);
    }

    private static bool HasEncodedSwitch(string text)
    {
        var tokens = CommandLine.Tokenize(text);
        var powershell = false;
        foreach (var token in tokens)
        {
            var name = WindowsPath.FileName(token) ?? token;
            if (LowerStartsWith(name, "powershell") || LowerStartsWith(name, "pwsh"))
            {
                powershell = true;
                continue;
            }

            if (!powershell || token.Length < 2 || token[0] is not ('-' or '/'))
            {
                continue;
            }

            var option = token.AsSpan(1);
            if (LowerEquals(option, "e") || LowerEquals(option, "ec")
                || (option.Length >= 2 && option.Length <= "encodedcommand".Length && LowerEquals(option, "encodedcommand".AsSpan(0, option.Length))))
            {
                return true;
            }
        }

        return false;
    }

    // text.ToLowerInvariant().StartsWith(lower, Ordinal) without the lower-case copy: ToLowerInvariant maps char by
    // char, so comparing char by char gives the same answer.
    private static bool LowerStartsWith(string text, string lower) =>
        text.Length >= lower.Length && LowerEquals(text.AsSpan(0, lower.Length), lower);

    private static bool LowerEquals(ReadOnlySpan<char> text, ReadOnlySpan<char> lower)
    {
        if (text.Length != lower.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.ToLowerInvariant(text[i]) != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    // Non-backtracking: the text is attacker-written, so matching must stay linear whatever it holds.
    // Absolute paths (drive, UNC or a leading %VARIABLE%) that end in an extension a launcher can start or load.
    [GeneratedRegex(
        """(?:[A-Za-z]:\\|\\\\|%[A-Za-z_][A-Za-z0-9_()]*%\\)[^"'<>|*?\r\n\t;,]*?\.(?:exe|dll|scr|com|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|hta|lnk|msi|jar|py|cpl|sys)\b""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PathPattern();

    [GeneratedRegex("""^%(?<variable>APPDATA|LOCALAPPDATA|TEMP|TMP|USERPROFILE)%(?<rest>\\.+)$""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ProfileVariablePattern();

    private sealed record LaunchResult(
        ResolvedCommand Resolution,
        string? Target,
        bool IsUrl,
        bool Encoded,
        ImmutableArray<string> Referenced,
        string? MockPath);
}
