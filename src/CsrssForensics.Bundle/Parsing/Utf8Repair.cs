using System.Text;
using System.Text.Unicode;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>
/// JSON is UTF-8 (RFC 8259), but JsonDocument checks the bytes of a name or string only when it is read, and then
/// throws InvalidOperationException, not JsonException. An attacker's stray byte must not stop the reader or hide the
/// other records, so such bytes are read as U+FFFD and reported once.
/// </summary>
internal static class Utf8Repair
{
    /// <summary>The bytes unchanged when they are valid UTF-8, else a copy with every bad sequence as U+FFFD.</summary>
    public static byte[] Repaired(string entry, byte[] bytes, IAnomalySink sink)
    {
        if (Utf8.IsValid(bytes))
        {
            return bytes;
        }

        sink.Report(new Anomaly(BundleAnomalyCodes.JsonInvalidUtf8, AnomalySeverity.Medium,
            $"{entry} holds bytes that are not UTF-8; they are read as U+FFFD.", new EvidenceRef(entry)));

        // Encoding.UTF8 decodes with replacement (never throws), so the round trip is the repair.
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));
    }
}
