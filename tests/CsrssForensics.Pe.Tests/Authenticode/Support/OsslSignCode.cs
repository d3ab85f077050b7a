using System.Diagnostics;
using System.Text.RegularExpressions;
using CsrssForensics.Tests.Shared;
using Xunit.Sdk;

namespace CsrssForensics.Pe.Tests.Authenticode.Support;

/// <summary>Runs the referee, osslsigncode 2.9, found on PATH. Absent means the test fails, never skips.</summary>
internal static partial class OsslSignCode
{
    private static readonly string? _executable = TestEnvironment.FindTool("osslsigncode");

    public sealed record Outcome(string Output, bool Succeeded, string? CalculatedDigest, bool NoSignature);

    public static Outcome Verify(string file, string? caFile, string? catalog = null)
    {
        var arguments = new List<string> { "verify", "-ignore-crl" };
        if (caFile is not null)
        {
            arguments.AddRange(["-CAfile", caFile, "-TSA-CAfile", caFile]);
        }

        if (catalog is not null)
        {
            arguments.AddRange(["-catalog", catalog]);
        }

        arguments.AddRange(["-in", file]);
        string output = Run(arguments);
        Match digest = CalculatedDigest().Match(output);
        return new Outcome(
            output,
            output.Contains("\nSucceeded", StringComparison.Ordinal) || output.StartsWith("Succeeded", StringComparison.Ordinal),
            digest.Success ? digest.Groups[1].Value : null,
            output.Contains("No signature found", StringComparison.Ordinal));
    }

    public static string Run(IEnumerable<string> arguments) =>
        ExternalTool.Run(_executable, "osslsigncode is not installed (not on PATH): these tests compare against osslsigncode 2.9 (apt-get install osslsigncode)", arguments).Output;

    [GeneratedRegex(@"Calculated message digest\s*:\s*([0-9A-Fa-f]+)")]
    private static partial Regex CalculatedDigest();
}

/// <summary>Runs the openssl command line, the referee for what osslsigncode cannot check (RSASSA-PSS signer signatures).</summary>
internal static class OpenSsl
{
    private static readonly string? _executable = TestEnvironment.FindTool("openssl");

    public static (int ExitCode, string Output) Run(params string[] arguments) =>
        ExternalTool.Run(_executable, "openssl is not installed (not on PATH): apt-get install openssl", arguments);
}

/// <summary>Runs an external referee with a time limit; a missing tool fails the test with what to install.</summary>
internal static class ExternalTool
{
    public static (int ExitCode, string Output) Run(string? executable, string missingMessage, IEnumerable<string> arguments)
    {
        if (executable is null)
        {
            throw new XunitException(missingMessage);
        }

        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new XunitException($"{System.IO.Path.GetFileName(executable)} did not finish in 60 s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A temp folder deleted at dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("authenticode-test-").FullName;

    public string Path { get; }

    public string Write(string name, byte[] bytes)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public string Write(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Committed sig-* fixtures, found by walking up to the repository's fixtures/pe folder.</summary>
internal static class SigFixtures
{
    public const string SystemBuffers = "sig-System.Buffers.dll";
    public const string SystemAppContext = "sig-System.AppContext.dll";

    /// <summary>A committed fixture under fixtures/pe.</summary>
    public static string PathOf(string name)
    {
        var path = TestEnvironment.PathOf("fixtures", "pe", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"fixtures/pe/{name} is missing", path);
    }

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));
}
