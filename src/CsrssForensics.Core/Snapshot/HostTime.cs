using System.Globalization;

namespace CsrssForensics.Core.Snapshot;

/// <summary>
/// A time as the suspect host wrote it in a file that may carry no zone (a task's <c>RegistrationInfo/Date</c>).
/// Exactly one of <see cref="Utc"/> and <see cref="HostLocal"/> is set: <see cref="Utc"/> when the text named a zone
/// (<c>Z</c> or an offset), otherwise <see cref="HostLocal"/>, the host's wall-clock time, left unconverted. host.json
/// names the host's zone but not its offset, and converting with the analysis machine's time-zone database would make
/// the report depend on the machine that reads the bundle.
/// </summary>
/// <param name="Text">The value exactly as the host wrote it (trimmed).</param>
public sealed record HostTime(string Text, DateTimeOffset? Utc, DateTime? HostLocal)
{
    /// <summary>Longest text read as a time; anything longer is not one.</summary>
    public const int MaxLength = 40;

    /// <summary>The time read from ISO 8601 text, or null when the text is not one.</summary>
    public static HostTime? Parse(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxLength || !trimmed.Contains('T', StringComparison.Ordinal))
        {
            return null;
        }

        if (!DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return null;
        }

        // RoundtripKind says whether the text named a zone: Utc for 'Z', Local for an offset, Unspecified for none.
        return parsed.Kind == DateTimeKind.Unspecified
            ? new HostTime(trimmed, null, parsed)
            : DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var zoned)
                ? new HostTime(trimmed, zoned.ToUniversalTime(), null)
                : null;
    }

    /// <summary>The instant to sort on: the UTC time, else the host-local wall clock read as if it were UTC.</summary>
    public DateTimeOffset SortKey() => Utc ?? new DateTimeOffset(DateTime.SpecifyKind(HostLocal ?? default, DateTimeKind.Unspecified), TimeSpan.Zero);
}
