using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>
/// "Small inputs, huge cost": each class that once cost the square of its size (or held every entry at once) at a
/// size that a quadratic reader could not pass under the suite's allocation ceiling. Sizes are smaller than the
/// review's (docs/performance.md measures the full sizes through the CLI); the ceiling per input byte is what
/// catches a regression, not a wall time.
/// </summary>
internal static partial class HostileCases
{
    private const string CapAnomaly = "ANA0002";

    private static IEnumerable<HostileCase> CostCases()
    {
        const int csrssRows = 1_000;
        yield return Part(
            "cost-csrss-rows-1000",
            "small input, huge cost",
            b => File.AppendAllText(Path.Combine(b, "processes.csv"), CsrssRows(csrssRows)),
            Compromised,
            Expect.All(
                Expect.Anomaly(CapAnomaly),
                // Every row is still judged: the cap is on what one subject lists, never on what is judged.
                o => Assert.Equal(csrssRows, o.RequireReport().Verdicts.Count(v => v.Subject.Path?.StartsWith(@"C:\Users\Public\x", StringComparison.Ordinal) == true)))) with { AllowancePerInputByte = 8_192 };

        yield return Part(
            "cost-files-rows-named-csrss-1000",
            "small input, huge cost",
            b => File.AppendAllText(Path.Combine(b, "files.csv"), FileRows(1_000)),
            Compromised,
            Expect.Subject(@"\f999\csrss.exe")) with { AllowancePerInputByte = 8_192 };

        yield return Part(
            "cost-autoruns-2000-run-entries",
            "small input, huge cost",
            b => Replace(b, "autoruns.json", "\"entries\": [", "\"entries\": [" + RunEntries(2_000)),
            Compromised,
            o => Assert.Contains(o.RequireReport().Launchers, l => l.Name == "Updater 1999")) with { AllowancePerInputByte = 1_024 };

        // COM handler tasks and registrations: each action's class once looked through every registration.
        const int comTasks = 1_000;
        yield return Part(
            "cost-com-handler-tasks-1000",
            "small input, huge cost",
            b =>
            {
                var tasks = Path.Combine(b, "tasks", "Cost");
                Directory.CreateDirectory(tasks);
                for (var i = 0; i < comTasks; i++)
                {
                    File.WriteAllText(Path.Combine(tasks, ComTaskName(i)), ComTaskXml(i));
                }

                File.WriteAllText(Path.Combine(b, "com.json"), ComRegistrations(comTasks));
            },
            Compromised,
            o => Assert.Contains(o.RequireReport().Launchers, l => l.Name == @"\Cost\" + ComTaskName(comTasks - 1) && l.ResolvedTarget == @"C:\Program Files\Vendor\handler999.dll"));

        const int missing = 50_000;
        yield return Part(
            "cost-manifest-50000-missing-records",
            "small input, huge cost",
            b =>
            {
                var records = TestManifest.RecordsOf(b);
                records.AddRange(Enumerable.Range(0, missing).Select(i => new Dictionary<string, object>
                {
                    ["path"] = "binaries/gone" + i.ToString("D6", CultureInfo.InvariantCulture) + ".bin",
                    ["size"] = 1,
                    ["sha256"] = new string('0', 64),
                }));
                File.WriteAllBytes(Path.Combine(b, "manifest.json"), HostileWorkspace.Manifest(records));
            },
            Compromised,
            Expect.All(
                Expect.Status(IntegrityStatus.Failed),
                Expect.Integrity(IntegrityProblem.Missing, "binaries/gone000000.bin"),
                ListedAtMostTheCap(o => o.RequireReport().Integrity.Findings.Select(f => (f.Problem.ToString(), f.Message)), "49,900 more 'Missing'")),
            seal: false);

        yield return Part(
            "cost-csv-20000-malformed-rows",
            "small input, huge cost",
            b => File.AppendAllText(Path.Combine(b, "processes.csv"), string.Concat(Enumerable.Repeat("7002,3120,notepad.exe\n", 20_000))),
            Compromised,
            ListedAtMostTheCap(o => o.RequireReport().Anomalies.Select(a => (a.Code, a.Message)), "19,900 more " + BundleAnomalyCodes.CsvMalformedRow))
            // Every format is written, report.jsonl among them: one ECS event (~700 bytes) per 22-byte process row, streamed
            // to its file line by line, so memory stays flat while allocation follows the events.
            with { AllowancePerInputByte = 1_024 };

        yield return Part(
            "cost-task-xml-nested-200000",
            "small input, huge cost",
            b =>
            {
                Directory.CreateDirectory(Path.Combine(b, "tasks"));
                File.WriteAllText(Path.Combine(b, "tasks", "Deep"), "<?xml version=\"1.0\"?><Task>" + new StringBuilder().Insert(0, "<a>", 200_000).Insert(600_000, "</a>", 200_000) + "</Task>");
            },
            Compromised,
            Expect.Anomaly(BundleAnomalyCodes.TaskTooDeep));

        yield return new HostileCase(
            "cost-zip-overlapping-entries",
            "small input, huge cost",
            OverlappingZip,
            Compromised,
            Expect.All(Expect.Refused("overlaps another entry's data"), Expect.Integrity(IntegrityProblem.Refused, "binaries/decoy.bin")));

        yield return new HostileCase(
            "cost-zip-150000-entries",
            "small input, huge cost",
            w => w.Zip(Enumerable.Range(0, 150_000).Select(i => new KeyValuePair<string, byte[]>("e" + i.ToString(CultureInfo.InvariantCulture), [0x41])), level: CompressionLevel.NoCompression),
            ExitCodes.UnreadableInput,
            Expect.Failure("declares 150000 entries"));
    }

    /// <summary>The listed items of each kind stop at the report's cap, and one summary says how many more there are.</summary>
    private static Action<HostileOutcome> ListedAtMostTheCap(Func<HostileOutcome, IEnumerable<(string Kind, string Message)>> items, string summary) => outcome =>
    {
        var listed = items(outcome).ToList();
        Assert.All(listed.GroupBy(i => i.Kind), g => Assert.InRange(g.Count(), 1, 101));
        Assert.Contains(listed, i => i.Message.StartsWith(summary, StringComparison.Ordinal));
    };

    private static string ComTaskName(int i) => "Com" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static string ClassIdOf(int i) => "{00000000-0000-4000-8000-" + i.ToString("D12", CultureInfo.InvariantCulture) + "}";

    private static string ComTaskXml(int i) =>
        "<?xml version=\"1.0\"?><Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">"
        + $"<RegistrationInfo><URI>\\Cost\\{ComTaskName(i)}</URI></RegistrationInfo>"
        + $"<Actions Context=\"Author\"><ComHandler><ClassId>{ClassIdOf(i)}</ClassId></ComHandler></Actions></Task>";

    // One machine registration per task's class, each loading its own DLL.
    private static string ComRegistrations(int count)
    {
        var registrations = Enumerable.Range(0, count).Select(i => new Dictionary<string, object?>
        {
            ["classId"] = ClassIdOf(i),
            ["hive"] = "HKLM",
            ["user"] = null,
            ["key"] = @"HKLM\SOFTWARE\Classes\CLSID\" + ClassIdOf(i),
            ["name"] = "Handler " + i.ToString(CultureInfo.InvariantCulture),
            ["inprocServer32"] = @"C:\Program Files\Vendor\handler" + i.ToString(CultureInfo.InvariantCulture) + ".dll",
            ["threadingModel"] = "Both",
            ["localServer32"] = null,
            ["treatAs"] = null,
        });
        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["registrations"] = registrations.ToList() });
    }

