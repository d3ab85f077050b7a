using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Wording;

/// <summary>One row of the wording table: a code, the line kind it belongs to, its parameters and its template.</summary>
/// <param name="Kind">do, do-not, after-cleanup, summary, root-action, verdict-reason, record (a cell of a "what to record" row), step-question, step-answer, not-collected, gap, sibling-reason, sibling-note, program-reason or label.</param>
public sealed record WordingEntry(string Code, string Kind, ImmutableArray<string> Params, string Text);

/// <summary>
/// The one renderer of report lines. The analysis names a code and its parameters; this class fills the code's
/// template from <c>report-wording.json</c>, so a line reads the same in every format and wording changes in one
/// place. Parameter values are inserted as they are: escaping stays with each writer.
/// </summary>
public static class ReportWording
{
    private const string ResourceName = "CsrssForensics.Reporting.report-wording.json";
    private const string OptionalOpen = "[[";
    private const string OptionalClose = "]]";

    private static readonly Lazy<FrozenDictionary<string, WordingEntry>> _entries = new(Load);

    /// <summary>Every entry of the table, by code.</summary>
    public static FrozenDictionary<string, WordingEntry> Entries => _entries.Value;

    /// <summary>The raw table, as embedded (for schema checks).</summary>
    public static string ReadEmbedded()
    {
        using var stream = typeof(ReportWording).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>An action ("do" or "do not", from the table) about <paramref name="subjectPath"/>; null values are left out.</summary>
    /// <exception cref="InvalidOperationException">The code is not in the table, or is not an action, or a parameter is unknown.</exception>
    public static ActionItem Action(string code, string? subjectPath, params (string Name, string? Value)[] parameters)
    {
        var entry = Entry(code);
        if (entry.Kind is not ("do" or "do-not"))
        {
            throw new InvalidOperationException($"Wording code {code} is a {entry.Kind} line, not an action.");
        }

        var values = Parameters(entry, parameters);
        return new ActionItem(entry.Kind, Render(entry, values), subjectPath) { Code = code, Params = values };
    }

    /// <summary>A line (after-cleanup step, summary sentence) rendered from the table; null values are left out.</summary>
    /// <exception cref="InvalidOperationException">The code is not in the table, or a parameter is unknown.</exception>
    public static ReportLine Line(string code, params (string Name, string? Value)[] parameters)
    {
        var entry = Entry(code);
        var values = Parameters(entry, parameters);
        return new ReportLine(Render(entry, values)) { Code = code, Params = values };
    }

    /// <summary>The text of <paramref name="code"/> filled with <paramref name="parameters"/>.</summary>
    public static string Render(string code, ImmutableArray<ItemParameter> parameters) => Render(Entry(code), parameters);

    /// <summary>
    /// What a writer shows for a coded line: its code's template filled with its parameters. A line without a code,
    /// or with one this table does not know (a model from another build), shows its own text.
    /// </summary>
    public static string Text(ReportLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Code is { } code && Entries.TryGetValue(code, out var entry) ? Render(entry, line.Params) : line.Text;
    }

    private static WordingEntry Entry(string code) =>
        Entries.TryGetValue(code, out var entry) ? entry : throw new InvalidOperationException($"Wording code {code} is not in report-wording.json.");

    private static ImmutableArray<ItemParameter> Parameters(WordingEntry entry, (string Name, string? Value)[] parameters)
    {
        foreach (var (name, _) in parameters)
        {
            if (!entry.Params.Contains(name))
            {
                throw new InvalidOperationException($"Wording code {entry.Code} has no parameter '{name}'.");
            }
        }

        // Template order, so every report lists a code's parameters the same way whatever order the caller used.
        return [.. entry.Params
            .Select(name => parameters.FirstOrDefault(p => p.Name == name))
            .Where(p => p.Value is not null)
            .Select(p => new ItemParameter(p.Name, p.Value!))];
    }

    private static string Render(WordingEntry entry, ImmutableArray<ItemParameter> parameters)
    {
        var text = new StringBuilder(entry.Text.Length + 64);
        var template = entry.Text.AsSpan();
        while (!template.IsEmpty)
        {
            var open = template.IndexOf(OptionalOpen, StringComparison.Ordinal);
            if (open < 0)
            {
                Fill(text, template, entry, parameters, required: true);
                break;
            }

            Fill(text, template[..open], entry, parameters, required: true);
            template = template[(open + OptionalOpen.Length)..];
            var close = template.IndexOf(OptionalClose, StringComparison.Ordinal);
            var segment = template[..close];
            var start = text.Length;
            if (!Fill(text, segment, entry, parameters, required: false))
            {
                text.Length = start;
            }

            template = template[(close + OptionalClose.Length)..];
        }

        return text.ToString();
    }

    /// <summary>Appends <paramref name="piece"/> with its placeholders filled; false when an optional piece lacks a value.</summary>
    private static bool Fill(StringBuilder text, ReadOnlySpan<char> piece, WordingEntry entry, ImmutableArray<ItemParameter> parameters, bool required)
    {
        while (!piece.IsEmpty)
        {
            var open = piece.IndexOf('{');
            if (open < 0)
            {
                text.Append(piece);
                return true;
            }

            text.Append(piece[..open]);
            var close = piece[open..].IndexOf('}') + open;
            var name = piece[(open + 1)..close].ToString();
            // An optional segment needs a non-empty value; a required placeholder needs one, empty or not.
            var value = parameters.FirstOrDefault(p => p.Name == name)?.Value;
            if (!required && string.IsNullOrEmpty(value))
            {
                return false;
            }

            if (value is null)
            {
                throw new InvalidOperationException($"Wording code {entry.Code} needs a value for '{name}'.");
            }

            text.Append(value);
            piece = piece[(close + 1)..];
        }

        return true;
    }

    private static FrozenDictionary<string, WordingEntry> Load()
    {
        using var document = JsonDocument.Parse(ReadEmbedded());
        var entries = new Dictionary<string, WordingEntry>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
        {
            var entry = new WordingEntry(
                item.GetProperty("code").GetString()!,
                item.GetProperty("kind").GetString()!,
                [.. item.GetProperty("params").EnumerateArray().Select(p => p.GetString()!)],
                item.GetProperty("text").GetString()!);
            if (!entries.TryAdd(entry.Code, entry))
            {
                throw new InvalidOperationException($"Wording code {entry.Code} appears twice in report-wording.json.");
            }
        }

        return entries.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
