using System.Text;
using CsrssForensics.Bundle.Parsing;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Tests;

/// <summary>programs.json, browser-extensions.json, defender.json and com.json: parsed record by record; one bad record costs only itself.</summary>
public sealed class ContextPartsTests
{
    private static BundleSnapshot Open(TempBundle bundle)
    {
        using var opened = BundleReader.Open(bundle.Seal().Folder);
        return opened.Snapshot;
    }

    [Fact]
    public void Programs_keep_their_index_and_a_bad_record_hides_none_of_the_others()
    {
        using var bundle = new TempBundle().Write("programs.json", """
            { "programs": [
                { "name": "Good One", "installDate": "20261118", "registryKey": "HKLM\\A" },
                { "name": 42, "registryKey": "HKLM\\B" },
                "not an object",
                { "name": "Dup", "name": "Dup2", "registryKey": "HKLM\\C" },
                null,
                { "name": "Odd date", "installDate": "18/11/2026", "registryKey": "HKLM\\D" },
                { "name": "No key" } ] }
            """);

        var snapshot = Open(bundle);

        Assert.DoesNotContain(BundlePart.Programs, snapshot.MissingParts);
        Assert.Equal<string>(["Good One", "Odd date", "No key"], snapshot.Programs.Select(p => p.Name ?? "(null)").ToArray());
        Assert.Equal<int?>([0, 5, 6], snapshot.Programs.Select(p => p.Source.Row).ToArray());
        Assert.Equal(new DateOnly(2026, 11, 18), snapshot.Programs[0].InstallDate);
        Assert.Null(snapshot.Programs[1].InstallDate);
        Assert.Equal("18/11/2026", snapshot.Programs[1].InstallDateText);
        Assert.Equal(string.Empty, snapshot.Programs[2].RegistryKey);

        var skipped = snapshot.Anomalies.Where(a => a.Code == BundleAnomalyCodes.JsonBadRecord).Select(a => a.Evidence).ToArray();
        Assert.Equal<EvidenceRef>(
            [new EvidenceRef("programs.json", 1), new EvidenceRef("programs.json", 2), new EvidenceRef("programs.json", 3), new EvidenceRef("programs.json", 4)],
            skipped);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadValue && a.Evidence.Row == 5 && a.Evidence.Detail == "installDate");
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadValue && a.Evidence.Row == 6 && a.Evidence.Detail == "registryKey");
    }

    [Theory]
    [InlineData("{ \"programs\": ")]
    [InlineData("{ \"programs\": {} }")]
    [InlineData("{ \"programs\": [], \"programs\": [] }")]
    [InlineData("[ ]")]
    [InlineData("null")]
    public void Malformed_programs_json_is_an_anomaly_and_a_missing_part(string json)
    {
        using var bundle = new TempBundle().Write("programs.json", json).Write("processes.csv", SampleParts.ProcessesCsv);

        var snapshot = Open(bundle);

        Assert.Empty(snapshot.Programs);
        Assert.Contains(BundlePart.Programs, snapshot.MissingParts);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonMalformed && a.Evidence.BundleFile == "programs.json");
        Assert.Equal(2, snapshot.Processes.Length);
    }

    [Fact]
    public void Missing_context_files_are_not_collected_parts_without_anomalies()
    {
        using var bundle = new TempBundle().Write("processes.csv", SampleParts.ProcessesCsv);

        var snapshot = Open(bundle);

        Assert.Contains(BundlePart.Programs, snapshot.MissingParts);
        Assert.Contains(BundlePart.BrowserExtensions, snapshot.MissingParts);
        Assert.Contains(BundlePart.Defender, snapshot.MissingParts);
        Assert.Contains(BundlePart.Com, snapshot.MissingParts);
        Assert.Null(snapshot.Defender);
        Assert.Empty(snapshot.ComRegistrations);
        Assert.Empty(snapshot.Anomalies);
    }

    [Fact]
    public void Extensions_with_unknown_browser_or_no_id_are_kept_and_noted()
    {
        using var bundle = new TempBundle().Write("browser-extensions.json", """
            { "extensions": [
                { "browser": "Opera", "id": "x", "permissions": [ "tabs", null, "<all_urls>" ] },
                { "browser": "Chrome", "name": "no id" },
                { "browser": "Firefox", "id": "addon@example", "permissions": "tabs" } ] }
            """);

        var snapshot = Open(bundle);

        Assert.Equal(2, snapshot.BrowserExtensions.Length);
        Assert.Equal("Opera", snapshot.BrowserExtensions[0].Browser);
        Assert.Equal<string>(["tabs", "<all_urls>"], snapshot.BrowserExtensions[0].Permissions);
        Assert.Equal(string.Empty, snapshot.BrowserExtensions[1].Id);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadValue && a.Evidence == new EvidenceRef("browser-extensions.json", 0, Detail: "browser"));
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadValue && a.Evidence == new EvidenceRef("browser-extensions.json", 1, Detail: "id"));
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadRecord && a.Evidence == new EvidenceRef("browser-extensions.json", 2));
    }

    [Fact]
    public void Defender_detections_survive_a_bad_status_and_a_bad_detection()
    {
        using var bundle = new TempBundle().Write("defender.json", """
            { "status": { "antivirusEnabled": "yes" },
              "detections": [
                { "threatName": "A", "actionSuccess": "maybe" },
                { "threatName": "B", "resources": [ "file:_C:\\x\\csrss.exe" ], "initialDetectionUtc": "yesterday", "remediationUtc": "2026-11-18T20:58:40Z", "actionSuccess": true } ] }
            """);

        var snapshot = Open(bundle);

        Assert.NotNull(snapshot.Defender);
        Assert.Null(snapshot.Defender.Status);
        var detection = Assert.Single(snapshot.Defender.Detections);
        Assert.Equal("B", detection.ThreatName);
        Assert.Equal(new EvidenceRef("defender.json", 1), detection.Source);
        Assert.Equal<string>([@"file:_C:\x\csrss.exe"], detection.Resources);
        Assert.Null(detection.InitialDetectionUtc);
        Assert.Equal(new DateTimeOffset(2026, 11, 18, 20, 58, 40, TimeSpan.Zero), detection.RemediationUtc);
        Assert.True(detection.ActionSuccess);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadRecord && a.Evidence.Detail == "status");
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadRecord && a.Evidence == new EvidenceRef("defender.json", 0));
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadValue && a.Evidence.Row == 1);
    }

    [Fact]
    public void Defender_file_with_status_only_has_no_detections()
    {
        using var bundle = new TempBundle().Write("defender.json", """{ "status": { "realTimeProtectionEnabled": false, "isTamperProtected": null } }""");

        var snapshot = Open(bundle);

        Assert.NotNull(snapshot.Defender?.Status);
        Assert.False(snapshot.Defender.Status.RealTimeProtectionEnabled);
        Assert.Null(snapshot.Defender.Status.IsTamperProtected);
        Assert.Empty(snapshot.Defender.Detections);
        Assert.Empty(snapshot.Anomalies);
    }

    [Fact]
    public void Lists_longer_than_the_cap_are_cut_with_one_anomaly()
    {
        var json = new StringBuilder("{ \"programs\": [");
        for (var i = 0; i < ContextParts.MaxRecords + 5; i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append("{\"registryKey\":\"k\"}");
        }

        json.Append("] }");
        using var bundle = new TempBundle().Write("programs.json", json.ToString());

        var snapshot = Open(bundle);

        Assert.Equal(ContextParts.MaxRecords, snapshot.Programs.Length);
        var anomaly = Assert.Single(snapshot.Anomalies);
        Assert.Equal(BundleAnomalyCodes.JsonTooManyRecords, anomaly.Code);
        Assert.Equal(ContextParts.MaxRecords, anomaly.Evidence.Row);
    }

    [Fact]
    public void Permission_lists_longer_than_the_cap_are_cut()
    {
        var permissions = string.Join(",", Enumerable.Range(0, ContextParts.MaxListItems + 3).Select(i => $"\"p{i}\""));
        using var bundle = new TempBundle().Write("browser-extensions.json", $$"""{ "extensions": [ { "browser": "Chrome", "id": "x", "permissions": [ {{permissions}} ] } ] }""");

        var snapshot = Open(bundle);

        Assert.Equal(ContextParts.MaxListItems, Assert.Single(snapshot.BrowserExtensions).Permissions.Length);
        Assert.Equal(BundleAnomalyCodes.JsonTooManyRecords, Assert.Single(snapshot.Anomalies).Code);
    }

    [Fact]
    public void Com_registrations_keep_machine_and_user_records_and_a_bad_record_hides_none_of_the_others()
    {
        using var bundle = new TempBundle().Write("com.json", """
            { "registrations": [
                { "classId": "{A6BA00FE-40E8-477C-B713-C64A14F28F44}", "hive": "HKLM", "key": "HKLM\\SOFTWARE\\Classes\\CLSID\\{A6BA00FE-40E8-477C-B713-C64A14F28F44}",
                  "name": "Theme sync", "inprocServer32": "%SystemRoot%\\System32\\themeui.dll", "threadingModel": "Both" },
                { "classId": 7, "hive": "HKLM", "key": "HKLM\\X" },
                { "hive": "HKLM", "key": "HKLM\\Y" },
                { "classId": "{A6BA00FE-40E8-477C-B713-C64A14F28F44}", "hive": "HKU", "user": "WS\\bob",
                  "key": "HKU\\S-1-5-21-9\\Software\\Classes\\CLSID\\{A6BA00FE-40E8-477C-B713-C64A14F28F44}",
                  "inprocServer32": "C:\\Users\\bob\\AppData\\Local\\x.dll", "localServer32": null, "treatAs": null },
                { "classId": "{00000000-0000-0000-0000-000000000001}", "hive": "HKCR" } ] }
            """);

        var snapshot = Open(bundle);

        Assert.DoesNotContain(BundlePart.Com, snapshot.MissingParts);
        Assert.Equal<int?>([0, 3, 4], snapshot.ComRegistrations.Select(r => r.Source.Row).ToArray());
        var machine = snapshot.ComRegistrations[0];
        Assert.Equal("HKLM", machine.Hive);
        Assert.False(machine.IsPerUser);
        Assert.Equal("Theme sync", machine.Name);
        Assert.Equal("%SystemRoot%\\System32\\themeui.dll", machine.InprocServer32);
        Assert.Equal("Both", machine.ThreadingModel);
        var user = snapshot.ComRegistrations[1];
        Assert.True(user.IsPerUser);
        Assert.Equal("WS\\bob", user.User);
        Assert.Equal("C:\\Users\\bob\\AppData\\Local\\x.dll", user.InprocServer32);

        var skipped = snapshot.Anomalies.Where(a => a.Code == BundleAnomalyCodes.JsonBadRecord).Select(a => a.Evidence.Row).ToArray();
        Assert.Equal<int?>([1, 2], skipped);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadValue && a.Evidence.Row == 4 && a.Evidence.Detail == "hive");
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonBadValue && a.Evidence.Row == 4 && a.Evidence.Detail == "key");
        Assert.Equal("HKCR", snapshot.ComRegistrations[2].Hive);
    }

    [Theory]
    [InlineData("{ \"registrations\": 3 }")]
    [InlineData("not json")]
    public void Malformed_com_json_is_an_anomaly_and_a_missing_part(string json)
    {
        using var bundle = new TempBundle().Write("com.json", json).Write("processes.csv", SampleParts.ProcessesCsv);

        var snapshot = Open(bundle);

        Assert.Empty(snapshot.ComRegistrations);
        Assert.Contains(BundlePart.Com, snapshot.MissingParts);
        Assert.Contains(snapshot.Anomalies, a => a.Code == BundleAnomalyCodes.JsonMalformed && a.Evidence.BundleFile == "com.json");
        Assert.Equal(2, snapshot.Processes.Length);
    }
}
