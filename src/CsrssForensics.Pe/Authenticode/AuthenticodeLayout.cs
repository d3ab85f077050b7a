using System.Buffers.Binary;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// The few PE header offsets the Authenticode hash needs. Read here directly (bounds-checked, 64-bit arithmetic) so the
/// verifier does not depend on a full PE parse: a file that is hostile to the PE parser still gets a hash.
/// </summary>
/// <param name="CheckSumOffset">File offset of IMAGE_OPTIONAL_HEADER.CheckSum (4 bytes, skipped by the hash).</param>
/// <param name="CertificateDirectoryEntryOffset">File offset of data directory #4 (8 bytes, skipped), or -1 when absent.</param>
/// <param name="CertificateTableOffset">IMAGE_DIRECTORY_ENTRY_SECURITY.VirtualAddress: a file offset, not an RVA.</param>
/// <param name="CertificateTableSize">IMAGE_DIRECTORY_ENTRY_SECURITY.Size.</param>
internal readonly record struct AuthenticodeLayout(
    long CheckSumOffset,
    long CertificateDirectoryEntryOffset,
    long CertificateTableOffset,
    long CertificateTableSize)
{
    private const int SecurityDirectoryIndex = 4;

    /// <summary>True when the security directory names a table (both fields non-zero).</summary>
    public bool HasCertificateTable => CertificateTableOffset != 0 && CertificateTableSize != 0;

    /// <summary>Reads the layout; false (with an anomaly only when it looks like a broken PE) when this is no PE image.</summary>
    public static bool TryRead(FileContent file, string evidenceFile, IAnomalySink sink, out AuthenticodeLayout layout)
    {
        layout = default;
        ulong length = (ulong)file.Length;
        if (length < 0x40)
        {
            return false;
        }

        ReadOnlySpan<byte> dosHeader = file.Read(0, 0x40);
        if (dosHeader[0] != (byte)'M' || dosHeader[1] != (byte)'Z')
        {
            return false;
        }

        ulong peOffset = BinaryPrimitives.ReadUInt32LittleEndian(dosHeader[0x3C..]);
        // Signature (4) + IMAGE_FILE_HEADER (20) + optional header magic (2).
        if (peOffset + 26 > length)
        {
            Report(sink, "SIG0019", AnomalySeverity.Medium, "MZ file whose e_lfanew points past the end of the file: not hashed as PE", evidenceFile, 0x3C);
            return false;
        }

        ReadOnlySpan<byte> peHeader = file.Read((long)peOffset, 26);
        if (BinaryPrimitives.ReadUInt32LittleEndian(peHeader) != 0x00004550)
        {
            Report(sink, "SIG0019", AnomalySeverity.Medium, "MZ file without a PE signature at e_lfanew: not hashed as PE", evidenceFile, (long)peOffset);
            return false;
        }

        ulong sizeOfOptionalHeader = BinaryPrimitives.ReadUInt16LittleEndian(peHeader[20..]);
        ulong optional = peOffset + 24;
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(peHeader[24..]);
        bool pe32Plus;
        if (magic == 0x10B)
        {
            pe32Plus = false;
        }
        else if (magic == 0x20B)
        {
            pe32Plus = true;
        }
        else
        {
            Report(sink, "SIG0019", AnomalySeverity.Medium, $"Unknown optional header magic 0x{magic:x4}: not hashed as PE", evidenceFile, (long)optional);
            return false;
        }

        // CheckSum sits at +64 in both formats; NumberOfRvaAndSizes at +92 (PE32) / +108 (PE32+).
        ulong checkSum = optional + 64;
        ulong rvaCountOffset = optional + (pe32Plus ? 108UL : 92UL);
        if (rvaCountOffset + 4 > length)
        {
            Report(sink, "SIG0019", AnomalySeverity.Medium, "Optional header truncated before NumberOfRvaAndSizes: not hashed as PE", evidenceFile, (long)optional);
            return false;
        }

        uint rvaCount = BinaryPrimitives.ReadUInt32LittleEndian(file.Read((long)rvaCountOffset, 4));
        ulong directoryEntry = rvaCountOffset + 4 + (SecurityDirectoryIndex * 8);
        if (rvaCount <= SecurityDirectoryIndex || directoryEntry + 8 > optional + sizeOfOptionalHeader || directoryEntry + 8 > length)
        {
            // No security directory: the hash skips only the CheckSum, and nothing can be embedded.
            Report(sink, "SIG0002", AnomalySeverity.Low, $"No certificate directory entry (NumberOfRvaAndSizes={rvaCount})", evidenceFile, (long)rvaCountOffset);
            layout = new AuthenticodeLayout((long)checkSum, -1, 0, 0);
            return true;
        }

        ReadOnlySpan<byte> securityDirectory = file.Read((long)directoryEntry, 8);
        uint tableOffset = BinaryPrimitives.ReadUInt32LittleEndian(securityDirectory);
        uint tableSize = BinaryPrimitives.ReadUInt32LittleEndian(securityDirectory[4..]);
        layout = new AuthenticodeLayout((long)checkSum, (long)directoryEntry, tableOffset, tableSize);
        return true;
    }

    internal static void Report(IAnomalySink sink, string code, AnomalySeverity severity, string message, string evidenceFile, long? offset, string? detail = null) =>
        sink.Report(new Anomaly(code, severity, message, new EvidenceRef(evidenceFile, Offset: offset, Detail: detail)));
}
