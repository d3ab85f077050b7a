using System.Text;

namespace CsrssForensics.Windows.Paths;

/// <summary>
/// <c>%Var%</c> expansion as Windows does it once (no recursion): machine variables from their defaults on the system
/// drive, user variables only from the caller's dictionary.
/// </summary>
internal static class PathVariables
{
    internal static string Expand(string text, string systemRoot, IReadOnlyDictionary<string, string>? environment)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('%', i);
            if (open < 0)
            {
                builder.Append(text, i, text.Length - i);
                break;
            }

            var close = open + 1 < text.Length ? text.IndexOf('%', open + 1) : -1;
            if (close < 0)
            {
                builder.Append(text, i, text.Length - i);
                break;
            }

            builder.Append(text, i, open - i);
            var name = text.Substring(open + 1, close - open - 1);
            var value = name.Length == 0 ? null : LookupVariable(name, systemRoot, environment);
            if (value is null)
            {
                // Unknown: keep it as written, and let its closing % be able to open the next variable? No: Windows
                // (ExpandEnvironmentStrings) keeps the text and goes on after the second %, so do the same.
                builder.Append(text, open, close - open + 1);
            }
            else
            {
                builder.Append(value);
            }

            i = close + 1;
        }

        return builder.ToString();
    }

    private static string? LookupVariable(string name, string systemRoot, IReadOnlyDictionary<string, string>? environment)
    {
        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase) && pair.Value is not null)
                {
                    // Values are used as given, never expanded again, so a self-referencing value cannot loop.
                    return pair.Value;
                }
            }
        }

        var drive = systemRoot[..2];
        return name.ToUpperInvariant() switch
        {
            "SYSTEMROOT" or "WINDIR" => systemRoot,
            "SYSTEMDRIVE" => drive,
            "PROGRAMDATA" or "ALLUSERSPROFILE" => drive + @"\ProgramData",
            "PROGRAMFILES" or "PROGRAMW6432" => drive + @"\Program Files",
            "PROGRAMFILES(X86)" => drive + @"\Program Files (x86)",
            "COMMONPROGRAMFILES" or "COMMONPROGRAMW6432" => drive + @"\Program Files\Common Files",
            "COMMONPROGRAMFILES(X86)" => drive + @"\Program Files (x86)\Common Files",
            "PUBLIC" => drive + @"\Users\Public",
            "COMSPEC" => systemRoot + @"\System32\cmd.exe",
            _ => null,
        };
    }
}
