using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Analysis.Tests.Support;

/// <summary>Fixture and golden-file paths of this test project.</summary>
internal static class RepositoryPaths
{
    public static string Fixture(params string[] parts) => TestEnvironment.PathOf(["fixtures", .. parts]);

    public static string Golden(string fileName) =>
        TestEnvironment.PathOf("tests", "CsrssForensics.Analysis.Tests", "Golden", fileName);
}
