using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CsrssForensics.Pe.Parsing;

/// <summary>
/// The image checksum as imagehlp's CheckSumMappedFile computes it: the file as little-endian 16-bit words (an odd last
/// byte padded with zero), summed with end-around carry, the IMAGE_OPTIONAL_HEADER.CheckSum field counted as zero,
/// then the file length added.
/// </summary>
internal static class PEChecksum
{
    public static uint Compute(ReadOnlySpan<byte> image, long checkSumOffset)
    {
        // A wide sum folded once at the end equals folding after every word: one's-complement addition is associative.
        ulong sum = 0;
        var length = image.Length;

        // Eight bytes at a time as four little-endian words; the tail word by word.
        var blocks = length / 8;
        foreach (var block in MemoryMarshal.Cast<byte, ulong>(image[..(blocks * 8)]))
        {
            var value = BitConverter.IsLittleEndian ? block : BinaryPrimitives.ReverseEndianness(block);
            sum += (value & 0xFFFF) + ((value >> 16) & 0xFFFF) + ((value >> 32) & 0xFFFF) + (value >> 48);
        }

        var i = blocks * 8;
        for (; i + 1 < length; i += 2)
        {
            sum += (uint)(image[i] | (image[i + 1] << 8));
        }

        if (i < length)
        {
            sum += image[i];
        }

        // Take the CheckSum field's bytes back out (works for odd offsets too, which hostile e_lfanew values allow).
        if (checkSumOffset >= 0)
        {
            for (var k = 0; k < 4; k++)
            {
                var at = checkSumOffset + k;
                if (at >= length)
                {
                    break;
                }

                var shift = (at % 2) == 0 ? 0 : 8;
                sum -= (ulong)image[(int)at] << shift;
            }
        }

        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return unchecked((uint)sum + (uint)length);
    }
}
