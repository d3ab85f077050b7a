namespace CsrssForensics.Cli.Commands;

/// <summary>Reads the root certificate material a user names: one PEM file, or every .pem/.crt/.cer file of a folder.</summary>
internal static class PemFiles
{
    private const long MaxPemBytes = 16 * 1024 * 1024;

    public static IReadOnlyList<(string Name, byte[] Pem)> Read(FileSystemInfo path)
    {
        var files = path is DirectoryInfo directory
            ? directory.EnumerateFiles("*", SearchOption.TopDirectoryOnly)
                .Where(f => f.Extension is ".pem" or ".crt" or ".cer")
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToList()
            : [new FileInfo(path.FullName)];
        var result = new List<(string, byte[])>();
        foreach (var file in files)
        {
            if (file.Length > MaxPemBytes)
            {
                throw new IOException($"{file.FullName} is larger than {MaxPemBytes} bytes; not a certificate file.");
            }

            result.Add((file.Name, File.ReadAllBytes(file.FullName)));
        }

        return result;
    }
}
