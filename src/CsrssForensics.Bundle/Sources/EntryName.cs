using System.Text;

namespace CsrssForensics.Bundle.Sources;

/// <summary>What makes a bundle entry name normal: relative, <c>/</c>-separated, no empty, <c>.</c> or <c>..</c> segment.</summary>
internal static class EntryName
{
    private const int MaxLength = 1024;

    /// <summary>Null when the name is normal, otherwise why it is not.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "empty name";
        }

        if (name.Length > MaxLength)
        {
            return "name longer than 1024 characters";
        }

        foreach (var c in name)
        {
            if (c == '\0')
            {
                return "name contains NUL";
            }

            if (char.IsControl(c))
            {
                return "name contains a control character";
            }
        }

        if (name[0] == '/')
        {
            return "absolute name";
        }

        if (name[0] == '\\')
        {
            return "backslash-rooted name";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "name contains a backslash";
        }

        if (name.Contains(':', StringComparison.Ordinal))
        {
            // C:x, C:\x, and NTFS stream names (x:stream) all point somewhere other than a plain entry.
            return "drive-rooted name or stream name (contains ':')";
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "empty path segment";
            }

            if (segment == "." || segment == "..")
            {
                return "'.' or '..' segment";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="name"/> is a normal entry name.</summary>
    public static bool IsNormal(string? name) => Problem(name) is null;

    /// <summary>A printable form of a hostile name for reports: control characters escaped, length capped.</summary>
    public static string Printable(string? name)
    {
        if (name is null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(name.Length, 300));
        foreach (var c in name)
        {
            if (builder.Length >= 300)
            {
                builder.Append('…');
                break;
            }

            if (char.IsControl(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
