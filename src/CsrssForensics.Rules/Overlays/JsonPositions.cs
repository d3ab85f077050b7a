using System.Text;
using System.Text.Json;

namespace CsrssForensics.Rules.Overlays;

/// <summary>
/// Where each value of a JSON text starts (1-based line and column), keyed by JSON Pointer, so an error found on the
/// parsed document (schema or merge) can name the line a person has to edit. Object members point at their name.
/// </summary>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _byPointer = new(StringComparer.Ordinal);

    private JsonPositions()
    {
    }

    /// <summary>Walks <paramref name="utf8"/> once; the text must already have parsed (no BOM).</summary>
    public static JsonPositions Of(ReadOnlySpan<byte> utf8)
    {
        var positions = new JsonPositions();
        var lineStarts = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        var frames = new Stack<Frame>();
        string? pending = null;
        while (reader.Read())
        {
            var at = Locate(utf8, lineStarts, reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pending = frames.Peek().Pointer + "/" + Escape(reader.GetString() ?? string.Empty);
                    positions._byPointer.TryAdd(pending, at);
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.Pop();
                    continue;
                case JsonTokenType.Comment or JsonTokenType.None:
                    continue;
            }

            string pointer;
            if (frames.Count == 0)
            {
                pointer = string.Empty;
            }
            else if (frames.Peek().IsArray)
            {
                var frame = frames.Pop();
                pointer = frame.Pointer + "/" + frame.NextIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
                frames.Push(frame with { NextIndex = frame.NextIndex + 1 });
            }
            else
            {
                pointer = pending ?? string.Empty;
            }

            positions._byPointer.TryAdd(pointer, at);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Push(new Frame(pointer, reader.TokenType == JsonTokenType.StartArray, 0));
            }
        }

        return positions;
    }

    /// <summary>The position of <paramref name="pointer"/>, or of its nearest ancestor when it does not exist (a missing property).</summary>
    public (int Line, int Column) Find(string pointer)
    {
        var current = pointer;
        while (true)
        {
            if (_byPointer.TryGetValue(current, out var at))
            {
                return at;
            }

            if (current.Length == 0)
            {
                return (1, 1);
            }

            current = current[..Math.Max(0, current.LastIndexOf('/'))];
        }
    }

    /// <summary>RFC 6901 escaping of one reference token.</summary>
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static List<long> LineStarts(ReadOnlySpan<byte> utf8)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    // The column counts characters (UTF-16 units, as editors do for most text), not bytes.
    private static (int Line, int Column) Locate(ReadOnlySpan<byte> utf8, List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        var start = (int)lineStarts[line];
        var column = Encoding.UTF8.GetCharCount(utf8[start..(int)offset]) + 1;
        return (line + 1, column);
    }

    private readonly record struct Frame(string Pointer, bool IsArray, int NextIndex);
}
