using System.Collections.Immutable;
using System.Text;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Windows.CommandLines;

/// <summary>What a command line finally runs, once launcher wrappers (cmd, PowerShell, rundll32...) are peeled off.</summary>
/// <param name="Executable">The normalized program the command line starts (the outermost one), or null.</param>
/// <param name="Target">The normalized file (or URL, for mshta/regsvr32 scriptlets) the chain finally runs, or null when it cannot be told.</param>
/// <param name="Via">The wrappers peeled off, outermost first, joined with <c>&gt;</c> (<c>cmd&gt;powershell</c>), or <c>direct</c>.</param>
/// <param name="Notes">What was seen on the way: decoded PowerShell text, entry points, chained commands, URLs.</param>
public sealed record ResolvedCommand(string? Executable, string? Target, string Via, ImmutableArray<string> Notes);

/// <summary>Splits and interprets Windows command lines. Text only; hostile input never throws.</summary>
public static partial class CommandLine
{
    /// <summary>Extensions Windows runs directly or through a registered host; a path ending in one is a launch target.</summary>
    private static readonly string[] s_runnableExtensions =
        [".exe", ".com", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".hta", ".scr", ".dll", ".cpl", ".pif", ".msi", ".sys"];

    private const int MaxDepth = 8;
    private const int MaxNoteLength = 2000;

    /// <summary>
    /// Splits a command line the way <c>CommandLineToArgvW</c> does: the first argument ends at the next quote if it
    /// starts with one (no backslash rules), otherwise at white space; later arguments use the backslash rules
    /// (2n backslashes + quote = n backslashes and a quote toggle, 2n+1 = n backslashes and a literal quote) and
    /// <c>""</c> inside quotes gives a literal quote and ends the quoted part. Leading white space is skipped.
    /// </summary>
    public static ImmutableArray<string> Tokenize(string? commandLine)
    {
        if (string.IsNullOrEmpty(commandLine))
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        var text = commandLine;
        var i = SkipWhite(text, 0);
        if (i >= text.Length)
        {
            return [];
        }

        // First argument: program name rule.
        if (text[i] == '"')
        {
            var close = text.IndexOf('"', i + 1);
            var end = close < 0 ? text.Length : close;
            result.Add(text[(i + 1)..end]);
            i = close < 0 ? text.Length : close + 1;
        }
        else
        {
            var start = i;
            while (i < text.Length && !IsWhite(text[i]))
            {
                i++;
            }

            result.Add(text[start..i]);
        }

        var current = new StringBuilder();
        while (true)
        {
            i = SkipWhite(text, i);
            if (i >= text.Length)
            {
                break;
            }

            current.Clear();
            var inQuotes = false;
            while (i < text.Length && (inQuotes || !IsWhite(text[i])))
            {
                var c = text[i];
                if (c == '\\')
                {
                    var run = 0;
                    while (i < text.Length && text[i] == '\\')
                    {
                        run++;
                        i++;
                    }

                    if (i < text.Length && text[i] == '"')
                    {
                        current.Append('\\', run / 2);
                        if (run % 2 == 1)
                        {
                            current.Append('"');
                            i++;
                        }
                    }
                    else
                    {
                        current.Append('\\', run);
                    }

                    continue;
                }

                if (c == '"')
                {
                    if (inQuotes && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        current.Append('"');
                        i += 2;
                        inQuotes = false;
                        continue;
                    }

                    inQuotes = !inQuotes;
                    i++;
                    continue;
                }

                current.Append(c);
                i++;
            }

            result.Add(current.ToString());
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The program part of a command line, not normalized. A quoted start gives the quoted text. An unquoted start
    /// with spaces (<c>C:\Program Files\x y\a.exe -arg</c>) gives the shortest prefix ending in a runnable extension
    /// followed by white space, a comma or the end; that is the first candidate <c>CreateProcess</c> would try
    /// and the one that does not swallow later arguments. Without such a prefix, the first white-space token.
    /// </summary>
    public static string? ExtractExecutable(string? commandLine) => Split(commandLine).Executable;

    /// <summary>
    /// Like <see cref="ExtractExecutable(string?)"/>, but for an unquoted command line with spaces it tries the prefixes in
    /// <c>CreateProcess</c> order (each white-space-delimited prefix as written, then with <c>.exe</c> added) and
    /// returns the first one <paramref name="exists"/> accepts; falls back to the text-only answer.
    /// </summary>
    public static string? ExtractExecutable(string? commandLine, Func<string, bool>? exists)
    {
        if (exists is null || string.IsNullOrWhiteSpace(commandLine))
        {
            return ExtractExecutable(commandLine);
        }

        var text = commandLine.TrimStart();
        if (text.StartsWith('"'))
        {
            return ExtractExecutable(text);
        }

        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !IsWhite(text[i]))
            {
                continue;
            }

            var candidate = text[..i];
            if (candidate.Length == 0)
            {
                continue;
            }

            if (exists(candidate))
            {
                return candidate;
            }

            if (!candidate.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) && exists(candidate + ".exe"))
            {
                return candidate + ".exe";
            }
        }

