using System.Globalization;
using System.Text;

namespace CsrssForensics.Fleet.Batch;

/// <summary>
/// Report folder names made from a host name and a collection time. Host names are attacker-controlled: the name keeps
/// only ASCII letters, digits, '-', '_' and '.', never starts with a dot, avoids Windows device names and is capped, so
/// it is always one plain folder below the output folder. Collisions (case-insensitive, as on Windows and macOS) get
/// "-2", "-3"...; a folder that already exists is never reused.
/// </summary>
public sealed class HostFolderNames
{
    /// <summary>Longest host part kept (NetBIOS names are 15 characters, DNS labels 63).</summary>
    public const int MaxHostLength = 63;

    private static readonly HashSet<string> _deviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _parent;

    /// <summary>Names are handed out for folders below <paramref name="parent"/>.</summary>
    public HostFolderNames(string parent) => _parent = parent;

    /// <summary>The base name: <c>HOST_yyyyMMddTHHmmssZ</c>, or <c>HOST_no-time</c>.</summary>
    public static string BaseName(string? hostName, DateTimeOffset? collectedAtUtc)
    {
        var host = Sanitise(hostName);
        var time = collectedAtUtc is { } t
            ? t.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)
            : "no-time";
        return $"{host}_{time}";
    }

    /// <summary>The host part of a folder name: safe characters only, never empty, never a device name.</summary>
    public static string Sanitise(string? hostName)
    {
        var text = new StringBuilder();
        foreach (var c in hostName ?? string.Empty)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
            if (text.Length == MaxHostLength)
            {
                break;
            }
        }

        var name = text.ToString().Trim('.', '_');
        if (name.Length == 0)
        {
            return "unknown-host";
        }

        return _deviceNames.Contains(name.Split('.')[0]) ? "_" + name : name;
    }

    /// <summary>A name not handed out before and not present on disk.</summary>
    public string Claim(string baseName)
    {
        var name = baseName;
        for (int n = 2; !_taken.Add(name) || Exists(name); n++)
        {
            _taken.Add(name);
            name = $"{baseName}-{n.ToString(CultureInfo.InvariantCulture)}";
        }

        return name;
    }

    private bool Exists(string name)
    {
        var path = Path.Combine(_parent, name);
        return Directory.Exists(path) || File.Exists(path);
    }
}
