using System.Text;

namespace CsrssForensics.Rules;

/// <summary>
/// Fills the <c>{name}</c> and <c>{name|fallback}</c> placeholders of a finding's wording in one pass, so a value that
/// itself holds braces (a task name or command line is attacker-written) is never read as another placeholder.
/// </summary>
public static class FindingTemplate
{
    /// <summary>
    /// The text with each placeholder replaced: the parameter's value; its fallback (or "unknown") when the value is
    /// null; the placeholder unchanged when <paramref name="lookup"/> does not know the name.
    /// </summary>
    public static string Fill(string template, Func<string, (bool Known, string? Value)> lookup)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(lookup);
        var text = new StringBuilder(template.Length + 64);
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf('{', at);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                text.Append(template, at, template.Length - at);
                break;
            }

            text.Append(template, at, open - at);
            var body = template.AsSpan(open + 1, close - open - 1);
            var bar = body.IndexOf('|');
            var name = (bar < 0 ? body : body[..bar]).ToString();
            var (known, value) = IsName(name) ? lookup(name) : (false, null);
            if (known)
            {
                text.Append(value ?? (bar < 0 ? "unknown" : body[(bar + 1)..].ToString()));
            }
            else
            {
                text.Append(template, open, close - open + 1);
            }

            at = close + 1;
        }

        return text.ToString();
    }

    /// <summary>The placeholder names in <paramref name="template"/>, in order.</summary>
    public static IEnumerable<string> Placeholders(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var at = 0;
        while (template.IndexOf('{', at) is var open and >= 0 && template.IndexOf('}', open + 1) is var close and >= 0)
        {
            var body = template[(open + 1)..close];
            var bar = body.IndexOf('|', StringComparison.Ordinal);
            var name = bar < 0 ? body : body[..bar];
            if (IsName(name))
            {
                yield return name;
            }

            at = close + 1;
        }
    }

    private static bool IsName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '.');
}