    private static string CsrssRows(int count)
    {
        var rows = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var path = $@"C:\Users\Public\x{i.ToString(CultureInfo.InvariantCulture)}\csrss.exe";
            rows.Append(CultureInfo.InvariantCulture, $"{20000 + (i * 4)},3120,csrss.exe,{path},{path},2026-11-20T07:04:10Z,1,CORP\\bob,1,0,4096\n");
        }

        return rows.ToString();
    }

    private static string FileRows(int count)
    {
        var rows = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)));
            rows.Append(CultureInfo.InvariantCulture, $@"C:\Users\Public\f{i}\csrss.exe,4096,{hash},2026-11-19T10:00:00Z,2026-11-19T10:00:00Z,NotSigned,None,,,,,,same-name,").Append('\n');
        }

        return rows.ToString();
    }

    private static string RunEntries(int count)
    {
        var entries = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            entries.Append(CultureInfo.InvariantCulture, $$"""{"kind": "RunKey", "location": "HKU\\S-1-5-21-1-2-3-1002\\Software\\Microsoft\\Windows\\CurrentVersion\\Run", "name": "Updater {{i}}", "command": "\"C:\\Users\\bob\\AppData\\Local\\u{{i}}\\upd.exe\" --run", "user": "CORP\\bob"},""");
        }

        return entries.ToString();
    }

    // The base entries stored, plus binaries/decoy.bin whose central record is then pointed at host.json's local
    // header: two records claim one range of the archive.
    private static string OverlappingZip(HostileWorkspace workspace)
    {
        var path = workspace.Zip(HostileWorkspace.BaseEntries().Append(new("binaries/decoy.bin", new byte[2048])), level: CompressionLevel.NoCompression);
        var zip = File.ReadAllBytes(path);
        var records = new Dictionary<string, (int At, uint LocalOffset)>(StringComparer.Ordinal);
        for (var at = 0; at + 46 <= zip.Length; at++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at)) == 0x02014b50)
            {
                var name = Encoding.UTF8.GetString(zip, at + 46, BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(at + 28)));
                records[name] = (at, BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at + 42)));
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(records["binaries/decoy.bin"].At + 42), records["host.json"].LocalOffset);
        File.WriteAllBytes(path, zip);
        return path;
    }
}
