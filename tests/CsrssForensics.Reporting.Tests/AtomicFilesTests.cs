using System.Text;
using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Reporting.Tests;

/// <summary>The report files are written side by side, yet fail and commit exactly as one by one would.</summary>
public sealed class AtomicFilesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void A_failing_writer_reports_the_first_failure_in_list_order_and_replaces_nothing(int parallelism)
    {
        using var temp = new TempDirectory();
        var names = new[] { "a.txt", "b.txt", "c.txt", "d.txt" };
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(temp.Path, name), "earlier run");
        }

        var files = names.Select((name, index) => (Path.Combine(temp.Path, name), Writer(index))).ToList();

        var error = Assert.Throws<IOException>(() => AtomicFiles.WriteAll(files, parallelism));

        Assert.Equal("writer 1 failed", error.Message);
        Assert.Equal(names, Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(names, name => Assert.Equal("earlier run", File.ReadAllText(Path.Combine(temp.Path, name))));

        // Writers 1 and 3 fail; the others write their number.
        static Action<Stream> Writer(int index) => stream =>
        {
            if (index % 2 == 1)
            {
                throw new IOException($"writer {index} failed");
            }

            stream.Write(Encoding.UTF8.GetBytes(index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Every_file_is_committed_with_its_own_bytes_and_no_temporary_is_left(int parallelism)
    {
        using var temp = new TempDirectory();
        var files = Enumerable.Range(0, 6)
            .Select(index => (Path.Combine(temp.Path, $"{index}.txt"), (Action<Stream>)(stream => stream.Write(Encoding.UTF8.GetBytes(new string('x', index * 1000))))))
            .ToList();

        AtomicFiles.WriteAll(files, parallelism);

        Assert.Equal(6, Directory.GetFileSystemEntries(temp.Path).Length);
        Assert.All(Enumerable.Range(0, 6), index => Assert.Equal(index * 1000, new FileInfo(Path.Combine(temp.Path, $"{index}.txt")).Length));
    }
}
