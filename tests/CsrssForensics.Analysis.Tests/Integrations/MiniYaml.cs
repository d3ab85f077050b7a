using System.Text;
using System.Text.RegularExpressions;

namespace CsrssForensics.Analysis.Tests.Integrations;

/// <summary>
/// A small reader for the block-style YAML subset Velociraptor artifacts use: mappings, sequences (of scalars or
/// mappings), literal block scalars (<c>|</c>), plain, single- and double-quoted scalars, full-line comments. Written by
/// hand because no YAML package is served here; anything outside the subset throws, so a test never reads a YAML
/// construct wrongly without noticing. Mappings are <see cref="Dictionary{TKey,TValue}"/>, sequences
/// <see cref="List{T}"/>, scalars strings.
/// </summary>
internal sealed partial class MiniYaml
{
    private readonly List<(int Indent, string Text)> _lines = [];
    private int _next;

    private MiniYaml(string text)
    {
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.Contains('\t', StringComparison.Ordinal) && raw.TrimStart(' ').StartsWith('\t'))
            {
                throw new FormatException("Tabs are not allowed for indentation in YAML.");
            }

            var content = raw.TrimStart(' ');
            _lines.Add((raw.Length - content.Length, content.TrimEnd()));
        }
    }

    [GeneratedRegex("^(?<key>[A-Za-z_][A-Za-z0-9_.-]*):(?: +(?<value>.*))?$")]
    private static partial Regex KeyLine();

    /// <summary>Parses a whole document.</summary>
    public static object Parse(string text)
    {
        var reader = new MiniYaml(text);
        reader.SkipInsignificant();
        var result = reader.Block(reader._lines[reader._next].Indent);
        reader.SkipInsignificant();
        if (reader._next < reader._lines.Count)
        {
            throw new FormatException($"Unexpected content at line {reader._next + 1}: '{reader._lines[reader._next].Text}'.");
        }

        return result;
    }

    private object Block(int indent) =>
        IsSequenceItem(_lines[_next].Text) ? Sequence(indent) : Mapping(indent);

    private Dictionary<string, object> Mapping(int indent)
    {
        var mapping = new Dictionary<string, object>(StringComparer.Ordinal);
        while (SkipInsignificant() && _lines[_next].Indent == indent && !IsSequenceItem(_lines[_next].Text))
        {
            var match = KeyLine().Match(_lines[_next].Text);
            if (!match.Success)
            {
                throw new FormatException($"Line {_next + 1} is not 'key: value': '{_lines[_next].Text}'.");
            }

            _next++;
            var key = match.Groups["key"].Value;
            var value = match.Groups["value"].Success ? match.Groups["value"].Value : string.Empty;
            if (!mapping.TryAdd(key, Value(indent, value)))
            {
                throw new FormatException($"Key '{key}' appears twice.");
            }
        }

        return mapping;
    }

    private List<object> Sequence(int indent)
    {
        var sequence = new List<object>();
        while (SkipInsignificant() && _lines[_next].Indent == indent && IsSequenceItem(_lines[_next].Text))
        {
            var rest = _lines[_next].Text.Length > 1 ? _lines[_next].Text[2..] : string.Empty;
            if (rest.Length == 0)
            {
                _next++;
                SkipInsignificant();
                sequence.Add(Block(_lines[_next].Indent));
            }
            else if (KeyLine().IsMatch(rest))
            {
                // "- key: value" opens a mapping whose keys sit two columns in.
                _lines[_next] = (indent + 2, rest);
                sequence.Add(Mapping(indent + 2));
            }
            else
            {
                _next++;
                sequence.Add(Scalar(rest));
            }
        }

        return sequence;
    }

    private object Value(int indent, string value)
    {
        if (value is "|" or "|-")
        {
            return Literal(indent, keepFinalNewline: value == "|");
        }

        if (value.Length > 0)
        {
            return Scalar(value);
        }

        // "key:" then a nested block, or a sequence at the same indentation (a common YAML style).
        if (!SkipInsignificant())
        {
            return string.Empty;
        }

        var (nextIndent, nextText) = _lines[_next];
        return nextIndent > indent || (nextIndent == indent && IsSequenceItem(nextText)) ? Block(nextIndent) : string.Empty;
    }

    private string Literal(int indent, bool keepFinalNewline)
    {
        var text = new StringBuilder();
        var blockIndent = -1;
        while (_next < _lines.Count && (_lines[_next].Text.Length == 0 || _lines[_next].Indent > indent))
        {
            var (lineIndent, lineText) = _lines[_next];
            if (lineText.Length > 0 && blockIndent < 0)
            {
                blockIndent = lineIndent;
            }

            text.Append(lineText.Length == 0 ? string.Empty : new string(' ', lineIndent - blockIndent) + lineText).Append('\n');
            _next++;
        }

        var result = text.ToString().TrimEnd('\n');
        return keepFinalNewline ? result + "\n" : result;
    }

    private static string Scalar(string text)
    {
        if (text.StartsWith('"'))
        {
            if (!text.EndsWith('"') || text.Length < 2)
            {
                throw new FormatException($"Unterminated double-quoted scalar: {text}");
            }

            return Regex.Unescape(text[1..^1]);
        }

        if (text.StartsWith('\''))
        {
            if (!text.EndsWith('\'') || text.Length < 2)
            {
                throw new FormatException($"Unterminated single-quoted scalar: {text}");
            }

            return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (text.StartsWith('[') || text.StartsWith('{') || text.StartsWith('&') || text.StartsWith('*') || text.StartsWith('>'))
        {
            throw new FormatException($"Flow collections, anchors and folded scalars are outside this reader's subset: {text}");
        }

        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? text[..comment] : text).Trim();
    }

    private static bool IsSequenceItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    // Moves past blank and comment lines; false at the end of the document.
    private bool SkipInsignificant()
    {
        while (_next < _lines.Count && (_lines[_next].Text.Length == 0 || _lines[_next].Text.StartsWith('#')))
        {
            _next++;
        }

        return _next < _lines.Count;
    }
}
