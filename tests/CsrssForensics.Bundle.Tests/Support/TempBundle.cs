using System.Text;

namespace CsrssForensics.Bundle.Tests.Support;

/// <summary>A bundle folder under the temp folder, deleted on dispose. Files are written with '/' relative names.</summary>
public sealed class TempBundle : IDisposable
{
    public TempBundle()
    {
        Root = Path.Combine(Path.GetTempPath(), "csrss-bundle-tests-" + Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(Root, "bundle");
        Directory.CreateDirectory(Folder);
    }

    /// <summary>A parent folder that holds <see cref="Folder"/> and may hold files outside the bundle.</summary>
    public string Root { get; }

    /// <summary>The bundle folder.</summary>
    public string Folder { get; }

    public TempBundle Write(string entry, string text) => Write(entry, Encoding.UTF8.GetBytes(text));

    public TempBundle Write(string entry, byte[] bytes)
    {
        var path = PathOf(entry);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return this;
    }

    public string PathOf(string entry) => Path.Combine(Folder, entry.Replace('/', Path.DirectorySeparatorChar));

    public TempBundle Seal()
    {
        BundleSealer.Seal(Folder);
        return this;
    }

    /// <summary>A path for a zip next to the bundle folder.</summary>
    public string ZipPath(string name = "bundle.zip") => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failed cleanup must not fail the test.
        }
    }
}
