using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Reporting.Text;

/// <summary>Invariant, machine-independent text forms shared by every writer.</summary>
internal static class ReportText
{
    /// <summary>ISO-8601 UTC with a 'Z', trailing zero fractions dropped (<c>2026-03-01T10:15:00Z</c>).</summary>
    public const string UtcFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    /// <summary>Formats a time as UTC ISO-8601 with 'Z', whatever offset it was stored with.</summary>
    public static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString(UtcFormat, CultureInfo.InvariantCulture);

    /// <summary>Formats a time, or returns null.</summary>
    public static string? Utc(DateTimeOffset? value) => value is { } v ? Utc(v) : null;

    /// <summary>The camelCase name of an enum value, the same spelling the JSON uses.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumNames<TEnum>.Of(value);

    /// <summary>
    /// A Task Scheduler result code the way Windows tools print it, as 32-bit hexadecimal (<c>0x00041301</c>: the task
    /// is running; <c>0x8004131F</c>: an instance is already running), so it can be looked up as an HRESULT.
    /// </summary>
    public static string ResultCode(int value) => "0x" + unchecked((uint)value).ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>An integer in invariant form.</summary>
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An integer in invariant form, or null.</summary>
    public static string? Number(int? value) => value is { } v ? Number(v) : null;

    /// <summary>A percentage with at most two decimals, or null when absent or not a finite number.</summary>
    public static string? Percent(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("0.##", CultureInfo.InvariantCulture) : null;

    /// <summary>A byte count as MiB with one decimal, or null.</summary>
    public static string? Mebibytes(long? value) =>
        value is { } v ? (v / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : null;

    /// <summary>
    /// The label of an evidence strength in every human format; the same three words the README and docs explain.
    /// </summary>
    public static string Strength(Core.Verdicts.EvidenceStrength strength) => strength switch
    {
        Core.Verdicts.EvidenceStrength.VerifiedOffline => "verified offline",
        Core.Verdicts.EvidenceStrength.HostReported => "host-reported (not verified)",
        _ => "none (nothing verified)",
    };

    /// <summary>
    /// The names of one enum's defined values, made once: Enum.ToString and the naming policy allocate on every call,
    /// and the writers ask for a name in every row. A value outside the enum is named on the spot, never stored.
    /// </summary>
    private static class EnumNames<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly FrozenDictionary<TEnum, string> _defined =
            Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(value => value, Convert);

        public static string Of(TEnum value) => _defined.TryGetValue(value, out var name) ? name : Convert(value);

        private static string Convert(TEnum value) => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
    }

    /// <summary>The stable text form of an evidence reference (<c>processes.csv row 3</c>).</summary>
    public static string Evidence(EvidenceRef evidence) => evidence.ToString();
}
