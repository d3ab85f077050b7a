using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CsrssForensics.Cli.Bench;

/// <summary>
/// Writes a synthetic, sealed bundle of a <see cref="ScaleSize"/>: a terminal server with one genuine csrss.exe per
/// session, ordinary applications, vendor tasks and autostart entries, and a few planted csrss.exe fakes in user
/// profiles, each started by a Run key and a scheduled task. Every byte follows from the size alone (no clock, no
/// random source), so two runs write identical bundles and a bench can compare them across commits. The manifest
/// lists every part with its size and SHA-256, so integrity verifies.
/// </summary>
internal static partial class ScaleBundleGenerator
{
    /// <summary>Bumped whenever the bytes written change, so a cached bundle of an older generator is rewritten.</summary>
    public const int Version = 1;

    private const string CollectedAtUtc = "2026-11-20T09:00:00Z";
    private const string Hostname = "TS-SCALE";
    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// The bundle folder for <paramref name="size"/> under <paramref name="root"/>, written unless a complete one of
    /// this generator version is already there (the largest takes a while to write and never changes).
    /// </summary>
    public static string Ensure(string root, ScaleSize size)
    {
        string folder = Path.Combine(root, $"scale-{size.Name}-v{Version}");
        string done = folder + ".complete";
        if (File.Exists(done) && Directory.Exists(folder))
        {
            return folder;
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Write(folder, size);
        File.WriteAllText(done, size.Description);
        return folder;
    }

    /// <summary>Writes the bundle of <paramref name="size"/> into the new folder <paramref name="folder"/>.</summary>
    public static void Write(string folder, ScaleSize size)
    {
        Directory.CreateDirectory(folder);
        var host = new SyntheticHost(size);
        WriteText(folder, "host.json", writer => WriteHost(writer, host));
        WriteText(folder, "processes.csv", writer => WriteProcesses(writer, host));
        WriteText(folder, "files.csv", writer => WriteFiles(writer, host));
        WriteText(folder, "autoruns.json", writer => WriteAutoruns(writer, host));
        for (int task = 0; task < size.Tasks; task++)
        {
            TaskSpec spec = host.Task(task);
            WriteText(folder, spec.BundlePath, writer => WriteTask(writer, spec));
        }

        WriteManifest(folder);
    }

    private static void WriteText(string folder, string relative, Action<TextWriter> write)
    {
        string path = Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: false, _utf8, bufferSize: 1 << 16) { NewLine = "\r\n" };
        write(writer);
    }

    /// <summary>manifest.json as collect.ps1 writes it: every other file, ordinal order, size and SHA-256.</summary>
    private static void WriteManifest(string folder)
    {
        List<string> parts = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(static f => f != "manifest.json")
            .Order(StringComparer.Ordinal)];
        using var stream = File.Create(Path.Combine(folder, "manifest.json"));
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", "csrss-forensics-bundle");
        json.WriteString("formatVersion", "1.0");
        json.WriteStartObject("collector");
        json.WriteString("name", "csrss-forensics bench analyze");
        json.WriteString("version", Version.ToString(CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteString("collectedAtUtc", CollectedAtUtc);
        json.WriteString("operator", "bench");
        json.WriteString("hostname", Hostname);
        json.WriteStartArray("files");
        foreach (string part in parts)
        {
            using FileStream file = File.OpenRead(Path.Combine(folder, part));
            long length = file.Length;
            byte[] digest = SHA256.HashData(file);
            json.WriteStartObject();
            json.WriteString("path", part);
            json.WriteNumber("size", length);
            json.WriteString("sha256", Convert.ToHexStringLower(digest));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("errors");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteHost(TextWriter writer, SyntheticHost host)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("hostname", Hostname);
            json.WriteString("osVersion", "Microsoft Windows Server 2022 Datacenter");
            json.WriteString("osBuild", "10.0.20348");
            json.WriteString("timeZone", "UTC");
            json.WriteString("bootTimeUtc", SyntheticHost.BootTimeUtc);
            json.WriteString("systemRoot", @"C:\Windows");
            json.WriteString("subSystemsWindows", @"%SystemRoot%\system32\" + SyntheticHost.CsrssArguments);
            json.WriteStartArray("sessions");
            for (int session = 0; session < host.Size.Sessions; session++)
            {
                json.WriteStartObject();
                json.WriteNumber("id", session);
                if (session == 0)
                {
                    json.WriteNull("user");
                }
                else
                {
                    json.WriteString("user", SyntheticHost.UserOf(session));
                }

                json.WriteString("state", session == 0 ? "Disconnected" : "Active");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        writer.Write(_utf8.GetString(buffer.ToArray()));
    }

    private static void WriteAutoruns(TextWriter writer, SyntheticHost host)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("entries");
            for (int index = 0; index < host.Size.Autoruns; index++)
            {
                AutorunSpec entry = host.Autorun(index);
                json.WriteStartObject();
                json.WriteString("kind", entry.Kind);
                json.WriteString("location", entry.Location);
                json.WriteString("name", entry.Name);
                json.WriteString("command", entry.Command);
                if (entry.User is null)
                {
                    json.WriteNull("user");
                }
                else
                {
                    json.WriteString("user", entry.User);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        writer.Write(_utf8.GetString(buffer.ToArray()));
    }

    private static void WriteTask(TextWriter writer, TaskSpec task)
    {
        // Task XML as Export-ScheduledTask writes it, in UTF-8 (the format allows both encodings).
        writer.WriteLine("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        writer.WriteLine("<Task version=\"1.2\" xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">");
        writer.WriteLine("  <RegistrationInfo>");
        writer.WriteLine($"    <Author>{Xml(task.Author)}</Author>");
        writer.WriteLine($"    <Description>{Xml(task.Description)}</Description>");
        writer.WriteLine($"    <URI>{Xml(task.Uri)}</URI>");
        writer.WriteLine("  </RegistrationInfo>");
        writer.WriteLine("  <Triggers>");
        writer.WriteLine(task.AtLogon ? "    <LogonTrigger><Enabled>true</Enabled></LogonTrigger>" : "    <CalendarTrigger><StartBoundary>2026-01-01T03:00:00</StartBoundary><ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger>");
        writer.WriteLine("  </Triggers>");
        writer.WriteLine("  <Principals>");
        writer.WriteLine($"    <Principal id=\"Author\"><UserId>{Xml(task.UserId)}</UserId><RunLevel>LeastPrivilege</RunLevel></Principal>");
        writer.WriteLine("  </Principals>");
        writer.WriteLine("  <Settings><Enabled>true</Enabled><Hidden>false</Hidden></Settings>");
        writer.WriteLine("  <Actions Context=\"Author\">");
        writer.WriteLine($"    <Exec><Command>{Xml(task.Command)}</Command><Arguments>{Xml(task.Arguments)}</Arguments></Exec>");
        writer.WriteLine("  </Actions>");
        writer.WriteLine("</Task>");
    }

    private static string Xml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
