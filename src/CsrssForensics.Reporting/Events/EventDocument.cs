using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Events;

/// <summary>
/// One JSON object built from dotted field names (<c>process.parent.pid</c> becomes nested objects, as ECS and
/// Elasticsearch expect), written as one line. Absent values (null, empty lists) are left out rather than written as
/// null, so a missing fact never looks like a stated one. Field order is insertion order: writers add fields in a fixed
/// order, so the same model always gives the same bytes.
/// </summary>
internal sealed class EventDocument
{
    private static readonly JsonWriterOptions _options = new()
    {
        // The default encoder escapes non-ASCII, HTML-sensitive and control characters: attacker text stays inert in
        // any viewer that shows the raw line, and the output is ASCII on every machine.
        Encoder = JavaScriptEncoder.Default,
        Indented = false,
        SkipValidation = false,
    };

    private readonly Node _root = new();

    /// <summary>Sets a string field; null leaves the field out. Unpaired surrogates become U+FFFD.</summary>
    public EventDocument Set(string field, string? value) => value is null ? this : Put(field, WellFormed(value));

    /// <summary>Sets an integer field; null leaves the field out.</summary>
    public EventDocument Set(string field, long? value) => value is { } v ? Put(field, v) : this;

    /// <summary>Sets a boolean field; null leaves the field out.</summary>
    public EventDocument Set(string field, bool? value) => value is { } v ? Put(field, v) : this;

    /// <summary>Sets a date field as UTC ISO-8601 with 'Z'; null leaves the field out.</summary>
    public EventDocument Set(string field, DateTimeOffset? value) => value is { } v ? Put(field, ReportText.Utc(v)) : this;

    /// <summary>Sets a list of strings; an empty list leaves the field out.</summary>
    public EventDocument Set(string field, IEnumerable<string> values)
    {
        var list = values.Select(WellFormed).ToList();
        return list.Count == 0 ? this : Put(field, list);
    }

    /// <summary>True when the field (dotted name) has been set.</summary>
    public bool Has(string field)
    {
        var node = _root;
        foreach (var part in field.Split('.'))
        {
            if (node.Children.Find(c => c.Name == part) is not { } child)
            {
                return false;
            }

            if (child.Value is Node inner)
            {
                node = inner;
            }
            else
            {
                return true;
            }
        }

        return true;
    }

    /// <summary>The object as one line of JSON, without a line break.</summary>
    public string ToJsonLine()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Appends the object and a '\n' to a buffer shared by a whole output, so a long attacker string is copied once
    /// into the output rather than through a per-line string and builder (the hostile-input memory budget).
    /// </summary>
    public void WriteLineTo(ArrayBufferWriter<byte> buffer)
    {
        WriteTo(buffer);
        buffer.Write("\n"u8);
    }

    private void WriteTo(ArrayBufferWriter<byte> buffer)
    {
        using var writer = new Utf8JsonWriter(buffer, _options);
        Write(writer, _root);
    }

    /// <summary>Replaces unpaired UTF-16 surrogates (which JSON cannot carry) with U+FFFD.</summary>
    internal static string WellFormed(string value)
    {
        StringBuilder? fixedText = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (paired)
            {
                fixedText?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                fixedText ??= new StringBuilder(value, 0, i, value.Length);
                fixedText.Append('\uFFFD');
                continue;
            }

            fixedText?.Append(c);
        }

        return fixedText?.ToString() ?? value;
    }

    private EventDocument Put(string field, object value)
    {
        var parts = field.Split('.');
        var node = _root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var existing = node.Children.Find(c => c.Name == parts[i]);
            if (existing is null)
            {
                var inner = new Node();
                node.Children.Add(new Field(parts[i], inner));
                node = inner;
            }
            else
            {
                node = existing.Value as Node
                    ?? throw new InvalidOperationException($"Field '{field}' would nest inside the value of '{parts[i]}'.");
            }
        }

        var leaf = parts[^1];
        var index = node.Children.FindIndex(c => c.Name == leaf);
        if (index >= 0)
        {
            throw new InvalidOperationException($"Field '{field}' is set twice.");
        }

        node.Children.Add(new Field(leaf, value));
        return this;
    }

    private static void Write(Utf8JsonWriter writer, Node node)
    {
        writer.WriteStartObject();
        foreach (var field in node.Children)
        {
            writer.WritePropertyName(field.Name);
            switch (field.Value)
            {
                case Node inner:
                    Write(writer, inner);
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case long number:
                    writer.WriteNumberValue(number);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case List<string> list:
                    writer.WriteStartArray();
                    list.ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected value type for '{field.Name}'.");
            }
        }

        writer.WriteEndObject();
    }

    private sealed class Node
    {
        public List<Field> Children { get; } = [];
    }

    private sealed record Field(string Name, object Value);
}
