using System.Buffers.Binary;
using System.Text;

namespace CsrssForensics.Pe.Tests.Support;

/// <summary>Small helpers to corrupt built images at known places.</summary>
internal static class BytePatch
{
    public static byte[] UInt16(this byte[] image, int offset, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(offset), value);
        return image;
    }

    public static byte[] UInt32(this byte[] image, int offset, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(offset), value);
        return image;
    }

    public static uint ReadUInt32(this byte[] image, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(offset));

    /// <summary>Start of the version block whose key is <paramref name="key"/> (the key follows a 6-byte header).</summary>
    public static int VersionBlock(this byte[] image, string key)
    {
        var needle = Encoding.Unicode.GetBytes(key + "\0");
        var at = image.AsSpan().IndexOf(needle);
        if (at < 6)
        {
            throw new InvalidOperationException("version key not found: " + key);
        }

        return at - 6;
    }
}
