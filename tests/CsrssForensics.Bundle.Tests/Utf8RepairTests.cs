using System.Text;
using CsrssForensics.Bundle.Parsing;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Bundle.Tests;

/// <summary>
/// Found by fuzzing (fuzz/run.sh com-json / defender-json): a byte that is not UTF-8 inside a property name made
/// JsonDocument throw InvalidOperationException while the names were compared, escaping the parser.
/// </summary>
public sealed class Utf8RepairTests
{
    private static byte[] Json(string before, byte bad, string after) =>
        [.. Encoding.UTF8.GetBytes(before), bad, .. Encoding.UTF8.GetBytes(after)];

    [Fact]
    public void A_non_UTF8_byte_in_a_defender_property_name_is_an_anomaly_not_an_exception()
    {
        var sink = new AnomalyList();
        var bytes = Json("{ \"stat", 0x89, "s\": { \"amServiceEnabled\": true }, \"detections\": [] }");

        var defender = ContextParts.ReadDefender(bytes, sink);

        Assert.NotNull(defender);
        Assert.Contains(sink.Items, a => a.Code == BundleAnomalyCodes.JsonInvalidUtf8 && a.Evidence.BundleFile == "defender.json");
    }

    [Fact]
    public void A_non_UTF8_byte_in_one_com_record_keeps_the_others()
    {
        var sink = new AnomalyList();
        var bytes = Json(
            "{ \"registrations\": [ { \"classId\": \"{A}\", \"hive\": \"HKLM\", \"user\": null, \"inprocServer32\": \"C:\\\\x", 0x84,
            ".dll\" }, { \"classId\": \"{B}\", \"hive\": \"HKLM\", \"user\": null, \"inprocServer32\": \"C:\\\\y.dll\" } ] }");

        var registrations = ContextParts.ReadComRegistrations(bytes, sink);

        Assert.NotNull(registrations);
        Assert.Equal(2, registrations.Value.Length);
        Assert.Contains(sink.Items, a => a.Code == BundleAnomalyCodes.JsonInvalidUtf8);
    }

    [Fact]
    public void Valid_UTF8_is_passed_through_unchanged_and_unreported()
    {
        var sink = new AnomalyList();
        var bytes = Encoding.UTF8.GetBytes("{ \"name\": \"с\u200Bsrss\" }");

        Assert.Same(bytes, Utf8Repair.Repaired("x.json", bytes, sink));
        Assert.Empty(sink.Items);
    }
}
