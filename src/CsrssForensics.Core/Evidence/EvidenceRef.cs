namespace CsrssForensics.Core.Evidence;

/// <summary>
/// Points an auditor at the exact place in the bundle a fact came from: a bundle-relative file and,
/// where it applies, a 1-based data row (CSV), a 0-based index (JSON arrays), a byte offset (binaries) or an XML line.
/// </summary>
public sealed record EvidenceRef(
    string BundleFile,
    int? Row = null,
    long? Offset = null,
    string? Detail = null)
{
    /// <summary>
    /// A short, stable text form: <c>processes.csv row 3</c> (1-based data row), <c>autoruns.json [0]</c> (0-based
    /// array index) or <c>binaries/x.bin @0x3c</c> (byte offset).
    /// </summary>
    public override string ToString()
    {
        var text = BundleFile;
        if (Row is int row)
        {
            var number = row.ToString(System.Globalization.CultureInfo.InvariantCulture);
            text += BundleFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? $" [{number}]" : $" row {number}";
        }

        if (Offset is long offset)
        {
            text += $" @0x{offset.ToString("x", System.Globalization.CultureInfo.InvariantCulture)}";
        }

        if (!string.IsNullOrEmpty(Detail))
        {
            text += $" ({Detail})";
        }

        return text;
    }
}
