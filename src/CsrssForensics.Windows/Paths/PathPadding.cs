namespace CsrssForensics.Windows.Paths;

/// <summary>What of a raw path value is padding (white space, surrounding quotes) and what is part of the name.</summary>
internal static class PathPadding
{
    // Padding and line breaks around a value are not part of the path; a space inside quotes ("C:\x\csrss.exe ") or
    // at the end of an unquoted path (files.csv holds what the file system reported) is: NTFS names can end with one,
    // and a "remove" action must name the file that exists. A rooted path never starts with a space, so leading white
    // space is always padding.
    internal static string StripQuotes(string raw)
    {
        var text = TrimPadding(raw);
        while (text.Length > 0 && text[0] == '"')
        {
            text = TrimPadding(text.Length >= 2 && text[^1] == '"' ? text[1..^1] : text[1..]);
        }

        return text;
    }

    // Drops leading white space, and trailing white space except a run of plain spaces right after the last character
    // (kept unless that character is a closing quote, after which everything is padding).
    private static string TrimPadding(string text)
    {
        var start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        var last = text.Length - 1;
        while (last >= start && char.IsWhiteSpace(text[last]))
        {
            last--;
        }

        if (last < start)
        {
            return string.Empty;
        }

        var end = last + 1;
        if (text[last] != '"')
        {
            while (end < text.Length && text[end] == ' ')
            {
                end++;
            }
        }

        return text[start..end];
    }
}
