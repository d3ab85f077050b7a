namespace CsrssForensics.Pe.Tests.Support;

/// <summary>Committed PE fixtures (fixtures/pe/pe-*), copied next to the test binary by the project file.</summary>
internal static class PEFixtures
{
    /// <summary>System.Web.dll from the .NET 10.0.12 runtime: PE32, I386, IL only, Authenticode signed.</summary>
    public const string SystemWeb = "pe-System.Web.dll";

    /// <summary>System.Threading.dll from the .NET 10.0.12 runtime: PE32+, ReadyToRun for Linux x64, signed.</summary>
    public const string SystemThreading = "pe-System.Threading.dll";

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
