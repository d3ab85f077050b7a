using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CsrssForensics.Bundle;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// Reads the root certificate material a user names with <c>--roots</c>: one PEM file, or every .pem/.crt/.cer file of
/// a folder. A file (or folder) without one readable PEM certificate is an error (65) naming it: trusting nothing
/// while the user believes a root was added would change verdicts silently.
/// </summary>
internal static class PemFiles
{
    private const long MaxPemBytes = 16 * 1024 * 1024;

    public static IReadOnlyList<(string Name, byte[] Pem)> Read(FileSystemInfo path)
    {
        List<FileInfo> files;
        try
        {
            files = path switch
            {
                DirectoryInfo { Exists: true } directory => [.. directory.EnumerateFiles("*", SearchOption.TopDirectoryOnly)
                    .Where(f => (f.Extension is ".pem" or ".crt" or ".cer") && !SpecialFiles.IsSpecial(f.FullName))
                    .OrderBy(f => f.Name, StringComparer.Ordinal)],
                _ when File.Exists(path.FullName) && SpecialFiles.IsSpecial(path.FullName) => throw Failure($"--roots '{path.FullName}' is not a regular file (FIFO, socket or device)"),
                _ when File.Exists(path.FullName) => [new FileInfo(path.FullName)],
                _ => throw Failure($"--roots '{path.FullName}' does not exist"),
            };
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw Failure($"--roots '{path.FullName}' cannot be read: {error.Message}");
        }

        if (files.Count == 0)
        {
            throw Failure($"--roots '{path.FullName}' holds no .pem, .crt or .cer file");
        }

        var result = new List<(string, byte[])>();
        foreach (var file in files)
        {
            if (file.Length > MaxPemBytes)
            {
                throw Failure($"--roots file '{file.FullName}' is larger than {MaxPemBytes} bytes; not a certificate file");
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file.FullName);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw Failure($"--roots file '{file.FullName}' cannot be read: {error.Message}");
            }

            if (!HoldsCertificate(bytes))
            {
                throw Failure($"--roots file '{file.FullName}' holds no certificate (expected PEM '-----BEGIN CERTIFICATE-----' blocks)");
            }

            result.Add((file.Name, bytes));
        }

        return result;
    }

    /// <summary>True when at least one PEM CERTIFICATE block decodes to a certificate (DER files hold none).</summary>
    internal static bool HoldsCertificate(byte[] pem)
    {
        ReadOnlySpan<char> rest = Encoding.ASCII.GetString(pem);
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label] is "CERTIFICATE" or "TRUSTED CERTIFICATE" or "X509 CERTIFICATE")
            {
                try
                {
                    using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
                    return true;
                }
                catch (Exception error) when (error is CryptographicException or FormatException)
                {
                    // An unreadable block; the next one may be fine.
                }
            }

            rest = rest[fields.Location.End..];
        }

        return false;
    }

    private static CliFailure Failure(string message) => new(ExitCodes.UnreadableInput, message);
}
