using System.Collections.Immutable;

namespace CsrssForensics.Windows.CommandLines;

/// <summary>Small text helpers shared by the command-line readers: white space, tokens, quotes, notes.</summary>
internal static class CommandText
{
    internal const int MaxNoteLength = 2000;

    /// <summary>Extensions Windows runs directly or through a registered host; a path ending in one is a launch target.</summary>
    internal static readonly string[] RunnableExtensions =
        [".exe", ".com", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".hta", ".scr", ".dll", ".cpl", ".pif", ".msi", ".sys"];

    internal static string StripOuterQuotes(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"')
        {
            return trimmed[1..^1].Trim();
        }

        return trimmed.TrimStart('"').Trim();
    }

    internal static bool IsUrl(string text) =>
        text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase) ||
        text.StartsWith(@"\\", StringComparison.Ordinal) && text.Contains('@', StringComparison.Ordinal);

    internal static void AddNote(ImmutableArray<string>.Builder notes, string note) =>
        notes.Add(note.Length > MaxNoteLength ? note[..MaxNoteLength] + "…" : note);

    internal static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    internal static string? NullIfBlank(string text) => string.IsNullOrWhiteSpace(text) ? null : text;

    internal static bool IsWhite(char c) => c == ' ' || c == '\t';

    internal static int SkipWhite(string text, int i)
    {
        while (i < text.Length && IsWhite(text[i]))
        {
            i++;
        }

        return i;
    }

    internal static int SkipToken(string text, int i)
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

    internal readonly record struct Token(string Text, int Start);

    // White-space separated tokens with simple quote grouping, with where each starts in the text.
    internal static List<Token> TokensWithPositions(string text)
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
            var quotes = 0;
            var inQuotes = false;
            while (i < text.Length && (inQuotes || !IsWhite(text[i])))
            {
                if (text[i] == '"')
                {
                    inQuotes = !inQuotes;
                    quotes++;
                }

                i++;
            }

            // Most tokens hold no quote: a plain slice, no per-token builder.
            tokens.Add(new Token(quotes == 0 ? text[start..i] : WithoutQuotes(text, start, i, quotes), start));
        }
    }

    private static string WithoutQuotes(string text, int start, int end, int quotes) =>
        string.Create(end - start - quotes, (text, start, end), static (destination, state) =>
        {
            var length = 0;
            foreach (var c in state.text.AsSpan(state.start, state.end - state.start))
            {
                if (c != '"')
                {
                    destination[length++] = c;
                }
            }
        });

    internal static bool EndsWithRunnableExtension(string value)
    {
        foreach (var extension in RunnableExtensions)
        {
            if (value.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && value.Length > extension.Length)
            {
                return true;
            }
        }

        return false;
    }
}
