using System.Text;

namespace CsrssForensics.Reporting.Markdown;

/// <summary>
/// Collects Markdown blocks with '\n' line endings and one blank line between blocks. Callers pass text that is
/// either fixed by this project or already escaped with <see cref="Text.MarkdownText"/>.
/// </summary>
internal sealed class MarkdownBuilder
{
    /// <summary>
    /// Rows per table block. Markdig parses a pipe table in time that grows with the square of its row count (3000 rows
    /// took 19 s) and refuses very long ones as "too deeply nested"; blocks of this size keep rendering linear.
    /// </summary>
    public const int MaxTableRows = 100;

    private readonly StringBuilder _text = new();
    private readonly TextWriter? _sink;

    /// <summary>Collects the whole text in memory (see <see cref="ToString"/>).</summary>
    public MarkdownBuilder()
    {
    }

    /// <summary>Passes finished blocks on to <paramref name="sink"/> at each <see cref="Flush"/>, so a long report is never held whole.</summary>
    public MarkdownBuilder(TextWriter sink)
    {
        _sink = sink;
    }

    public void Heading(int level, string markdown)
    {
        _text.Append('#', level).Append(' ').Append(markdown).Append('\n').Append('\n');
    }

    public void Paragraph(string markdown)
    {
        _text.Append(markdown).Append('\n').Append('\n');
    }

    public void Bullets(IEnumerable<string> items)
    {
        var any = false;
        foreach (var item in items)
        {
            _text.Append("- ").Append(item).Append('\n');
            any = true;
        }

        if (any)
        {
            _text.Append('\n');
        }
    }

    public void Numbered(IEnumerable<string> items)
    {
        var number = 0;
        foreach (var item in items)
        {
            number++;
            _text.Append(number.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(". ").Append(item).Append('\n');
        }

        if (number > 0)
        {
            _text.Append('\n');
        }
    }

    /// <summary>
    /// A list whose items <paramref name="appendItem"/> writes straight into the text (escaped Markdown, one line each),
    /// so a long list builds no string per item.
    /// </summary>
    public void Bullets<T>(IEnumerable<T> items, Action<StringBuilder, T> appendItem) =>
        NestedBullets(items.Select(item => (0, item)), appendItem);

    /// <summary>A nested list as <see cref="Bullets{T}"/>: each item is indented two spaces per depth level.</summary>
    public void NestedBullets<T>(IEnumerable<(int Depth, T Item)> items, Action<StringBuilder, T> appendItem)
    {
        var any = false;
        foreach (var (depth, item) in items)
        {
            _text.Append(' ', depth * 2).Append("- ");
            appendItem(_text, item);
            _text.Append('\n');
            any = true;
        }

        if (any)
        {
            _text.Append('\n');
        }
    }

    /// <summary>
    /// A pipe table. Every cell must be a single line of escaped text, so a row never splits. Long tables are cut into
    /// blocks of <see cref="MaxTableRows"/> rows, each with the header repeated.
    /// </summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        AppendHeader(headers);
        var count = 0;
        foreach (var row in rows)
        {
            if (row.Count != headers.Count)
            {
                throw new InvalidOperationException("A table row must have one cell per header.");
            }

            if (count == MaxTableRows)
            {
                _text.Append('\n');
                AppendHeader(headers);
                count = 0;
            }

            AppendRow(row);
            count++;
        }

        _text.Append('\n');
    }

    /// <summary>Writes what is collected to the sink, except the trailing line breaks (the end trims them).</summary>
    public void Flush()
    {
        if (_sink is null)
        {
            throw new InvalidOperationException("This builder has no sink.");
        }

        var keep = 0;
        while (keep < _text.Length && _text[_text.Length - 1 - keep] == '\n')
        {
            keep++;
        }

        var end = _text.Length - keep;
        var position = 0;
        foreach (var chunk in _text.GetChunks())
        {
            if (position >= end)
            {
                break;
            }

            _sink.Write(chunk.Span[..Math.Min(chunk.Length, end - position)]);
            position += chunk.Length;
        }

        _text.Remove(0, end);
    }

    /// <summary>Writes the rest with exactly one trailing newline, as <see cref="ToString"/> would end.</summary>
    public void Finish()
    {
        Flush();
        _text.Clear();
        _sink!.Write('\n');
    }

    public override string ToString()
    {
        // Exactly one trailing newline, whatever the last block was.
        var text = _text.ToString().TrimEnd('\n');
        return text + "\n";
    }

    private void AppendHeader(IReadOnlyList<string> headers)
    {
        AppendRow(headers);
        _text.Append('|');
        foreach (var _ in headers)
        {
            _text.Append(" --- |");
        }

        _text.Append('\n');
    }

    private void AppendRow(IReadOnlyList<string> cells)
    {
        _text.Append('|');
        foreach (var cell in cells)
        {
            _text.Append(' ').Append(cell.Length == 0 ? Text.MarkdownText.Missing : cell).Append(" |");
        }

        _text.Append('\n');
    }
}
