using System.Runtime.CompilerServices;

namespace CsrssForensics.Analysis.Tests.Support;

/// <summary>
/// Finds files of this repository from this source file's own location (recorded at compile time), so the tests work
/// whatever folder the build output goes to, without host-specific paths.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixture(params string[] parts) => Path.Combine([Root, "fixtures", .. parts]);

    public static string Golden(string fileName) =>
        Path.Combine(Root, "tests", "CsrssForensics.Analysis.Tests", "Golden", fileName);

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
