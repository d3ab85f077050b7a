using System.Collections.Immutable;
using CsrssForensics.Windows.Paths;
using static CsrssForensics.Windows.CommandLines.CommandText;
using static CsrssForensics.Windows.CommandLines.Wrappers;

namespace CsrssForensics.Windows.CommandLines;

/// <summary>Splits and interprets Windows command lines. Text only; hostile input never throws.</summary>
public static class CommandLine
{
    private const int MaxDepth = 8;

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

        // One buffer for every later argument: an argument is never longer than the text left, and a
        // StringBuilder cleared per token re-allocated its grown chunk each time (most of the cost at scale).
        var remaining = text.Length - i;
        var buffer = remaining <= 256 ? stackalloc char[256] : new char[remaining];
        while (true)
        {
            i = SkipWhite(text, i);
            if (i >= text.Length)
            {
                break;
            }

            var length = 0;
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
                        length = Repeat(buffer, length, '\\', run / 2);
                        if (run % 2 == 1)
                        {
                            buffer[length++] = '"';
                            i++;
                        }
                    }
                    else
                    {
                        length = Repeat(buffer, length, '\\', run);
                    }

                    continue;
                }

                if (c == '"')
                {
                    if (inQuotes && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        buffer[length++] = '"';
                        i += 2;
                        inQuotes = false;
                        continue;
                    }

                    inQuotes = !inQuotes;
                    i++;
                    continue;
                }

                buffer[length++] = c;
                i++;
            }

            result.Add(new string(buffer[..length]));
        }

        return result.ToImmutable();
    }

    private static int Repeat(Span<char> buffer, int length, char c, int count)
    {
        buffer.Slice(length, count).Fill(c);
        return length + count;
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

    internal static (string? Executable, string Remainder) Split(string? commandLine)
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

            foreach (var extension in RunnableExtensions)
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
}
