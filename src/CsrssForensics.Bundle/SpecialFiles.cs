using System.Runtime.InteropServices;

namespace CsrssForensics.Bundle;

/// <summary>
/// Tells FIFOs, sockets and devices from regular files. .NET lists them as files with <c>Normal</c> attributes, and
/// opening a FIFO for reading blocks until a writer appears: a folder holding one would hang any reader.
/// </summary>
public static partial class SpecialFiles
{
    // The file-type bits of the mode as the runtime's own native layer (libSystem.Native) reports them.
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int Directory = 0x4000;
    private const int SymbolicLink = 0xA000;

    /// <summary>
    /// True when <paramref name="path"/> names something that is neither a regular file, a folder nor a symbolic link
    /// (checked without following a link). Always false on Windows, where such files are not listed in folders.
    /// </summary>
    public static bool IsSpecial(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        // SystemNative_LStat fills the runtime's FileStatus struct: Flags (int32) then Mode (int32). The buffer is far
        // larger than the struct so a newer layout cannot overrun it.
        var status = new byte[512];
        try
        {
            if (LStat(path, status) != 0)
            {
                return false;
            }
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }

        var type = BitConverter.ToInt32(status, 4) & FileTypeMask;
        return type is not (RegularFile or Directory or SymbolicLink);
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, [Out] byte[] status);
}
