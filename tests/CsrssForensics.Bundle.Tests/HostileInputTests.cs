using System.Text;
using CsrssForensics.Bundle.Tests.Support;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Bundle.Tests;

/// <summary>Garbage in every part gives anomalies, never an exception.</summary>
public sealed class HostileInputTests
{
    private static readonly string[] _parts =
    [
        "processes.csv", "files.csv", "host.json", "autoruns.json", "manifest.json", "tasks/A/B.xml", "tasks/C.xml",
    ];

    private static readonly string[] _fragments =
    [
        "pid,name,path,bundlePath\n", "\"", ",", "\r\n", "\n", "{", "}", "[", "]", "\"entries\":", "\"files\":", "null", "1e999",
        "<Task xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">", "</Task>", "<!DOCTYPE x [<!ENTITY e \"x\">]>",
        "&e;", "<![CDATA[", "]]>", "\0", "\uFEFF", "\uD800", "../../x", "C:\\x.exe", "2026-11-20T08:15:00Z", "-1", "99999999999999999999",
        "<Actions><Exec><Command>", "</Command></Exec></Actions>", "\"kind\":\"RunKey\"", "\"path\":\"a\",\"size\":1,\"sha256\":\"",
    ];

    [Fact]
    public void Random_part_contents_never_throw()
    {
        var random = new Random(1128);
        for (var round = 0; round < 60; round++)
        {
            using var bundle = new TempBundle();
            foreach (var part in _parts)
            {
                if (random.Next(4) == 0)
                {
                    continue;
                }

                bundle.Write(part, RandomContent(random));
            }

            if (random.Next(2) == 0)
            {
                bundle.Seal();
            }

            using var opened = BundleReader.Open(bundle.Folder);
            Assert.NotNull(opened.Snapshot);
            Assert.All(opened.Snapshot.Anomalies, a => Assert.Matches("^BND[0-9]{4}$", a.Code));
        }
    }

    [Fact]
    public void Corrupted_zip_bytes_give_an_open_error_or_anomalies_never_a_crash()
    {
        using var bundle = SampleParts.FullBundle();
        var zipPath = bundle.ZipPath();
        BundleSealer.WriteZip(zipPath, Directory.EnumerateFiles(bundle.Folder, "*", SearchOption.AllDirectories)
            .Select(f => KeyValuePair.Create(Path.GetRelativePath(bundle.Folder, f).Replace('\\', '/'), File.ReadAllBytes(f))));
        var original = File.ReadAllBytes(zipPath);
        var random = new Random(5);
        var opened = 0;
        for (var round = 0; round < 150; round++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var path = bundle.ZipPath($"corrupt{round}.zip");
            File.WriteAllBytes(path, bytes);
            try
            {
                using var bundleOpened = BundleReader.Open(path);
                opened++;
                foreach (var entry in bundleOpened.Source.Entries)
                {
                    _ = bundleOpened.Source.TryReadAllBytes(entry, new AnomalyList());
                }
            }
            catch (BundleOpenException)
            {
                // A zip whose directory is destroyed is not a readable zip: the one allowed exception.
            }
        }

        Assert.True(opened > 0, "every corrupted zip was rejected; the test did not reach the entry readers");
    }

    private static byte[] RandomContent(Random random)
    {
        var builder = new StringBuilder();
        for (var i = random.Next(0, 30); i > 0; i--)
        {
            builder.Append(_fragments[random.Next(_fragments.Length)]);
        }

        var text = builder.ToString();
        return random.Next(3) switch
        {
            0 => Encoding.Unicode.GetBytes(text),
            1 => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            _ => Encoding.UTF8.GetBytes(text),
        };
    }
}
