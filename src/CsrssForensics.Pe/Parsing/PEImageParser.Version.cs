using System.Globalization;
using System.Text;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Parsing;

/// <summary>
/// VS_VERSIONINFO: a tree of blocks, each <c>wLength, wValueLength, wType, szKey, padding, Value, padding, Children</c>,
/// 32-bit aligned from the start of the resource. Depth is fixed by the format (VS_VERSIONINFO, StringFileInfo or
/// VarFileInfo, StringTable or Var, String), so only those four levels are read.
/// </summary>
internal sealed partial class PEImageParser
{
    private const int MaxVersionChildren = 1024;
    private const int MaxVersionKeyChars = 256;
    private const int MaxVersionValueChars = 4096;
    private const uint FixedFileInfoSignature = 0xFEEF04BD;

    /// <summary>U.S. English with Unicode, then with Windows-1252: the tables Windows' own binaries carry.</summary>
    private static readonly string[] _preferredStringTables = ["040904B0", "040904E4"];

    private VersionInfo? ParseVersionInfo(ReadOnlySpan<byte> blob, ulong fileOffset)
    {
        if (!TryReadVersionBlock(blob, fileOffset, 0, (ulong)blob.Length, out var root))
        {
            return null;
        }

        if (!string.Equals(root.Key, "VS_VERSION_INFO", StringComparison.Ordinal))
        {
            Report(PEAnomalyCodes.BadVersionBlock, AnomalySeverity.Low,
                Invariant($"version resource key is '{root.Key}', not VS_VERSION_INFO"), fileOffset);
        }

        var fixedVersion = ReadFixedFileInfo(blob, fileOffset, root);
        var tables = new List<(string Key, Dictionary<string, string> Strings)>();
        var translations = new List<string>();
        foreach (var child in ReadVersionChildren(blob, fileOffset, root))
        {
            if (string.Equals(child.Key, "StringFileInfo", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var table in ReadVersionChildren(blob, fileOffset, child))
                {
                    tables.Add((table.Key, ReadStringTable(blob, fileOffset, table)));
                }
            }
            else if (string.Equals(child.Key, "VarFileInfo", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var variable in ReadVersionChildren(blob, fileOffset, child))
                {
                    if (string.Equals(variable.Key, "Translation", StringComparison.OrdinalIgnoreCase))
                    {
                        ReadTranslations(blob, variable, translations);
                    }
                }
            }
        }

        var strings = ChooseStringTable(tables, translations);
        return new VersionInfo(
            Get(strings, "CompanyName"),
            Get(strings, "FileDescription"),
            Get(strings, "OriginalFilename"),
            Get(strings, "InternalName"),
            Get(strings, "ProductName"),
            Get(strings, "FileVersion"),
            Get(strings, "ProductVersion"),
            Get(strings, "LegalCopyright"),
            fixedVersion);
    }

    private static string? Get(Dictionary<string, string>? strings, string key) =>
        strings is not null && strings.TryGetValue(key, out var value) ? value : null;

    private static Dictionary<string, string>? ChooseStringTable(List<(string Key, Dictionary<string, string> Strings)> tables, List<string> translations)
    {
        if (tables.Count == 0)
        {
            return null;
        }

        foreach (var wanted in _preferredStringTables.Concat(translations))
        {
            foreach (var (key, strings) in tables)
            {
                if (string.Equals(key, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return strings;
                }
            }
        }

        return tables[0].Strings;
    }

    private string? ReadFixedFileInfo(ReadOnlySpan<byte> blob, ulong fileOffset, VersionBlock root)
    {
        var length = root.ValueEnd - root.ValueStart;
        if (length == 0)
        {
            return null;
        }

        // VS_FIXEDFILEINFO is 13 DWORDs: dwSignature, dwStrucVersion, dwFileVersionMS, dwFileVersionLS, ...
        if (length < 52
            || !SpanReader.TryReadUInt32At(blob, root.ValueStart, out var signature)
            || !SpanReader.TryReadUInt32At(blob, root.ValueStart + 8, out var versionMs)
            || !SpanReader.TryReadUInt32At(blob, root.ValueStart + 12, out var versionLs))
        {
            Report(PEAnomalyCodes.BadFixedFileInfo, AnomalySeverity.Low,
                Invariant($"VS_FIXEDFILEINFO is {length} bytes, not 52"), fileOffset + root.ValueStart);
            return null;
        }

        if (signature != FixedFileInfoSignature)
        {
            Report(PEAnomalyCodes.BadFixedFileInfo, AnomalySeverity.Low,
                Invariant($"VS_FIXEDFILEINFO.dwSignature is 0x{signature:X8}, not 0xFEEF04BD"), fileOffset + root.ValueStart);
            return null;
        }

        return Invariant($"{versionMs >> 16}.{versionMs & 0xFFFF}.{versionLs >> 16}.{versionLs & 0xFFFF}");
    }

    private Dictionary<string, string> ReadStringTable(ReadOnlySpan<byte> blob, ulong fileOffset, VersionBlock table)
    {
        var strings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in ReadVersionChildren(blob, fileOffset, table))
        {
            var value = ReadUtf16Z(blob, entry.ValueStart, entry.ValueEnd, MaxVersionValueChars, out var truncated);
            if (truncated)
            {
                Report(PEAnomalyCodes.BadVersionString, AnomalySeverity.Low,
                    Invariant($"version string '{entry.Key}' is longer than {MaxVersionValueChars} characters; cut"), fileOffset + entry.ValueStart);
            }

            // The first occurrence wins, like VerQueryValue's linear search.
            strings.TryAdd(entry.Key, value);
        }

        return strings;
    }

