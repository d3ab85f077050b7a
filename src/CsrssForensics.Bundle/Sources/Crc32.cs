namespace CsrssForensics.Bundle.Sources;

/// <summary>
/// CRC-32 as zip uses it (IEEE 802.3, reflected polynomial 0xEDB88320). Needed because the runtime's zip stream
/// stops at the declared uncompressed size: a header that under-declares the size would silently truncate the
/// entry, and only the CRC shows the bytes are not the ones that were stored.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] _table = CreateTable();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var value = ~crc;
        foreach (var b in data)
        {
            value = _table[(value ^ b) & 0xFF] ^ (value >> 8);
        }

        return ~value;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
