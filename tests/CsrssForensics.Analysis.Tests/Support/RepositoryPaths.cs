namespace CsrssForensics.Analysis.Tests.Support;

/// <summary>Finds files of this repository from the test binary's folder, without host-specific paths.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixture(params string[] parts) => Path.Combine([Root, "fixtures", .. parts]);

    public static string Golden(string fileName) =>
        Path.Combine(Root, "tests", "CsrssForensics.Analysis.Tests", "Golden", fileName);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CsrssForensics.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CsrssForensics.sln not found above " + AppContext.BaseDirectory);
    }
}
