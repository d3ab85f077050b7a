using System.Collections.Immutable;
using CsrssForensics.Windows.Paths;
using static CsrssForensics.Windows.CommandLines.CmdWrapper;
using static CsrssForensics.Windows.CommandLines.CommandLine;
using static CsrssForensics.Windows.CommandLines.CommandText;
using static CsrssForensics.Windows.CommandLines.PowerShellWrapper;
using static CsrssForensics.Windows.CommandLines.ProxyWrappers;

namespace CsrssForensics.Windows.CommandLines;

/// <summary>
/// One step through a launcher wrapper: which wrapper a program is, and what it runs next. cmd, PowerShell and the
/// proxy hosts have their own readers; <c>start</c>, <c>conhost</c> and the script hosts are simple enough to read here.
/// </summary>
internal static class Wrappers
{
    internal readonly record struct WrapperStep(string Wrapper, string? Program, string Rest, bool IsUrl = false);

    internal static WrapperStep? Unwrap(string program, string rest, ImmutableArray<string>.Builder notes)
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

    internal static string ProgramName(string? program)
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

    private static WrapperStep? UnwrapStart(string rest)
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
        return program is null ? null : new WrapperStep("start", program, args);
    }

    private static WrapperStep? UnwrapConhost(string rest)
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
        return new WrapperStep("conhost", program, args);
    }

    private static WrapperStep? UnwrapScriptHost(string name, string rest)
    {
        foreach (var token in TokensWithPositions(rest))
        {
            // Host options start with "//" (//B, //E:jscript, //nologo); the first other token is the script.
            if (token.Text.StartsWith("//", StringComparison.Ordinal) || token.Text.Length == 0)
            {
                continue;
            }

            var (program, args) = Split(rest[token.Start..]);
            return new WrapperStep(name, program, args);
        }

        return null;
    }
}