    private static void ReadTranslations(ReadOnlySpan<byte> blob, VersionBlock variable, List<string> translations)
    {
        // Var "Translation": an array of (language, code page) WORD pairs.
        for (var at = variable.ValueStart; at + 4 <= variable.ValueEnd; at += 4)
        {
            SpanReader.TryReadUInt16At(blob, at, out var language);
            SpanReader.TryReadUInt16At(blob, at + 2, out var codePage);
            translations.Add(language.ToString("X4", CultureInfo.InvariantCulture) + codePage.ToString("X4", CultureInfo.InvariantCulture));
        }
    }

    private List<VersionBlock> ReadVersionChildren(ReadOnlySpan<byte> blob, ulong fileOffset, VersionBlock parent)
    {
        var children = new List<VersionBlock>();
        var position = parent.ChildrenStart;
        while (position < parent.End && parent.End - position >= 6)
        {
            if (children.Count >= MaxVersionChildren)
            {
                Report(PEAnomalyCodes.VersionTooComplex, AnomalySeverity.Low,
                    Invariant($"version block '{parent.Key}' has more than {MaxVersionChildren} children; the rest is not read"), fileOffset + position);
                break;
            }

            // Some producers pad a block with zeros past its last child; that is not a malformed child.
            if (IsAllZero(blob, position, parent.End))
            {
                break;
            }

            if (!TryReadVersionBlock(blob, fileOffset, position, parent.End, out var child))
            {
                break;
            }

            children.Add(child);
            position = Align4(child.End);
        }

        return children;
    }

    private bool TryReadVersionBlock(ReadOnlySpan<byte> blob, ulong fileOffset, ulong start, ulong parentEnd, out VersionBlock block)
    {
        block = default;
        var reader = new SpanReader(blob, start);
        if (parentEnd - start < 6 || !reader.TryReadUInt16(out var length) || !reader.TryReadUInt16(out var valueLength) || !reader.TryReadUInt16(out var type))
        {
            Report(PEAnomalyCodes.BadVersionBlock, AnomalySeverity.Low, "version block header is cut off", fileOffset + start);
            return false;
        }

        if (length < 6)
        {
            Report(PEAnomalyCodes.BadVersionBlock, AnomalySeverity.Low,
                Invariant($"version block wLength {length} is smaller than its own header"), fileOffset + start);
            return false;
        }

        var end = start + length;
        if (end > parentEnd)
        {
            Report(PEAnomalyCodes.BadVersionBlock, AnomalySeverity.Low,
                Invariant($"version block wLength {length} runs 0x{end - parentEnd:X} bytes past its parent"), fileOffset + start);
            end = parentEnd;
        }

        var keyStart = start + 6;
        var key = ReadUtf16Z(blob, keyStart, end, MaxVersionKeyChars, out var keyTruncated);
        var keyEnd = keyStart + ((ulong)key.Length * 2) + 2;
        if (keyTruncated || keyEnd > end)
        {
            Report(PEAnomalyCodes.BadVersionString, AnomalySeverity.Low, "version block key is unterminated or too long", fileOffset + keyStart);
            return false;
        }

        // wValueLength counts WCHARs for text values (wType 1) and bytes for binary ones; producers get this wrong
        // often enough that a text value is only bounded by its block.
        var valueStart = Math.Min(Align4(keyEnd), end);
        var valueBytes = type == 1 ? (ulong)valueLength * 2 : valueLength;
        var valueEnd = valueStart + valueBytes;
        if (valueEnd > end)
        {
            if (type != 1)
            {
                Report(PEAnomalyCodes.BadVersionBlock, AnomalySeverity.Low,
                    Invariant($"version block '{key}' value of {valueLength} bytes runs past the block"), fileOffset + start + 2);
            }

            valueEnd = end;
        }

        block = new VersionBlock(key, valueStart, valueEnd, Math.Min(Align4(valueEnd), end), end);
        return true;
    }

    /// <summary>
    /// A NUL-terminated UTF-16LE string between <paramref name="start"/> and <paramref name="limit"/>. Lone surrogates
    /// become U+FFFD and C0 controls '?', because these strings are attacker-written and end up in reports.
    /// </summary>
    private static string ReadUtf16Z(ReadOnlySpan<byte> blob, ulong start, ulong limit, int maxChars, out bool truncated)
    {
        truncated = false;
        limit = Math.Min(limit, (ulong)blob.Length);
        var text = new StringBuilder();
        for (var at = start; at + 2 <= limit; at += 2)
        {
            var c = (char)(blob[(int)at] | (blob[(int)at + 1] << 8));
            if (c == '\0')
            {
                return Sanitize(text);
            }

            if (text.Length >= maxChars)
            {
                truncated = true;
                return Sanitize(text);
            }

            text.Append(c);
        }

        // No terminator before the limit: the caller decides whether that matters (keys need one, values do not).
        return Sanitize(text);
    }

    private static string Sanitize(StringBuilder text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                text[i] = '\uFFFD';
            }
            else if (c < 0x20 && c != '\t')
            {
                text[i] = '?';
            }
        }

        return text.ToString();
    }

    private static bool IsAllZero(ReadOnlySpan<byte> blob, ulong start, ulong end)
    {
        end = Math.Min(end, (ulong)blob.Length);
        return start >= end || !blob[(int)start..(int)end].ContainsAnyExcept((byte)0);
    }

    private static ulong Align4(ulong value) => (value + 3) & ~3UL;

    private readonly record struct VersionBlock(string Key, ulong ValueStart, ulong ValueEnd, ulong ChildrenStart, ulong End);
}
