using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CsrssForensics.Cli.Bench;

/// <summary>processes.csv and files.csv of a scale bundle, written one row at a time.</summary>
internal static partial class ScaleBundleGenerator
{
    private const string MicrosoftWindows = "CN=Microsoft Windows, O=Microsoft Corporation, L=Redmond, S=Washington, C=US";
    private const string MicrosoftCorporation = "CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US";
    private const string MicrosoftThumbprint = "A4341B9FD50FB9964283220A36A1EF6F6FAA7840";

    /// <summary>The System32 images the core and application processes run from.</summary>
    private static readonly string[] _systemImages =
    [
        "csrss.exe", "smss.exe", "wininit.exe", "winlogon.exe", "services.exe", "lsass.exe", "svchost.exe", "dwm.exe",
        "notepad.exe", "mspaint.exe", "ctfmon.exe", "SecurityHealthSystray.exe", "cmd.exe",
    ];

    private static void WriteProcesses(TextWriter writer, SyntheticHost host)
    {
        writer.WriteLine("pid,parentPid,name,imagePath,commandLine,creationTimeUtc,sessionId,user,cpuPercent,gpuPercent,workingSetBytes");
        var line = new StringBuilder(512);
        for (int index = 0; index < host.Size.Processes; index++)
        {
            ProcessSpec process = host.Process(index);
            line.Clear();
            line.Append(process.Pid).Append(',').Append(process.ParentPid).Append(',');
            Cell(line, process.Name).Append(',');
            Cell(line, process.ImagePath).Append(',');
            Cell(line, process.CommandLine).Append(',');
            line.Append(process.CreatedUtc).Append(',').Append(process.Session).Append(',');
            Cell(line, process.User).Append(',');
            line.Append(CultureInfo.InvariantCulture, $"{index % 7 * 0.1:F1},0,{4_096_000 + (index % 97 * 65_536)}");
            writer.WriteLine(line);
        }
    }

    private static void WriteFiles(TextWriter writer, SyntheticHost host)
    {
        writer.WriteLine("path,size,sha256,createdUtc,modifiedUtc,signatureStatus,signatureType,signerSubject,signerThumbprint,catalogPath,catalogBundlePath,bundlePath,reason,zoneIdentifier");
        var line = new StringBuilder(512);
        int rows = 0;
        void Row(string path, string status, string type, string signer, string thumbprint, string reason, string createdUtc)
        {
            if (rows++ >= host.Size.FileRows)
            {
                return;
            }

            line.Clear();
            Cell(line, path).Append(',').Append(10_240 + (path.Length * 512)).Append(',').Append(Digest(path)).Append(',');
            line.Append(createdUtc).Append(',').Append(createdUtc).Append(',').Append(status).Append(',').Append(type).Append(',');
            Cell(line, signer).Append(',').Append(thumbprint).Append(",,,,").Append(reason).Append(',');
            writer.WriteLine(line);
        }

        const string Shipped = "2024-05-07T05:12:44Z";
        foreach (string image in _systemImages)
        {
            Row(SyntheticHost.System32 + image, "Valid", "Catalog", MicrosoftWindows, MicrosoftThumbprint, "process-image", Shipped);
        }

        Row(@"C:\Windows\explorer.exe", "Valid", "Catalog", MicrosoftWindows, MicrosoftThumbprint, "process-image", Shipped);
        for (int fake = 0; fake < host.Size.Fakes; fake++)
        {
            Row(host.FakePath(fake), "NotSigned", "None", string.Empty, string.Empty, "process-image;task-target;autorun-target;name-match", "2026-11-18T21:39:58Z");
        }

        for (int vendor = 0; vendor < 300; vendor++)
        {
            string v = vendor.ToString(CultureInfo.InvariantCulture);
            Row($@"C:\Program Files\Vendor{v}\app{v}.exe", "Valid", "Embedded", $"CN=Vendor{v} Ltd, O=Vendor{v} Ltd, C=US", Thumbprint(v), "process-image;task-target;autorun-target", "2025-03-12T10:00:00Z");
        }

        for (int session = 1; session < host.Size.Sessions; session++)
        {
            for (int application = 0; application < 14; application++)
            {
                (_, string path) = SyntheticHost.Application(application, session);
                if (path.StartsWith(@"C:\Users\", StringComparison.Ordinal))
                {
                    Row(path, "Valid", "Embedded", MicrosoftCorporation, "8F985BE8FD256085C90A95D3C74580511A1DB975", "process-image", "2026-10-01T08:00:00Z");
                }
            }
        }

        for (int sibling = 0; rows < host.Size.FileRows; sibling++)
        {
            string path = SyntheticHost.SiblingPath(sibling);
            string v = (sibling % 500).ToString(CultureInfo.InvariantCulture);
            Row(path, "Valid", "Embedded", $"CN=Vendor{v} Ltd, O=Vendor{v} Ltd, C=US", Thumbprint(v), "sibling", "2025-03-12T10:00:00Z");
        }
    }

    /// <summary>A stand-in file hash: the SHA-256 of the path, so equal paths share it and nothing repeats by chance.</summary>
    private static string Digest(string path) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)));

    private static string Thumbprint(string vendor) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("vendor" + vendor)).AsSpan(0, 20));

    /// <summary>RFC 4180: a cell holding a comma, quote or line break is quoted and its quotes doubled.</summary>
    private static StringBuilder Cell(StringBuilder line, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return line.Append(value);
        }

        return line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
