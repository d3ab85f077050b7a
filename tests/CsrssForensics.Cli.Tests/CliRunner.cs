using System.Diagnostics;

namespace CsrssForensics.Cli.Tests;

/// <summary>Runs the built CLI (csrss-forensics.dll, copied next to the tests) as a real process.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    /// <summary>Runs the CLI with extra environment variables (e.g. a GC heap limit).</summary>
    public static (int ExitCode, string Output, string Error) RunWith(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "csrss-forensics.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment.Remove("CSRSS_FORENSICS_DEBUG");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the CLI did not finish within 120 s");
        return (process.ExitCode, output.Result, error.Result);
    }

    public static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "csrss-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
