using System.Collections.Immutable;
using static CsrssForensics.Windows.CommandLines.CommandLine;
using static CsrssForensics.Windows.CommandLines.CommandText;
using static CsrssForensics.Windows.CommandLines.Wrappers;

namespace CsrssForensics.Windows.CommandLines;

/// <summary>Proxy-execution hosts: <c>mshta</c>, <c>regsvr32</c> (scriptlets) and <c>rundll32</c> (entry points that run another file).</summary>
internal static class ProxyWrappers
{
    internal static WrapperStep? UnwrapMshta(string rest, ImmutableArray<string>.Builder notes)
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
            return new WrapperStep("mshta", null, string.Empty);
        }

        if (IsUrl(first))
        {
            AddNote(notes, "mshta loads a URL: " + first);
            return new WrapperStep("mshta", first, string.Empty, IsUrl: true);
        }

        var (program, args) = Split(rest);
        return new WrapperStep("mshta", program, args);
    }

    internal static WrapperStep? UnwrapRegsvr32(string rest, ImmutableArray<string>.Builder notes)
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
                return new WrapperStep("regsvr32", scriptlet, string.Empty, IsUrl: true);
            }

            var (program, args) = Split(rest[token.Start..]);
            return new WrapperStep("regsvr32", program, args);
        }

        return scriptlet is null ? null : new WrapperStep("regsvr32", scriptlet, string.Empty, IsUrl: true);
    }

    internal static WrapperStep? UnwrapRundll32(string rest, ImmutableArray<string>.Builder notes)
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
            return new WrapperStep("rundll32", null, string.Empty);
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
                return new WrapperStep("rundll32", entryArgs.Trim('"'), string.Empty, IsUrl: true);
            }

            var (program, args) = Split(entryArgs);
            return new WrapperStep("rundll32", program, args);
        }

        return new WrapperStep("rundll32", dll, entryArgs);
    }
}
