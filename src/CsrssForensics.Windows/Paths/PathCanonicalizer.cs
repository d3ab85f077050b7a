namespace CsrssForensics.Windows.Paths;

/// <summary>Collapses separators, drops <c>.</c> and resolves <c>..</c> (never above the drive or UNC share root).</summary>
internal static class PathCanonicalizer
{
    internal static string? Canonicalize(string text)
    {
        string root;
        int rest;
        if (text.StartsWith(@"\\", StringComparison.Ordinal))
        {
            // UNC: \\server\share is the root and .. never climbs above it.
            var parts = text[2..].Split('\\', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                return null;
            }

            var server = parts[0];
            var share = parts.Length > 1 ? parts[1] : string.Empty;
            root = share.Length == 0 ? @"\\" + server : @"\\" + server + @"\" + share + @"\";
            var tail = parts.Length > 2 ? string.Join('\\', parts, 2, parts.Length - 2) : string.Empty;
            return Join(root, share.Length == 0 ? [] : Resolve(tail));
        }

        if (text.Length >= 2 && char.IsAsciiLetter(text[0]) && text[1] == ':')
        {
            // "C:foo" is drive-relative on a live system; with no current directory to go by, treat it as C:\foo.
            root = char.ToUpperInvariant(text[0]) + @":\";
            rest = 2;
        }
        else if (text.StartsWith('\\'))
        {
            root = @"\";
            rest = 1;
        }
        else
        {
            root = string.Empty;
            rest = 0;
        }

        var result = Join(root, Resolve(text[rest..]));
        return result.Length == 0 ? null : result;
    }

    private static List<string> Resolve(string tail)
    {
        var stack = new List<string>();
        foreach (var raw in tail.Split('\\', StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == ".")
            {
                continue;
            }

            if (raw == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            stack.Add(raw);
        }

        return stack;
    }

    private static string Join(string root, List<string> segments) =>
        segments.Count == 0 ? root : root + string.Join('\\', segments);
}
