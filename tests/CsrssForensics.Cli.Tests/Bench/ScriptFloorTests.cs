using System.Diagnostics;
using System.Globalization;
using CsrssForensics.Cli.Bench;

namespace CsrssForensics.Cli.Tests.Bench;

/// <summary>
/// The plain-script reading floor (tests/perf/reading-floor.py, run by <c>bench analyze --floor-script</c>) must do the
/// same reading as the built-in floor, or the ratio printed against it would compare different work.
/// </summary>
public sealed class ScriptFloorTests
{
    private static readonly ScaleSize _small = new("test", 200, 1_000, 40, 30);

    [Fact]
    public void The_script_floor_reads_the_same_files_rows_and_documents_as_the_built_in_floor()
    {
        var folder = Path.Combine(CliRunner.TempDirectory(), "bundle");
        ScaleBundleGenerator.Write(folder, _small);
        var builtIn = ReadingFloor.Read(folder);

        var output = RunPython(ScriptPath(), folder);

        var expected = string.Create(CultureInfo.InvariantCulture,
            $"script floor: {builtIn.Files} files, {builtIn.Bytes} bytes, {builtIn.CsvRows} CSV rows, {builtIn.XmlDocuments} XML, {builtIn.JsonDocuments} JSON");
        Assert.Equal(expected, output.Trim());
    }

    private static string ScriptPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, "tests", "perf", "reading-floor.py");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException("tests/perf/reading-floor.py not found above " + AppContext.BaseDirectory);
    }

    private static string RunPython(params string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // python3 is a test prerequisite (test.sh installs or names it); a missing interpreter fails here, loudly.
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        child.WaitForExit();
        Assert.True(child.ExitCode == 0, "reading-floor.py failed: " + errors.Result);
        return output.Result;
    }
}
