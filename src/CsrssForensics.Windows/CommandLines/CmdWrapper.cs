using System.Collections.Immutable;
using static CsrssForensics.Windows.CommandLines.CommandLine;
using static CsrssForensics.Windows.CommandLines.CommandText;
using static CsrssForensics.Windows.CommandLines.Wrappers;

namespace CsrssForensics.Windows.CommandLines;

/// <summary><c>cmd /c|/k</c>: cmd.exe's switches, its quote rule and its command separators.</summary>
internal static class CmdWrapper
{
    internal static WrapperStep? UnwrapCmd(string rest, ImmutableArray<string>.Builder notes)
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
                return new WrapperStep("cmd", program, args);
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
}