        return ExtractExecutable(text);
    }

    /// <summary>
    /// Follows a launch through the usual wrappers to the file it finally runs. <paramref name="arguments"/> non-null
    /// means <paramref name="command"/> is only the program (a task <c>Exec</c> action); otherwise
    /// <paramref name="command"/> is a whole command line (a Run value, a service ImagePath).
    /// Unwraps <c>cmd /c|/k</c>, <c>start</c>, <c>powershell|pwsh</c> (<c>-File</c>, <c>-EncodedCommand</c>,
    /// <c>-Command</c>), <c>rundll32</c> (and its proxy-execution entry points), <c>regsvr32</c>,
    /// <c>wscript|cscript</c>, <c>mshta</c> and <c>conhost --headless</c>, at most eight levels deep.
    /// </summary>
    public static ResolvedCommand ResolveTarget(string? command, string? arguments)
    {
        var notes = ImmutableArray.CreateBuilder<string>();
        var via = new List<string>();

        string? program;
        string rest;
        if (arguments is not null)
        {
            program = NullIfEmpty(StripOuterQuotes(command ?? string.Empty));
            rest = arguments;
            if (program is null)
            {
                (program, rest) = Split(arguments);
            }
        }
        else
        {
            (program, rest) = Split(command);
        }

        var executable = WindowsPath.Normalize(program);
        string? target = program;
        var targetIsUrl = false;

        for (var depth = 0; depth < MaxDepth && target is not null; depth++)
        {
            var step = Unwrap(target, rest, notes);
            if (step is null)
            {
                break;
            }

            via.Add(step.Value.Wrapper);
            target = step.Value.Program;
            rest = step.Value.Rest;
            targetIsUrl = step.Value.IsUrl;
            if (depth == MaxDepth - 1)
            {
                notes.Add("wrapper chain deeper than " + MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " levels; stopped");
            }
        }

        var finalTarget = targetIsUrl ? target : WindowsPath.Normalize(target);
        return new ResolvedCommand(executable, finalTarget, via.Count == 0 ? "direct" : string.Join('>', via), notes.ToImmutable());
    }

    private readonly record struct Step(string Wrapper, string? Program, string Rest, bool IsUrl = false);

    private static Step? Unwrap(string program, string rest, ImmutableArray<string>.Builder notes)
    {
        var name = ProgramName(program);
        switch (name)
        {
            case "cmd":
                return UnwrapCmd(rest, notes);
            case "start":
                return UnwrapStart(rest);
            case "powershell":
                return UnwrapPowerShell("powershell", rest, notes, defaultIsFile: false);
            case "pwsh":
                return UnwrapPowerShell("pwsh", rest, notes, defaultIsFile: true);
            case "rundll32":
                return UnwrapRundll32(rest, notes);
            case "regsvr32":
                return UnwrapRegsvr32(rest, notes);
            case "wscript" or "cscript":
                return UnwrapScriptHost(name, rest);
            case "mshta":
                return UnwrapMshta(rest, notes);
            case "conhost":
                return UnwrapConhost(rest);
            default:
                return null;
        }
    }

    private static Step? UnwrapCmd(string rest, ImmutableArray<string>.Builder notes)
    {
        // cmd.exe switches may come before /c or /k (cmd /q /d /c ...); /c and /k may also be glued (/c"x").
        var i = 0;
        while (true)
        {
            i = SkipWhite(rest, i);
            if (i + 1 >= rest.Length || rest[i] != '/')
            {
                return null;
            }

            var letter = char.ToUpperInvariant(rest[i + 1]);
            if (letter is 'C' or 'K' or 'R')
            {
                var tail = rest[(i + 2)..].Trim();
                tail = ApplyCmdQuoteRule(tail);
                tail = FirstCmdCommand(tail, notes);
                var (program, args) = Split(tail);
                return new Step("cmd", program, args);
            }

            // Skip a switch such as /q, /d, /s, /v:on, /e:off, /t:fg.
            i += 2;
            while (i < rest.Length && !IsWhite(rest[i]) && rest[i] != '/')
            {
                i++;
            }
        }
    }

    // cmd /c: if the text starts with a quote and holds more than two quotes, cmd strips the first quote and the
    // last one (the "cmd /c ""C:\a b\x.exe" arg"" idiom); with exactly two it keeps them.
    private static string ApplyCmdQuoteRule(string tail)
    {
        if (!tail.StartsWith('"'))
        {
            return tail;
        }

        var count = 0;
        foreach (var c in tail)
        {
            if (c == '"')
            {
                count++;
            }
        }

        if (count <= 2)
        {
            return tail;
        }

        var last = tail.LastIndexOf('"');
        return (tail[1..last] + tail[(last + 1)..]).Trim();
    }

    // Only the first command of "a & b", "a && b", "a || b", "a | b" is followed; the others are noted.
    private static string FirstCmdCommand(string tail, ImmutableArray<string>.Builder notes)
    {
        var inQuotes = false;
        for (var i = 0; i < tail.Length; i++)
        {
            var c = tail[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && (c == '&' || c == '|') && (i == 0 || tail[i - 1] != '^'))
            {
                AddNote(notes, "cmd runs more than one command: " + tail);
                return tail[..i].Trim();
            }
        }

        return tail;
    }

    private static Step? UnwrapStart(string rest)
    {
        var i = SkipWhite(rest, 0);

        // start's first quoted argument is the window title.
        if (i < rest.Length && rest[i] == '"')
        {
            var close = rest.IndexOf('"', i + 1);
            i = close < 0 ? rest.Length : close + 1;
        }

        while (true)
        {
            i = SkipWhite(rest, i);
            if (i >= rest.Length || rest[i] != '/')
            {
                break;
            }

            var end = i;
            while (end < rest.Length && !IsWhite(rest[end]))
            {
                end++;
            }

            var option = rest[i..end];
            i = end;
            if (string.Equals(option, "/d", StringComparison.OrdinalIgnoreCase))
            {
                // "/d path": the working directory, a separate token.
                i = SkipToken(rest, SkipWhite(rest, i));
            }
        }

        var (program, args) = Split(rest[i..]);
        return program is null ? null : new Step("start", program, args);
    }

    private static Step? UnwrapConhost(string rest)
    {
        var tokens = TokensWithPositions(rest);
        var k = 0;
        while (k < tokens.Count)
        {
            var token = tokens[k].Text;
            if (token.StartsWith("--", StringComparison.Ordinal))
            {
                k++;

                // --width n, --height n, --signal h, --server h, --feature x take a value.
                if (token is "--width" or "--height" or "--signal" or "--server" or "--feature" && k < tokens.Count)
                {
                    k++;
                }

                continue;
            }

            if (token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && token.Length <= 10)
            {
                k++;
                continue;
            }

            break;
        }

        if (k >= tokens.Count)
        {
            return null;
        }

        var (program, args) = Split(rest[tokens[k].Start..]);
        return new Step("conhost", program, args);
    }

    private static Step? UnwrapScriptHost(string name, string rest)
    {
        foreach (var token in TokensWithPositions(rest))
        {
            // Host options start with "//" (//B, //E:jscript, //nologo); the first other token is the script.
            if (token.Text.StartsWith("//", StringComparison.Ordinal) || token.Text.Length == 0)
            {
                continue;
            }

            var (program, args) = Split(rest[token.Start..]);
            return new Step(name, program, args);
        }

        return null;
    }

    private static Step? UnwrapMshta(string rest, ImmutableArray<string>.Builder notes)
    {
        var tokens = TokensWithPositions(rest);
        if (tokens.Count == 0)
        {
            return null;
        }

        var first = tokens[0].Text;
        if (first.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase) ||
            first.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
        {
            AddNote(notes, "mshta runs inline script: " + rest.Trim());
            return new Step("mshta", null, string.Empty);
        }

        if (IsUrl(first))
        {
            AddNote(notes, "mshta loads a URL: " + first);
            return new Step("mshta", first, string.Empty, IsUrl: true);
        }

        var (program, args) = Split(rest);
        return new Step("mshta", program, args);
    }

    private static Step? UnwrapRegsvr32(string rest, ImmutableArray<string>.Builder notes)
    {
        string? scriptlet = null;
        foreach (var token in TokensWithPositions(rest))
        {
            var text = token.Text;
            if (text.StartsWith('/') || text.StartsWith('-'))
            {
                // /i:URL hands a scriptlet to DllInstall (the "squiblydoo" trick with scrobj.dll).
                if (text.Length > 3 && (text[1] == 'i' || text[1] == 'I') && text[2] == ':')
                {
                    var value = text[3..];
                    AddNote(notes, "regsvr32 /i argument: " + value);
                    if (IsUrl(value))
                    {
                        scriptlet = value;
                    }
                }

                continue;
            }

            if (scriptlet is not null)
            {
                AddNote(notes, "regsvr32 DLL: " + text);
                return new Step("regsvr32", scriptlet, string.Empty, IsUrl: true);
            }

            var (program, args) = Split(rest[token.Start..]);
            return new Step("regsvr32", program, args);
        }

        return scriptlet is null ? null : new Step("regsvr32", scriptlet, string.Empty, IsUrl: true);
    }

    private static Step? UnwrapRundll32(string rest, ImmutableArray<string>.Builder notes)
    {
        var text = rest.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase) ||
            text.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase))
        {
            AddNote(notes, "rundll32 runs inline script: " + text);
            return new Step("rundll32", null, string.Empty);
        }

        // "x.dll,Entry args", "x.dll Entry" (space instead of comma also works), quoted or not.
        string dll;
        string afterDll;
        if (text.StartsWith('"'))
        {
            var close = text.IndexOf('"', 1);
            dll = close < 0 ? text[1..] : text[1..close];
            afterDll = close < 0 ? string.Empty : text[(close + 1)..];
        }
        else
        {
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma >= 0)
            {
                // rundll32 takes everything up to the comma as the DLL, spaces included.
                dll = text[..comma].Trim();
                afterDll = text[(comma + 1)..];
            }
            else
            {
                var (program, args) = Split(text);
                dll = program ?? string.Empty;
                afterDll = args;
            }
        }

        if (dll.Length == 0)
        {
            return null;
        }

        afterDll = afterDll.TrimStart().TrimStart(',').TrimStart();
        var entryEnd = 0;
        while (entryEnd < afterDll.Length && !IsWhite(afterDll[entryEnd]))
        {
            entryEnd++;
        }

        var entry = afterDll[..entryEnd];
        var entryArgs = afterDll[entryEnd..].Trim();
        if (entry.Length > 0)
        {
            AddNote(notes, "rundll32 entry point: " + entry);
        }

        // Entry points that launch their argument: follow through them.
        var dllName = ProgramName(dll);
        var proxies = (dllName, entry.ToUpperInvariant()) switch
        {
            ("shell32", "SHELLEXEC_RUNDLL" or "SHELLEXEC_RUNDLLA" or "SHELLEXEC_RUNDLLW") => true,
            ("url", "FILEPROTOCOLHANDLER" or "OPENURL") => true,
            ("ieframe", "OPENURL") => true,
            ("zipfldr", "ROUTETHECALL") => true,
            ("shell32", "CONTROL_RUNDLL" or "CONTROL_RUNDLLA" or "CONTROL_RUNDLLW") => true,
            _ => false,
        };

        if (proxies && entryArgs.Length > 0)
        {
            AddNote(notes, "rundll32 " + dllName + " launches its argument");
            if (IsUrl(entryArgs))
            {
                return new Step("rundll32", entryArgs.Trim('"'), string.Empty, IsUrl: true);
            }

            var (program, args) = Split(entryArgs);
            return new Step("rundll32", program, args);
        }

        return new Step("rundll32", dll, entryArgs);
    }

    private static string ProgramName(string? program)
    {
        var fileName = WindowsPath.FileName(program) ?? string.Empty;
        var lower = fileName.ToLowerInvariant();
        foreach (var extension in (ReadOnlySpan<string>)[".exe", ".com", ".dll"])
        {
            if (lower.EndsWith(extension, StringComparison.Ordinal))
            {
                return lower[..^extension.Length];
            }
        }

        return lower;
    }

    private static (string? Executable, string Remainder) Split(string? commandLine)
    {
        if (string.IsNullOrWhiteSpace(commandLine))
        {
            return (null, string.Empty);
        }

        var text = commandLine.TrimStart();
        if (text[0] == '"')
        {
            var close = text.IndexOf('"', 1);
            // Inside quotes a trailing space is part of the name ("\\?\C:\x\csrss.exe " runs the file whose name
            // ends in a space); WindowsPath.Normalize keeps it the same way, so the launcher and the file still meet.
            if (close < 0)
            {
                return (NullIfBlank(text[1..].TrimStart()), string.Empty);
            }

            return (NullIfBlank(text[1..close].TrimStart()), text[(close + 1)..].TrimStart());
        }

        var end = EndOfRunnablePrefix(text);
        if (end < 0 || !IsPlausibleSpacedPath(text, end))
        {
            end = 0;
            while (end < text.Length && !IsWhite(text[end]))
            {
                end++;
            }
        }

        return (NullIfEmpty(text[..end]), text[end..].TrimStart());
    }

    // Index just after the shortest prefix ending in a runnable extension that is followed by white space, a comma
    // or the end of the text; -1 when there is none.
    private static int EndOfRunnablePrefix(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '.')
            {
                continue;
            }

            foreach (var extension in s_runnableExtensions)
            {
                if (string.Compare(text, i, extension, 0, extension.Length, StringComparison.OrdinalIgnoreCase) != 0)
                {
                    continue;
                }

                var end = i + extension.Length;
                if (end == text.Length || IsWhite(text[end]) || text[end] == ',')
                {
                    return end;
                }
            }
        }

        return -1;
    }

    // An unquoted program path with spaces ("C:\Program Files\x y\a.exe") starts with a path (a separator before
    // the first space) and none of its later space-separated pieces looks like a switch or another path.
    private static bool IsPlausibleSpacedPath(string text, int end)
    {
        var firstSpace = 0;
        while (firstSpace < end && !IsWhite(text[firstSpace]))
        {
            firstSpace++;
        }

        if (firstSpace >= end)
        {
            return true;
        }

        if (text.AsSpan(0, firstSpace).IndexOfAny('\\', '/') < 0)
        {
            return false;
        }

        foreach (var piece in text[firstSpace..end].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (piece[0] is '-' or '/' or '"' || piece.Contains(":\\", StringComparison.Ordinal) || piece.StartsWith(@"\\", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string StripOuterQuotes(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"')
        {
            return trimmed[1..^1].Trim();
        }

        return trimmed.TrimStart('"').Trim();
    }

    private static bool IsUrl(string text) =>
        text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith(@"\\", StringComparison.Ordinal) && text.Contains('@', StringComparison.Ordinal);

    private static void AddNote(ImmutableArray<string>.Builder notes, string note) =>
        notes.Add(note.Length > MaxNoteLength ? note[..MaxNoteLength] + "…" : note);

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string? NullIfBlank(string text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static bool IsWhite(char c) => c == ' ' || c == '\t';

    private static int SkipWhite(string text, int i)
    {
        while (i < text.Length && IsWhite(text[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipToken(string text, int i)
    {
        if (i < text.Length && text[i] == '"')
        {
            var close = text.IndexOf('"', i + 1);
            return close < 0 ? text.Length : close + 1;
        }

        while (i < text.Length && !IsWhite(text[i]))
        {
            i++;
        }

        return i;
    }

    private readonly record struct Token(string Text, int Start);

    // White-space separated tokens with simple quote grouping, with where each starts in the text.
    private static List<Token> TokensWithPositions(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            i = SkipWhite(text, i);
            if (i >= text.Length)
            {
                return tokens;
            }

            var start = i;
            var builder = new StringBuilder();
            var inQuotes = false;
            while (i < text.Length && (inQuotes || !IsWhite(text[i])))
            {
                if (text[i] == '"')
                {
                    inQuotes = !inQuotes;
                }
                else
                {
                    builder.Append(text[i]);
                }

                i++;
            }

            tokens.Add(new Token(builder.ToString(), start));
        }
    }
}
