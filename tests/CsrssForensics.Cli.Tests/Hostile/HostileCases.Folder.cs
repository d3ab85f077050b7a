using System.Diagnostics;
using System.Net.Sockets;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>Folder bundles: links, hard links, special files, names that are not UTF-8, depth, a sparse giant.</summary>
internal static partial class HostileCases
{
    private static IEnumerable<HostileCase> FolderCases()
    {
        yield return Folder("folder-symlink-outside", "links", (w, b) => File.CreateSymbolicLink(Path.Combine(b, "binaries", "passwd.bin"), Path.Combine(w.Outside, "secret.txt")), Compromised, Expect.Refused("points outside the bundle"), cli: true);
        yield return Folder("folder-symlink-absolute-system", "links", (_, b) => File.CreateSymbolicLink(Path.Combine(b, "binaries", "etc.bin"), "/etc/hostname"), Compromised, Expect.Refused("symbolic link"));
        yield return Folder("folder-symlink-to-parent-folder", "links", (_, b) => Directory.CreateSymbolicLink(Path.Combine(b, "up"), ".."), Compromised, Expect.Refused("symbolic link"));
        yield return Folder("folder-symlink-to-inside-folder", "links", (_, b) => Directory.CreateSymbolicLink(Path.Combine(b, "bins"), "binaries"), Compromised, Expect.Refused("symbolic link to a folder is not followed"));
        yield return Folder("folder-symlink-dangling", "links", (_, b) => File.CreateSymbolicLink(Path.Combine(b, "binaries", "gone.bin"), "/nonexistent/csrss-hostile"), Compromised, Expect.Refused("symbolic link to nothing"));
        yield return Folder(
            "folder-symlink-loop",
            "links",
            (_, b) =>
            {
                File.CreateSymbolicLink(Path.Combine(b, "loop-a"), "loop-b");
                File.CreateSymbolicLink(Path.Combine(b, "loop-b"), "loop-a");
            },
            Compromised,
            Expect.Refused("loop-a"));
        yield return Folder(
            "folder-symlink-replacing-a-part",
            "links",
            (w, b) =>
            {
                File.Delete(Path.Combine(b, "host.json"));
                File.CreateSymbolicLink(Path.Combine(b, "host.json"), Path.Combine(w.Outside, "secret.txt"));
            },
            Compromised,
            Expect.All(Expect.Refused("points outside the bundle"), Expect.Refused("'host.json'")));
        yield return Folder("folder-hard-link-to-outside-file", "links", (w, b) => HardLink(Path.Combine(w.Outside, "secret.txt"), Path.Combine(b, "binaries", "hard.bin")), Compromised, Expect.Integrity(IntegrityProblem.Extra, "binaries/hard.bin"));
        yield return Folder("folder-fifo-binary", "special files", (_, b) => Run("mkfifo", Path.Combine(b, "binaries", "pipe.bin")), Compromised, Expect.Refused("not a regular file (FIFO, socket or device)"), cli: true);
        yield return Folder(
            "folder-fifo-as-host-part",
            "special files",
            (_, b) =>
            {
                File.Delete(Path.Combine(b, "host.json"));
                Run("mkfifo", Path.Combine(b, "host.json"));
            },
            Compromised,
            Expect.All(Expect.Refused("not a regular file"), Expect.Refused("'host.json'")));
        yield return Folder("folder-symlink-to-fifo", "special files", (_, b) =>
        {
            Run("mkfifo", Path.Combine(b, "pipe"));
            File.CreateSymbolicLink(Path.Combine(b, "binaries", "to-pipe.bin"), Path.Combine(b, "pipe"));
        }, Compromised, Expect.Refused("symbolic link to a FIFO, socket or device"));
        yield return Folder("folder-unix-socket", "special files", (w, b) => w.KeepUntilDisposed(BindSocket(Path.Combine(b, "binaries", "sock.bin"))), Compromised, Expect.Refused("not a regular file"));
        yield return Folder("folder-invalid-utf8-file-name", "names not UTF-8", (_, b) => RawName(Path.Combine(b, "binaries"), "x\\377\\376.bin"), Compromised, Expect.All(Expect.Refused("not valid UTF-8"), Expect.Anomaly(BundleAnomalyCodes.UndecodableEntryName)), cli: true);
        yield return Folder("folder-invalid-utf8-folder-name", "names not UTF-8", (_, b) => RawName(b, "tasks\\300\\257/evil.xml"), Compromised, Expect.All(Expect.Refused("not valid UTF-8"), Expect.Anomaly(BundleAnomalyCodes.UndecodableEntryName)));
        yield return Folder("folder-invalid-utf8-overlong-slash", "names not UTF-8", (_, b) => RawName(b, "a\\300\\257b.bin"), Compromised, Expect.Anomaly(BundleAnomalyCodes.UndecodableEntryName));
        yield return Folder("folder-control-char-name", "injection in names", (_, b) => File.WriteAllText(Path.Combine(b, "binaries", "\u001b]0;pwned\u0007.bin"), "x"), Compromised, Expect.Refused("control character"));
        yield return Folder("folder-backslash-name", "zip-slip", (_, b) => File.WriteAllText(Path.Combine(b, "..\\evil.txt"), "x"), Compromised, Expect.Refused("backslash"));
        yield return Folder("folder-colon-name", "zip-slip", (_, b) => File.WriteAllText(Path.Combine(b, "C:evil.txt"), "x"), Compromised, Expect.Refused("contains ':'"));
        yield return Folder(
            "folder-nested-too-deep",
            "depth",
            (_, b) => Directory.CreateDirectory(Path.Combine([b, .. Enumerable.Repeat("d", 70)])),
            Compromised,
            Expect.Refused("folders nested deeper than 64"));
        yield return Folder(
            "folder-sparse-file-over-cap",
            "size",
            (_, b) =>
            {
                using var stream = File.Create(Path.Combine(b, "binaries", "sparse.bin"));
                stream.SetLength(new BundleReaderOptions().MaxEntryBytes + 1);
            },
            Compromised,
            Expect.Refused("-byte cap"));
        yield return Folder("folder-empty", "not a bundle", (_, b) =>
        {
            foreach (var file in Directory.GetFiles(b, "*", SearchOption.AllDirectories))
            {
                File.Delete(file);
            }
        }, ExitCodes.UnreadableInput, Expect.Failure("is not a bundle"), seal: false);
    }

