using System.Globalization;
using System.Text;

namespace CsrssForensics.Pe.Parsing;

/// <summary>Names for header enums, spelled like the IMAGE_FILE_MACHINE_* / IMAGE_SUBSYSTEM_* constants they stand for.</summary>
internal static class PENames
{
    /// <summary>
    /// ReadyToRun images built for other operating systems XOR the machine with an OS value
    /// (dotnet/runtime <c>TargetOS</c> machine overrides), so a Linux-built AMD64 image reads 0xFD1D.
    /// </summary>
    private static readonly (ushort Xor, string Os)[] _readyToRunOsOverrides =
    [
        (0x4644, "Apple"),
        (0xADC4, "FreeBSD"),
        (0x7B79, "Linux"),
        (0x1993, "NetBSD"),
    ];

    public static string? MachineName(ushort machine) => machine switch
    {
        0x014C => "I386",
        0x8664 => "AMD64",
        0xAA64 => "ARM64",
        0x01C0 => "ARM",
        0x01C2 => "THUMB",
        0x01C4 => "ARMNT",
        0x0200 => "IA64",
        0xA641 => "ARM64EC",
        0xA64E => "ARM64X",
        0x0EBC => "EBC",
        0x5032 => "RISCV32",
        0x5064 => "RISCV64",
        0x6232 => "LOONGARCH32",
        0x6264 => "LOONGARCH64",
        _ => null,
    };

    /// <summary>Known machine name, <c>AMD64+Linux</c> for a ReadyToRun OS override, or null when unknown.</summary>
    public static string? DescribeMachine(ushort machine)
    {
        if (MachineName(machine) is { } name)
        {
            return name;
        }

        foreach (var (xor, os) in _readyToRunOsOverrides)
        {
            if (MachineName((ushort)(machine ^ xor)) is { } baseName)
            {
                return baseName + "+" + os;
            }
        }

        return null;
    }

    public static string Hex(uint value, int digits) =>
        "0x" + value.ToString("X" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string SubsystemName(ushort subsystem) => subsystem switch
    {
        0 => "Unknown",
        1 => "Native",
        2 => "WindowsGui",
        3 => "WindowsCui",
        5 => "Os2Cui",
        7 => "PosixCui",
        8 => "NativeWindows",
        9 => "WindowsCEGui",
        10 => "EfiApplication",
        11 => "EfiBootServiceDriver",
        12 => "EfiRuntimeDriver",
        13 => "EfiRom",
        14 => "Xbox",
        16 => "WindowsBootApplication",
        17 => "XboxCodeCatalog",
        _ => Hex(subsystem, 4),
    };

    private static readonly (uint Flag, string Name)[] _sectionFlags =
    [
        (0x00000020, "CNT_CODE"),
        (0x00000040, "CNT_INITIALIZED_DATA"),
        (0x00000080, "CNT_UNINITIALIZED_DATA"),
        (0x00000200, "LNK_INFO"),
        (0x00000800, "LNK_REMOVE"),
        (0x00001000, "LNK_COMDAT"),
        (0x00008000, "GPREL"),
        (0x01000000, "LNK_NRELOC_OVFL"),
        (0x02000000, "MEM_DISCARDABLE"),
        (0x04000000, "MEM_NOT_CACHED"),
        (0x08000000, "MEM_NOT_PAGED"),
        (0x10000000, "MEM_SHARED"),
        (0x20000000, "MEM_EXECUTE"),
        (0x40000000, "MEM_READ"),
        (0x80000000, "MEM_WRITE"),
    ];

    /// <summary><c>0x60000020 CNT_CODE|MEM_EXECUTE|MEM_READ</c>: the raw value first so nothing is lost.</summary>
    public static string SectionCharacteristics(uint characteristics)
    {
        var text = new StringBuilder(Hex(characteristics, 8));
        var first = true;
        foreach (var (flag, name) in _sectionFlags)
        {
            if ((characteristics & flag) == 0)
            {
                continue;
            }

            text.Append(first ? ' ' : '|').Append(name);
            first = false;
        }

        return text.ToString();
    }

    /// <summary>IMAGE_SECTION_HEADER.Name: up to 8 bytes, NUL padded; non-printable bytes become '?'.</summary>
    public static string SectionName(ReadOnlySpan<byte> raw)
    {
        var end = raw.IndexOf((byte)0);
        if (end >= 0)
        {
            raw = raw[..end];
        }

        return PrintableAscii(raw);
    }

    /// <summary>ASCII with every byte outside 0x20..0x7E replaced by '?', so hostile names cannot inject control characters.</summary>
    public static string PrintableAscii(ReadOnlySpan<byte> raw)
    {
        return string.Create(raw.Length, raw.ToArray(), static (chars, bytes) =>
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                chars[i] = b is >= 0x20 and <= 0x7E ? (char)b : '?';
            }
        });
    }
}
