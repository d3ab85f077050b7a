using System.Collections.Immutable;
using System.Text;
using static CsrssForensics.Windows.CommandLines.CommandLine;
using static CsrssForensics.Windows.CommandLines.CommandText;
using static CsrssForensics.Windows.CommandLines.Wrappers;

namespace CsrssForensics.Windows.CommandLines;

/// <summary>PowerShell host command lines: -File, -Command, -EncodedCommand and what the script text launches.</summary>
internal static class PowerShellWrapper
{
    private enum PowerShellSwitch
    {
        Flag,
        TakesValue,
        File,
        Command,
        EncodedCommand,
    }

    internal static WrapperStep? UnwrapPowerShell(string wrapper, string rest, ImmutableArray<string>.Builder notes, bool defaultIsFile)
    {
        var tokens = TokensWithPositions(rest);
        for (var k = 0; k < tokens.Count; k++)
        {
            var token = tokens[k];
            var text = token.Text;
            var isSwitch = text.Length > 1 && (text[0] == '-' || text[0] == '/' || text[0] == '\u2013');
            if (!isSwitch)
            {
                // A bare argument: Windows PowerShell treats it as -Command, pwsh as -File.
                return defaultIsFile
                    ? FileStep(wrapper, rest[token.Start..])
                    : ScriptStep(wrapper, rest[token.Start..], notes);
            }

            switch (ClassifyPowerShellSwitch(text[1..]))
            {
                case PowerShellSwitch.File:
                    return k + 1 < tokens.Count ? FileStep(wrapper, rest[tokens[k + 1].Start..]) : null;
                case PowerShellSwitch.Command:
                    return k + 1 < tokens.Count ? ScriptStep(wrapper, rest[tokens[k + 1].Start..], notes) : null;
                case PowerShellSwitch.EncodedCommand:
                    if (k + 1 >= tokens.Count)
                    {
                        return null;
                    }

                    var decoded = DecodePowerShell(tokens[k + 1].Text);
                    if (decoded is null)
                    {
                        AddNote(notes, wrapper + " -EncodedCommand is not valid base64 UTF-16LE text");
                        return new WrapperStep(wrapper, null, string.Empty);
                    }

                    AddNote(notes, wrapper + " -EncodedCommand decoded: " + decoded);
                    return ScriptStep(wrapper, decoded, notes);
                case PowerShellSwitch.TakesValue:
                    k++;
                    break;
                default:
                    break;
            }
        }

        return null;
    }

    private static WrapperStep FileStep(string wrapper, string text)
    {
        var (program, args) = Split(text);
        return new WrapperStep(wrapper, program, args);
    }

    private static WrapperStep ScriptStep(string wrapper, string script, ImmutableArray<string>.Builder notes)
    {
        var body = script.Trim();

        // -Command "..." arrives with its outer quotes still on when taken from the raw text.
        if (body.Length >= 2 && body[0] == '"' && body[^1] == '"')
        {
            body = body[1..^1];
        }

        if (body.Contains("DownloadString", StringComparison.OrdinalIgnoreCase) ||
            body.Contains("DownloadFile", StringComparison.OrdinalIgnoreCase) ||
            body.Contains("Invoke-WebRequest", StringComparison.OrdinalIgnoreCase) ||
            body.Contains("iwr ", StringComparison.OrdinalIgnoreCase))
        {
            AddNote(notes, wrapper + " script downloads content");
        }

        var found = FindLaunchedPath(body);
        if (found is null)
        {
            AddNote(notes, wrapper + " script names no file it runs: " + body);
            return new WrapperStep(wrapper, null, string.Empty);
        }

        return new WrapperStep(wrapper, found, string.Empty, IsUrl: IsUrl(found));
    }

    // The switch name without its dash. PowerShell accepts any unambiguous prefix, and a few short aliases.
    private static PowerShellSwitch ClassifyPowerShellSwitch(string name)
    {
        var s = name.ToLowerInvariant();
        if (s is "ep" || s.StartsWith("ex", StringComparison.Ordinal))
        {
            return PowerShellSwitch.TakesValue;
        }

        if (s is "e" or "ec" || s.Length >= 2 && "encodedcommand".StartsWith(s, StringComparison.Ordinal))
        {
            return PowerShellSwitch.EncodedCommand;
        }

        if (s.StartsWith("encodeda", StringComparison.Ordinal) || s is "ea")
        {
            return PowerShellSwitch.TakesValue;
        }

        if ("file".StartsWith(s, StringComparison.Ordinal))
        {
            return PowerShellSwitch.File;
        }

        if (s is "c" || s.Length >= 3 && "command".StartsWith(s, StringComparison.Ordinal))
        {
            return PowerShellSwitch.Command;
        }

        string[] valued = ["windowstyle", "version", "psconsolefile", "inputformat", "outputformat", "configurationname", "workingdirectory", "settingsfile", "custompipename"];
        string[] aliases = ["w", "v", "if", "of", "wd", "config"];
        foreach (var alias in aliases)
        {
            if (s == alias)
            {
                return PowerShellSwitch.TakesValue;
            }
        }

        foreach (var full in valued)
        {
            if (s.Length >= 2 && full.StartsWith(s, StringComparison.Ordinal))
            {
                return PowerShellSwitch.TakesValue;
            }
        }

        return PowerShellSwitch.Flag;
    }

    private static string? DecodePowerShell(string base64)
    {
        var text = base64.Trim().Trim('"', '\'');
        if (text.Length == 0 || text.Length > 1_000_000)
        {
            return null;
        }

        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written % 2 != 0)
        {
            return null;
        }

        return Encoding.Unicode.GetString(buffer, 0, written);
    }

    /// <summary>
    /// The file a PowerShell script text launches: the first quoted or bare literal that ends in a runnable
    /// extension (after <c>&amp;</c>, <c>Start-Process</c>, <c>.</c> or on its own), or a URL it starts.
    /// </summary>
    private static string? FindLaunchedPath(string script)
    {
        string? firstUrl = null;
        foreach (var literal in ScriptLiterals(script))
        {
            var value = literal.Trim();
            if (value.Length == 0)
            {
                continue;
            }

            if (IsUrl(value))
            {
                firstUrl ??= value;
                continue;
            }

            if (EndsWithRunnableExtension(value))
            {
                return value;
            }
        }

        return firstUrl;
    }

    // Quoted strings ('...' or "...") and bare words of a script, in order. Bare words end at white space or at
    // PowerShell punctuation, so "&C:\x\a.exe;" still yields the path.
    private static IEnumerable<string> ScriptLiterals(string script)
    {
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '\'' || c == '"')
            {
                var close = script.IndexOf(c, i + 1);
                var end = close < 0 ? script.Length : close;
                yield return script[(i + 1)..end];
                i = end + 1;
                continue;
            }

            if (char.IsWhiteSpace(c) || c is ';' or '&' or '(' or ')' or '{' or '}' or '|' or ',' or '=')
            {
                i++;
                continue;
            }

            var start = i;
            while (i < script.Length && !char.IsWhiteSpace(script[i]) && script[i] is not (';' or '(' or ')' or '{' or '}' or '|' or '\'' or '"' or ','))
            {
                i++;
            }

            yield return script[start..i];
        }
    }
}
