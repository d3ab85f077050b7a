using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace CsrssForensics.Bundle.Sources;

/// <summary>
/// A bundle that is a zip file. Entry names are checked before anything is read: zip-slip (<c>..</c>), absolute,
/// drive-rooted, backslash-rooted or NUL-bearing names, symbolic links, duplicates, entries over the size cap or the
/// compression-ratio cap are refused. A declared size is never trusted: reads are counted against it. The catalog is
/// read once by <see cref="ZipCentralDirectory"/> (not by <c>ZipArchive</c>, which would parse it again and keep an
/// object per entry); each entry's data is opened on demand by <see cref="ZipEntryData"/> and streamed.
/// </summary>
internal sealed class ZipBundleSource : BundleSource
{
    // Unix mode bits live in the high 16 bits of the external attributes when the zip was made on Unix.
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    // MS-DOS attribute FILE_ATTRIBUTE_REPARSE_POINT in the low byte(s) when made on Windows.
    private const int DosReparsePoint = 0x400;

    // Folder records ("tasks/") do not count against the entry cap; a real bundle has a handful.
    private const int FolderRecordAllowance = 10_000;

    private readonly FileStream _file;

    // Entries are read by position through the handle (ZipEntryData), never through the stream's shared position.
    private readonly SafeFileHandle _handle;
    private readonly long _fileLength;

    // Only the central-directory records of accepted entries: an entry's data is opened when it is read, one at a time.
    private readonly Dictionary<string, ZipEntrySpan> _byName = new(StringComparer.Ordinal);
    private readonly string _sha256;

    private ZipBundleSource(string path, FileStream file, string sha256, ImmutableArray<ZipEntrySpan> spans, BundleReaderOptions options)
        : base(Path.GetFileName(path), options)
    {
        _file = file;
        _handle = file.SafeFileHandle;
        _fileLength = file.Length;
        _sha256 = sha256;
        List(spans);
        Seal();
    }

    public override string? BundleSha256 => _sha256;

    /// <summary>Opens the zip; throws <see cref="BundleOpenException"/> when it is not a readable zip.</summary>
    public static ZipBundleSource Open(string path, BundleReaderOptions options)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.RandomAccess);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new BundleOpenException($"The bundle file '{path}' cannot be opened: {exception.Message}", exception);
        }

        try
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(file));
            var spans = ZipCentralDirectory.Scan(file, (long)options.MaxEntries + Math.Min(FolderRecordAllowance, options.MaxEntries));
            return new ZipBundleSource(path, file, sha256, spans, options);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or ArgumentException)
        {
            file.Dispose();
            throw new BundleOpenException($"'{path}' is neither a bundle folder nor a readable zip file: {exception.Message}", exception);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    protected override uint? ExpectedCrc32(string entry) => _byName.TryGetValue(entry, out var zipEntry) ? zipEntry.Crc32 : null;

    protected override Stream? OpenEntry(string entry) => _byName.TryGetValue(entry, out var zipEntry) ? ZipEntryData.Open(_handle, _fileLength, zipEntry) : null;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private void List(ImmutableArray<ZipEntrySpan> spans)
    {
        var duplicates = new HashSet<string>(StringComparer.Ordinal);
        var overlapping = ZipCentralDirectory.Overlapping(spans);
        var seen = 0;
        for (var index = 0; index < spans.Length; index++)
        {
            var zipEntry = spans[index];
            var raw = zipEntry.RawName;

            // A folder record ("tasks/") holds no bytes; it is neither an entry nor a problem.
            if (raw.EndsWith('/') && zipEntry.Length == 0 && EntryName.IsNormal(raw.TrimEnd('/')))
            {
                continue;
            }

            if (++seen > Options.MaxEntries)
            {
                Refuse(raw, $"more than {Options.MaxEntries} entries");
                continue;
            }

            // Windows PowerShell 5.1's Compress-Archive writes '\' between folders; accept that spelling, but never
            // a name that starts with one.
            var name = raw.Length > 0 && raw[0] != '\\' ? raw.Replace('\\', '/') : raw;
            var problem = EntryName.Problem(name);
            if (problem is not null)
            {
                Refuse(raw, problem);
                continue;
            }

            // Entries sharing compressed bytes are how a small zip expands to gigabytes; they are never honest.
            if (overlapping.Contains(index))
            {
                Refuse(name, "its data overlaps another entry's data in the archive");
                continue;
            }

            var unixType = (zipEntry.ExternalAttributes >> 16) & UnixFileTypeMask;
            if (unixType == UnixSymbolicLink || (zipEntry.ExternalAttributes & DosReparsePoint) != 0)
            {
                Refuse(name, "symbolic link or reparse point entry");
                continue;
            }

            if (zipEntry.Length > CapFor(name))
            {
                Refuse(name, $"declares {zipEntry.Length} bytes, over the {CapFor(name)}-byte cap");
                continue;
            }

            if (zipEntry.Length > 0 &&
                (zipEntry.CompressedSize <= 0 || (double)zipEntry.Length / zipEntry.CompressedSize > Options.MaxCompressionRatio))
            {
                Refuse(name, $"compression ratio {zipEntry.Length}:{zipEntry.CompressedSize} is over the {Options.MaxCompressionRatio.ToString(System.Globalization.CultureInfo.InvariantCulture)}:1 cap");
                continue;
            }

            if (duplicates.Contains(name) || IsAccepted(name))
            {
                // Two entries with one name let a verifier and a reader see different bytes: refuse both.
                if (duplicates.Add(name))
                {
                    _byName.Remove(name);
                    Forget(name);
                }

                Refuse(name, "more than one entry has this name");
                continue;
            }

            _byName[name] = zipEntry;
            Accept(name, zipEntry.Length);
        }
    }
}