    /// <summary>A case on a copy of the base folder changed by <paramref name="change"/>; resealed unless told not to.</summary>
    private static HostileCase Folder(string name, string kind, Action<HostileWorkspace, string> change, int exit, Action<HostileOutcome> expect, bool cli = false, bool seal = false) =>
        new(name, kind, w =>
        {
            var bundle = w.BaseFolder();
            if (seal)
            {
                HostileWorkspace.Seal(bundle);
            }

            change(w, bundle);
            return bundle;
        }, exit, expect) { ThroughCli = cli };

    private static void HardLink(string existing, string link) => Run("ln", existing, link);

    // The runtime unlinks a socket's file when the socket is disposed, so it stays open for the whole case.
    private static Socket BindSocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    // .NET encodes every name as UTF-8, so the shell's printf makes the raw bytes; a refusal by the file system fails loudly.
    private static void RawName(string folder, string printfName)
    {
        Run("/bin/sh", "-c", "p=\"$(printf \"$1\")\"; mkdir -p \"$(dirname \"$p\")\" && printf 'bytes' > \"$p\"", "sh", printfName, workingDirectory: folder);
        Assert.True(
            Directory.EnumerateFileSystemEntries(folder).Any(p => p.Contains('\uFFFD', StringComparison.Ordinal)),
            $"the file system under {folder} did not keep a name that is not UTF-8 ({printfName})");
    }

    private static void Run(string program, params string[] arguments) => Run(program, arguments, null);

    private static void Run(string program, string a, string b, string c, string d, string workingDirectory) => Run(program, [a, b, c, d], workingDirectory);

    private static void Run(string program, string[] arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? string.Empty };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }
}
