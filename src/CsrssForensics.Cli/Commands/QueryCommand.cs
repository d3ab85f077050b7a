using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsrssForensics.Fleet.CaseStore;

namespace CsrssForensics.Cli.Commands;

/// <summary><c>query CASE "SQL" [--format table|csv|json]</c>: runs SQL against a case database, read-only.</summary>
internal static class QueryCommand
{
    /// <summary>Rows printed at most; a query that returns more is cut with a note on stderr.</summary>
    public const int MaxRows = 1_000_000;

    public static Command Create()
    {
        var caseFile = new Argument<FileInfo>("case") { Description = "The case database (a .duckdb file written by a fleet 'analyze')." };
        var sql = new Argument<string>("sql") { Description = "The query (the case is opened read-only; see docs/case-database.md)." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "table, csv or json.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("query", "Run SQL against a case database (read-only) and print the rows.") { caseFile, sql, format };
        command.SetAction(parse => Run(parse.GetValue(caseFile)!, parse.GetValue(sql)!, parse.GetValue(format)!));
        return command;
    }

    private static int Run(FileInfo caseFile, string sql, string format)
    {
        if (!caseFile.Exists)
        {
            throw new CliFailure(ExitCodes.UnreadableInput, $"case '{caseFile.FullName}' does not exist");
        }

        (IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows) result;
        try
        {
            result = CaseDatabase.Query(caseFile.FullName, sql, MaxRows + 1);
        }
        catch (Exception error) when (error is DuckDB.NET.Data.DuckDBException or IOException or InvalidOperationException)
        {
            throw new CliFailure(ExitCodes.UnreadableInput, $"query failed: {error.Message}", error);
        }

        var rows = result.Rows.Take(MaxRows).Select(r => r.Select(Text).ToArray()).ToList();
        Console.Write(format switch
        {
            "csv" => Csv(result.Columns, rows),
            "json" => Json(result.Columns, result.Rows.Take(MaxRows)),
            _ => Table(result.Columns, rows),
        });
        if (result.Rows.Count > MaxRows)
        {
            Console.Error.WriteLine($"note: only the first {MaxRows} rows are printed; add a LIMIT or an aggregate");
        }

        return ExitCodes.Clean;
    }

    /// <summary>A value as text: invariant culture, UTC ISO-8601 times, then the terminal filter.</summary>
    internal static string Text(object? value) => TerminalText.Printable(value switch
    {
        null => string.Empty,
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    });

    private static string Table(IReadOnlyList<string> columns, List<string[]> rows)
    {
        var names = columns.Select(TerminalText.Printable).ToArray();
        var widths = names.Select((n, i) => Math.Min(80, rows.Select(r => r[i].Length).Append(n.Length).Max())).ToArray();
        var text = new StringBuilder();
        void Line(IEnumerable<string> cells) =>
            text.Append(string.Join(" | ", cells.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i]))).TrimEnd()).Append('\n');
        Line(names);
        text.Append(string.Join("-+-", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in rows)
        {
            Line(row);
        }

        text.Append(CultureInfo.InvariantCulture, $"({rows.Count} rows)\n");
        return text.ToString();
    }

    /// <summary>RFC 4180 CSV; a cell a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with a quote.</summary>
    private static string Csv(IReadOnlyList<string> columns, List<string[]> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows.Prepend([.. columns.Select(TerminalText.Printable)]))
        {
            text.Append(string.Join(',', row.Select(Cell))).Append('\n');
        }

        return text.ToString();

        static string Cell(string value)
        {
            if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
            {
                value = "'" + value;
            }

            return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        }
    }

    /// <summary>An array of objects; JSON escapes every control and format character, numbers and booleans stay typed.</summary>
    private static string Json(IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                for (int i = 0; i < columns.Count; i++)
                {
                    json.WritePropertyName(columns[i]);
                    switch (row[i])
                    {
                        case null: json.WriteNullValue(); break;
                        case bool flag: json.WriteBooleanValue(flag); break;
                        case double number when !double.IsFinite(number): json.WriteStringValue(Convert.ToString(number, CultureInfo.InvariantCulture)); break;
                        case float number when !float.IsFinite(number): json.WriteStringValue(Convert.ToString(number, CultureInfo.InvariantCulture)); break;
                        case int or long or short or byte or sbyte or uint or ulong or ushort or double or float or decimal:
                            json.WriteRawValue(Convert.ToString(row[i], CultureInfo.InvariantCulture)!); break;
                        case DateTime time: json.WriteStringValue(time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)); break;
                        default: json.WriteStringValue(Convert.ToString(row[i], CultureInfo.InvariantCulture)); break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
