using System.Text;
using System.Text.Encodings.Web;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Html;

/// <summary>
/// Text for the page: every model string is made visible (<see cref="VisibleText"/>) and HTML-encoded, because the
/// bundle that supplied it is hostile. Anchor IDs are built only from characters that need no encoding.
/// </summary>
internal static class HtmlText
{
    /// <summary>Shown where a value is absent.</summary>
    public const string Missing = "—";

    /// <summary>Encoded text, or <see cref="Missing"/>.</summary>
    public static string E(string? value) =>
        string.IsNullOrEmpty(value) ? Missing : HtmlEncoder.Default.Encode(VisibleText.Make(value));

    /// <summary>An encoded path with a line-break opportunity after every separator, so it wraps at '\' and '/'.</summary>
    public static string P(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Missing;
        }

        var encoded = HtmlEncoder.Default.Encode(VisibleText.Path(value));
        var html = new StringBuilder(encoded.Length + 16);
        foreach (var c in encoded)
        {
            html.Append(c);
            if (c is '\\' or '/')
            {
                html.Append("<wbr>");
            }
        }

        return html.ToString();
    }

    /// <summary>
    /// An anchor ID from any text: letters, digits and '-' kept, everything else as "_" and its UTF-16 code in hex, so
    /// two different texts never share an ID and nothing in it needs encoding.
    /// </summary>
    public static string Id(string prefix, string? value)
    {
        var id = new StringBuilder(prefix.Length + (value?.Length ?? 0) + 1).Append(prefix).Append('-');
        foreach (var c in value ?? string.Empty)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                id.Append(c);
            }
            else
            {
                id.Append('_').Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return id.ToString();
    }
}
