using System.Diagnostics;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Cli.Tests;

/// <summary>verify walks folders, goes on after a file it cannot read, and says so in its exit code.</summary>
public sealed class VerifyCommandTests
{
    private static string PeFixture(string name) => TestEnvironment.PathOf("fixtures", "pe", name);

    [Fact]
    public void Folder_is_walked_in_ordinal_order_files_only_without_following_links_or_opening_fifos()
    {
        var folder = CliRunner.TempDirectory();
        Directory.CreateDirectory(Path.Combine(folder, "b"));
        File.Copy(PeFixture("sig-System.Buffers.dll"), Path.Combine(folder, "b", "Z.dll"));
        File.Copy(PeFixture("sig-System.AppContext.dll"), Path.Combine(folder, "a.dll"));
        File.Copy(PeFixture("pe-System.Web.dll"), Path.Combine(folder, "B.dll"));
        var outside = CliRunner.TempDirectory();
        File.Copy(PeFixture("pe-System.Threading.dll"), Path.Combine(outside, "elsewhere.dll"));
        File.CreateSymbolicLink(Path.Combine(folder, "link.dll"), Path.Combine(outside, "elsewhere.dll"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "linked-folder"), outside);
        MakeFifo(Path.Combine(folder, "pipe"));

        var (exit, stdout, stderr) = CliRunner.Run("verify", folder);

        Assert.True(exit == 0, stderr);
        var verified = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(' ')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToArray();
        Assert.Equal<string>([Path.Join(folder, "B.dll"), Path.Join(folder, "a.dll"), Path.Join(folder, "b", "Z.dll")], verified);
        Assert.Contains($"note: skipped {Path.Join(folder, "link.dll")}: symbolic link (not followed)", stderr, StringComparison.Ordinal);
        Assert.Contains($"note: skipped {Path.Join(folder, "linked-folder")}: symbolic link (not followed)", stderr, StringComparison.Ordinal);
        Assert.Contains($"note: skipped {Path.Join(folder, "pipe")}: not a regular file (FIFO, socket or device)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_and_unreadable_files_are_reported_and_the_rest_still_verified()
    {
        var folder = CliRunner.TempDirectory();
        var good = Path.Combine(folder, "good.dll");
        File.Copy(PeFixture("sig-System.AppContext.dll"), good);
        var missing = Path.Combine(folder, "missing.dll");
        var fifo = Path.Combine(folder, "pipe");
        MakeFifo(fifo);

        var (exit, stdout, stderr) = CliRunner.Run("verify", missing, good, fifo, "--json");

        Assert.Equal(65, exit);
        Assert.Contains($"error: {missing}: does not exist", stderr, StringComparison.Ordinal);
        Assert.Contains($"error: {fifo}: not a regular file (FIFO, socket or device)", stderr, StringComparison.Ordinal);
        Assert.Contains("error: 2 of 3 files could not be verified", stderr, StringComparison.Ordinal);
        Assert.Contains("good.dll", stdout, StringComparison.Ordinal);
        Assert.Contains("\"verdict\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Roots_file_without_a_certificate_exits_65_naming_it()
    {
        var work = CliRunner.TempDirectory();
        var roots = Path.Combine(work, "roots.pem");
        File.WriteAllText(roots, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        var verify = CliRunner.Run("verify", PeFixture("sig-System.AppContext.dll"), "--roots", roots);
        var analyze = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", "csrsss-runkey"), "--roots", roots, "--out", Path.Combine(work, "out"));

        Assert.Equal(65, verify.ExitCode);
        Assert.Contains($"--roots file '{roots}' holds no certificate", verify.Error, StringComparison.Ordinal);
        Assert.Equal(65, analyze.ExitCode);
        Assert.Contains($"--roots file '{roots}' holds no certificate", analyze.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Roots_folder_without_certificate_files_exits_65_naming_it()
    {
        var roots = CliRunner.TempDirectory();
        File.WriteAllText(Path.Combine(roots, "readme.txt"), "no certificates here");

        var (exit, _, stderr) = CliRunner.Run("verify", PeFixture("sig-System.AppContext.dll"), "--roots", roots);

        Assert.Equal(65, exit);
        Assert.Contains($"--roots '{roots}' holds no .pem, .crt or .cer file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Fifos_given_as_roots_rules_or_catalogs_are_never_opened()
    {
        var work = CliRunner.TempDirectory();
        var fifo = Path.Combine(work, "roots.pem");
        MakeFifo(fifo);
        var catalogs = Path.Combine(work, "catalogs");
        Directory.CreateDirectory(catalogs);
        MakeFifo(Path.Combine(catalogs, "nt5.cat"));

        var roots = CliRunner.Run("verify", PeFixture("sig-System.AppContext.dll"), "--roots", fifo);
        var rules = CliRunner.Run("analyze", TestEnvironment.PathOf("fixtures", "bundles", "csrsss-runkey"), "--rules", fifo, "--out", Path.Combine(work, "out"));
        var withCatalogs = CliRunner.Run("verify", PeFixture("sig-System.AppContext.dll"), "--catalogs", catalogs);

        Assert.Equal(65, roots.ExitCode);
        Assert.Contains("is not a regular file (FIFO, socket or device)", roots.Error, StringComparison.Ordinal);
        Assert.Equal(65, rules.ExitCode);
        Assert.Contains("--rules", rules.Error, StringComparison.Ordinal);
        Assert.True(withCatalogs.ExitCode == 0, withCatalogs.Error);
    }

    [Fact]
    public void Hostile_file_names_reach_the_terminal_escaped()
    {
        var folder = CliRunner.TempDirectory();
        var name = "a\u001b[2K\r\u001b]0;pwned\u0007\u001b[8mcsr\u200bss\u202Eexe.dll";
        File.Copy(PeFixture("sig-System.AppContext.dll"), Path.Combine(folder, name));

        var (exit, stdout, stderr) = CliRunner.Run("verify", folder);

        Assert.True(exit == 0, stderr);
        Assert.Contains("a<U+001B>[2K<U+000D><U+001B>]0;pwned<U+0007><U+001B>[8mcsr<U+200B>ss<U+202E>exe.dll", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout + stderr);
        Assert.DoesNotContain('\r', stdout + stderr);
    }

    [Fact]
    public void Output_is_the_same_on_one_thread_and_on_many()
    {
        var folder = CliRunner.TempDirectory();
        foreach (var name in new[] { "sig-System.AppContext.dll", "sig-System.Buffers.dll", "pe-System.Web.dll", "pe-System.Threading.dll" })
        {
            File.Copy(PeFixture(name), Path.Combine(folder, name));
        }

        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a PE");

        var one = CliRunner.Run("verify", folder, "--json", "--threads", "1", "--time", "2026-01-01T00:00:00Z");
        var many = CliRunner.Run("verify", folder, "--json", "--threads", "4", "--time", "2026-01-01T00:00:00Z");

        Assert.True(one.ExitCode == 0, one.Error);
        Assert.Equal(one.Output, many.Output);
        Assert.Contains("notes.txt", one.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_threads_is_a_usage_error()
    {
        var (exit, _, stderr) = CliRunner.Run("verify", CliRunner.TempDirectory(), "--threads", "0");

        Assert.Equal(64, exit);
        Assert.Contains("--threads", stderr, StringComparison.Ordinal);
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && File.Exists(path), "mkfifo (coreutils) is needed for this test");
    }
}
