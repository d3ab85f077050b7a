using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace CsrssForensics.Pe.Tests.Authenticode.Support;

/// <summary>Runs the referee, osslsigncode 2.9 (/usr/bin/osslsigncode). Absent means the test fails, never skips.</summary>
internal static partial class OsslSignCode
{
    private const string Executable = "/usr/bin/osslsigncode";

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

    public static string Run(IEnumerable<string> arguments)
    {
        if (!File.Exists(Executable))
        {
            throw new XunitException($"{Executable} is not installed: these tests compare against osslsigncode 2.9 (apt-get install osslsigncode)");
        }

        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
            throw new XunitException("osslsigncode did not finish in 60 s");
        }

        return stdout.Result + stderr.Result;
    }

    [GeneratedRegex(@"Calculated message digest\s*:\s*([0-9A-Fa-f]+)")]
    private static partial Regex CalculatedDigest();
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

    /// <summary>
    /// Walks up from the test binary, then from this source file (builds with --artifacts-path put the binary outside
    /// the repository), then from the working directory.
    /// </summary>
    public static string PathOf(string name, [System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (string start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile) ?? "", Environment.CurrentDirectory })
        {
            for (var directory = start.Length == 0 ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                string candidate = System.IO.Path.Combine(directory.FullName, "fixtures", "pe", name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"fixtures/pe/{name} not found above {AppContext.BaseDirectory} or {sourceFile}");
    }

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));
}
