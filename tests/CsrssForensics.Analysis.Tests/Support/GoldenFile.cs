using System.Text;

namespace CsrssForensics.Analysis.Tests.Support;

/// <summary>
/// Compares text against <c>Golden/NAME.verified.EXT</c>. On a mismatch it writes <c>NAME.received.EXT</c> beside it
/// and fails; with <c>ACCEPT_GOLDEN=1</c> it overwrites the verified file instead (review with <c>git diff</c>).
/// </summary>
internal static class GoldenFile
{
    public static void Verify(string name, string extension, string actual)
    {
        var verified = RepositoryPaths.Golden($"{name}.verified.{extension}");
        var received = RepositoryPaths.Golden($"{name}.received.{extension}");
        var accept = Environment.GetEnvironmentVariable("ACCEPT_GOLDEN") == "1";
        if (accept)
        {
            File.WriteAllText(verified, actual, new UTF8Encoding(false));
            return;
        }

        Assert.True(File.Exists(verified), $"No golden file {verified}; run the tests with ACCEPT_GOLDEN=1 and review it.");
        var expected = File.ReadAllText(verified, Encoding.UTF8);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            File.WriteAllText(received, actual, new UTF8Encoding(false));
            Assert.Fail($"{name}.{extension} differs from its golden file; see {received} (accept with ACCEPT_GOLDEN=1).");
        }

        if (File.Exists(received))
        {
            File.Delete(received);
        }
    }
}
