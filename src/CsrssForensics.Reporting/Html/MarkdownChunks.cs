namespace CsrssForensics.Reporting.Html;

/// <summary>
/// Cuts the report's Markdown into pieces that Markdig can lay out one at a time, so the syntax tree of a huge report
/// (200,000 integrity findings made a 27 MB Markdown text and 2.2 GB of memory) never exists all at once. A cut is
/// made only at a blank line followed by a line that starts a table block (<c>| </c>) or a heading (<c>#</c>): both
/// always begin a new top-level block, and the report has no code fences, so each piece renders exactly as it would
/// inside the whole text.
/// </summary>
internal static class MarkdownChunks
{
    /// <summary>Pieces of at least <paramref name="targetLength"/> characters (the last may be shorter), in order.</summary>
    public static IEnumerable<string> Split(string markdown, int targetLength)
    {
        var start = 0;
        while (markdown.Length - start > targetLength)
        {
            var cut = NextCut(markdown, start + targetLength);
            if (cut < 0)
            {
                break;
            }

            yield return markdown[start..cut];
            start = cut;
        }

        yield return markdown[start..];
    }

    // The index just after a "\n\n" at or past 'from' that is followed by "| " or "#", or -1.
    private static int NextCut(string markdown, int from)
    {
        for (var at = markdown.IndexOf("\n\n", from - 1, StringComparison.Ordinal); at >= 0;
             at = markdown.IndexOf("\n\n", at + 1, StringComparison.Ordinal))
        {
            var next = at + 2;
            if (next < markdown.Length
                && (markdown[next] == '#' || (markdown[next] == '|' && next + 1 < markdown.Length && markdown[next + 1] == ' ')))
            {
                return next;
            }
        }

        return -1;
    }
}
