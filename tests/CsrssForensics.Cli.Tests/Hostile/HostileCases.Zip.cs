using System.IO.Compression;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>Zip bundles: hostile entry names (zip-slip spellings), links, bombs, nesting, duplicates, CRC and framing.</summary>
internal static partial class HostileCases
{
    private const int Compromised = ExitCodes.Compromised;

    private static IEnumerable<HostileCase> ZipCases()
    {
        (string Key, string Name, string Reason)[] names =
        [
            ("dotdot", "../evil.txt", "'.' or '..' segment"),
            ("dotdot-deep", "binaries/../../../evil.txt", "'.' or '..' segment"),
            ("dotdot-backslash", "..\\evil.txt", "'.' or '..' segment"),
            ("dotdot-mixed", "binaries\\..\\..\\evil.txt", "'.' or '..' segment"),
            ("absolute", "/tmp/csrss-hostile-evil.txt", "absolute name"),
            ("absolute-etc", "/etc/cron.d/evil", "absolute name"),
            ("drive-backslash", "C:\\Windows\\System32\\evil.dll", "contains ':'"),
            ("drive-relative", "C:evil.txt", "contains ':'"),
            ("drive-slash", "C:/Windows/evil.txt", "contains ':'"),
            ("unc", "\\\\server\\share\\evil.txt", "backslash-rooted name"),
            ("backslash-rooted", "\\evil.txt", "backslash-rooted name"),
            ("ads-stream", "processes.csv:hidden", "contains ':'"),
            ("nul-in-name", "binaries/evil\0.bin", "NUL"),
            ("control-in-name", "binaries/\u001b[2Kevil.bin", "control character"),
            ("overlong-name", "binaries/" + new string('a', 4000) + ".bin", "longer than 1024"),
            ("empty-segment", "binaries//evil.bin", "empty path segment"),
            ("dot-segment", "./evil.txt", "'.' or '..' segment"),
        ];
        foreach (var (key, name, reason) in names)
        {
            yield return new HostileCase(
                "zip-name-" + key,
                "zip-slip",
                w => w.Zip(HostileWorkspace.BaseEntries().Append(new(name, HostileWorkspace.Utf8("planted\n")))),
                Compromised,
                Expect.Refused(reason)) { ThroughCli = key is "dotdot" or "absolute" or "nul-in-name" };
        }

        yield return new HostileCase(
            "zip-symlink-entry",
            "links",
            w => w.Zip(
                HostileWorkspace.BaseEntries().Append(new("binaries/link.bin", HostileWorkspace.Utf8("/etc/passwd"))),
                e => e.ExternalAttributes = e.FullName == "binaries/link.bin" ? unchecked((int)0xA1FF0000) : e.ExternalAttributes),
            Compromised,
            Expect.Refused("symbolic link or reparse point entry"));

        yield return new HostileCase(
            "zip-reparse-point-entry",
            "links",
            w => w.Zip(
                HostileWorkspace.BaseEntries().Append(new("binaries/junction.bin", HostileWorkspace.Utf8("C:\\Windows"))),
                e => e.ExternalAttributes = e.FullName == "binaries/junction.bin" ? 0x400 : e.ExternalAttributes),
            Compromised,
            Expect.Refused("symbolic link or reparse point entry"));

        yield return new HostileCase(
            "zip-bomb-ratio",
            "zip bomb",
            w => w.Zip(HostileWorkspace.BaseEntries().Append(new("binaries/bomb.bin", new byte[8 * 1024 * 1024]))),
            Compromised,
            Expect.Refused("compression ratio")) { ThroughCli = true };

        yield return new HostileCase(
            "zip-bomb-as-processes-part",
            "zip bomb",
            w => w.Zip(HostileWorkspace.BaseEntries().Where(e => e.Key != "processes.csv").Append(new("processes.csv", new byte[4 * 1024 * 1024]))),
            Compromised,
            Expect.All(Expect.Refused("compression ratio"), Expect.Refused("processes.csv")));

        yield return new HostileCase(
            "zip-nested-zip-inside",
            "nested zip",
            w =>
            {
                var inner = new MemoryStream();
                using (var archive = new ZipArchive(inner, ZipArchiveMode.Create, leaveOpen: true))
                {
                    using var stream = archive.CreateEntry("../../evil.txt").Open();
                    stream.Write(HostileWorkspace.Utf8("never extracted\n"));
                }

                return w.Zip(HostileWorkspace.BaseEntries().Append(new("binaries/inner.zip", inner.ToArray())));
            },
            Compromised,
            Expect.Integrity(IntegrityProblem.Extra, "binaries/inner.zip"));

        yield return new HostileCase(
            "zip-only-a-nested-zip",
            "nested zip",
            w =>
            {
                var inner = new MemoryStream();
                using (var archive = new ZipArchive(inner, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var (name, bytes) in HostileWorkspace.BaseEntries())
                    {
                        using var stream = archive.CreateEntry(name).Open();
                        stream.Write(bytes);
                    }
                }

                return w.Zip([new("bundle.zip", inner.ToArray())]);
            },
            ExitCodes.UnreadableInput,
            Expect.Failure("is not a bundle")) { ThroughCli = true };

        yield return new HostileCase(
            "zip-duplicate-part",
            "duplicate names",
            w => w.Zip(HostileWorkspace.BaseEntries().Append(new("processes.csv", HostileWorkspace.Utf8("pid,parentPid,name\n1,0,csrss.exe\n")))),
            Compromised,
            Expect.Refused("more than one entry has this name"));

        yield return new HostileCase(
            "zip-duplicate-manifest",
            "duplicate names",
            w => w.Zip(HostileWorkspace.BaseEntries().Append(new("manifest.json", HostileWorkspace.Manifest([])))),
            Compromised,
            Expect.Refused("more than one entry has this name"));

        yield return new HostileCase(
            "zip-bad-crc",
            "bad CRC",
            w => CorruptStoredEntry(w, "host.json"),
            Compromised,
            Expect.Anomaly(BundleAnomalyCodes.EntryCrcMismatch));

        yield return new HostileCase(
            "zip-truncated",
            "broken container",
            w =>
            {
                var path = w.Zip(HostileWorkspace.BaseEntries());
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                return path;
            },
            ExitCodes.UnreadableInput,
            Expect.Failure("bundle.zip"));

        yield return new HostileCase(
            "zip-random-bytes",
            "broken container",
            w =>
            {
                var path = Path.Combine(w.Evidence, "bundle.zip");
                File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]);
                return path;
            },
            ExitCodes.UnreadableInput,
            Expect.Failure("bundle.zip")) { ThroughCli = true };

        yield return new HostileCase(
            "zip-every-entry-hostile",
            "zip-slip",
            w => w.Zip(HostileWorkspace.BaseEntries().Select(e => new KeyValuePair<string, byte[]>("../" + e.Key, e.Value))),
            ExitCodes.UnreadableInput,
            Expect.Failure("entries refused"));
    }

    // Stores host.json uncompressed and flips one byte of its data, so only the CRC-32 can tell.
    private static string CorruptStoredEntry(HostileWorkspace workspace, string entry)
    {
        var path = Path.Combine(workspace.Evidence, "bundle.zip");
        var marker = HostileWorkspace.Utf8("\"hostname\": \"WS-0142\"");
        using (var file = File.Create(path))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in HostileWorkspace.BaseEntries())
            {
                using var stream = archive.CreateEntry(name, name == entry ? CompressionLevel.NoCompression : CompressionLevel.Optimal).Open();
                stream.Write(bytes);
            }
        }

        var zip = File.ReadAllBytes(path);
        var at = zip.AsSpan().IndexOf(marker);
        Assert.True(at > 0, "the stored entry's bytes were not found in the zip");
        zip[at + marker.Length - 2] ^= 0x01;
        File.WriteAllBytes(path, zip);
        return path;
    }
}
