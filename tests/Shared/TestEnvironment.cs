using System.Runtime.CompilerServices;

namespace CsrssForensics.Tests.Shared;

/// <summary>
/// Where the repository and the external test tools are, for every test project (linked in by Directory.Build.props).
/// The root is found from this source file's compile-time path, so it does not depend on the build output folder.
/// </summary>
internal static class TestEnvironment
{
    /// <summary>The folder that holds CsrssForensics.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>A path inside the repository, e.g. <c>PathOf("fixtures", "bundles")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    /// <summary>
    /// A program on PATH (the test command installs osslsigncode and chromium), or null when it is not installed:
    /// callers fail with a message saying what to install, they never skip.
    /// </summary>
    public static string? FindTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CsrssForensics.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CsrssForensics.sln not found above " + sourceFile);
    }
}
