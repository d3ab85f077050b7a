using System.Reflection;
using System.Text;

namespace CsrssForensics.Reporting.Tests.Support;

/// <summary>
/// Compares output with <c>Golden/&lt;name&gt;.verified.&lt;ext&gt;</c> byte for byte. On a mismatch it writes
/// <c>&lt;name&gt;.received.&lt;ext&gt;</c> beside it and fails; with <c>ACCEPT_GOLDEN=1</c> it overwrites the verified
/// file instead (review with <c>git diff</c>).
/// </summary>
internal static class GoldenFile
{
    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string Directory { get; } = typeof(GoldenFile).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "GoldenDirectory").Value!;

    public static void Verify(string name, string extension, string actual)
    {
        var verified = Path.Combine(Directory, $"{name}.verified.{extension}");
        var received = Path.Combine(Directory, $"{name}.received.{extension}");
        var actualBytes = _utf8.GetBytes(actual);

        if (Environment.GetEnvironmentVariable("ACCEPT_GOLDEN") == "1")
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllBytes(verified, actualBytes);
            File.Delete(received);
            return;
        }

        var expected = File.Exists(verified) ? File.ReadAllBytes(verified) : null;
        if (expected is not null && expected.AsSpan().SequenceEqual(actualBytes))
        {
            File.Delete(received);
            return;
        }

        File.WriteAllBytes(received, actualBytes);
        Assert.Fail(expected is null
            ? $"No golden file {verified}. Wrote {received}; review it and run with ACCEPT_GOLDEN=1 to accept."
            : $"Output differs from {verified}. Wrote {received}; compare them, then run with ACCEPT_GOLDEN=1 to accept.");
    }
}
