using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

public sealed class JsonPartsTests
{
    private static BundleSnapshot Open(TempBundle bundle)
    {
        using var opened = BundleReader.Open(bundle.Seal().Folder);
        return opened.Snapshot;
    }

    [Theory]
    [InlineData("{ \"hostname\": ")]
    [InlineData("{ \"hostname\": \"a\", \"hostname\": \"b\" }")]
    [InlineData("{ \"sessions\": 5 }")]
    [InlineData("{ \"hostname\": \"a\", } ")]
    [InlineData("null")]
    public void Malformed_host_json_is_an_anomaly_and_a_missing_part(string json)
    {
        using var bundle = new TempBundle().Write("host.json", json).Write("processes.csv", SampleParts.ProcessesCsv);

        var snapshot = Open(bundle);

        Assert.Null(snapshot.Host);
        Assert.Contains(BundlePart.Host, snapshot.MissingParts);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonMalformed && a.Evidence.BundleFile == "host.json");
        Assert.Equal(2, snapshot.Processes.Length);
    }

    [Fact]
    public void Host_with_bad_boot_time_keeps_the_other_facts()
    {
        using var bundle = new TempBundle().Write("host.json", """{ "hostname": "WS-1", "bootTimeUtc": "last tuesday", "sessions": [ { "user": "x" }, { "id": 2 } ] }""");

        var snapshot = Open(bundle);

        Assert.NotNull(snapshot.Host);
        Assert.Equal("WS-1", snapshot.Host.Hostname);
        Assert.Null(snapshot.Host.BootTimeUtc);
        Assert.Equal(2, Assert.Single(snapshot.Host.Sessions).Id);
        Assert.Equal(2, snapshot.Anomalies.Count(a => a.Code == BundleAnomalyCodes.JsonBadValue));
    }

    [Fact]
    public void Autorun_entries_keep_their_index_and_unknown_kinds_read_as_Other()
    {
        using var bundle = new TempBundle().Write("autoruns.json", """
            { "entries": [
                { "kind": "Service", "location": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\x", "command": "C:\\x.exe" },
                { "kind": "Bootkit", "location": "somewhere" },
                { "kind": "3", "location": "numeric kinds are not names" },
                null,
                { "kind": "RunKey" } ] }
            """);

        var snapshot = Open(bundle);

        Assert.Equal<AutorunKind>([AutorunKind.Service, AutorunKind.Other, AutorunKind.Other, AutorunKind.RunKey], snapshot.Autoruns.Select(a => a.Kind).ToArray());
        Assert.Equal<int>([0, 1, 2, 4], snapshot.Autoruns.Select(a => a.Source.Row!.Value).ToArray());
        Assert.Equal(string.Empty, snapshot.Autoruns[3].Location);
        Assert.Equal(4, snapshot.Anomalies.Count(a => a.Code == BundleAnomalyCodes.JsonBadValue));
    }
}
