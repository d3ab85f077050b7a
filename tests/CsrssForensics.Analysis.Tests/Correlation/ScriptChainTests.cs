using System.Text;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using static CsrssForensics.Analysis.Tests.Correlation.SnapshotFactory;
using CorrelationModel = CsrssForensics.Analysis.Correlation.Correlation;

namespace CsrssForensics.Analysis.Tests.Correlation;

public sealed class ScriptChainTests
{
    private const string Folder = @"C:\Users\alice\AppData\Roaming\Microsoft\Network";
    private const string Script = Folder + @"\run.bat";
    private const string Fake = Folder + @"\csrss.exe";
    private const string RunKey = @"HKCU\Software\Microsoft\Windows\CurrentVersion\Run";

    /// <summary>Copied texts by bundle entry, counting reads, so a test can see a script is read once.</summary>
    private sealed class InMemoryText(Dictionary<string, string> byEntry) : ICopiedFileText
    {
        public int Reads { get; private set; }

        public string? TryRead(FileRecord file)
        {
            Reads++;
            return file.BinaryBundlePath is { } entry && byEntry.TryGetValue(entry, out var text) ? text : null;
        }
    }

    private static FileRecord Copied(string path, int row, string entry) => File(path, row) with { BinaryBundlePath = entry };

    private static BundleSnapshot RunValueToScript(string scriptText, out InMemoryText text, string command = "cmd.exe /c \"" + Script + "\"")
    {
        text = new InMemoryText(new() { ["binaries/script.bin"] = scriptText });
        return Snapshot(
            files: [File(Fake, 1), Copied(Script, 2, "binaries/script.bin")],
            autoruns: [Autorun(AutorunKind.RunKey, RunKey, "NetHelper", command)]);
    }

    [Fact]
    public void Run_value_running_a_copied_batch_file_is_linked_to_the_fake_the_batch_starts()
    {
        // Given a Run value -> run.bat (copied) -> "start "" "%~dp0csrss.exe""
        var snapshot = RunValueToScript("@echo off\r\nrem start C:\\decoy\\not-this.exe\r\nstart \"\" \"%~dp0csrss.exe\" -o x\r\n", out var text);

        // When
        var correlation = CorrelationModel.Build(snapshot, text);

        // Then the launcher targets the script, starts the fake through it, and says so
        var link = Assert.Single(correlation.LaunchersOf(Fake));
        Assert.Equal("NetHelper", link.Name);
        Assert.Equal(Script, link.ResolvedTarget);
        var chain = Assert.Single(correlation.ScriptChainsTo(Fake));
        Assert.Equal(Script, chain.Script);
        Assert.Equal($"Run value 'NetHelper' runs {Script}, which starts {Fake} (line 3 of the copied script)", chain.Describe());
        Assert.Contains(new EvidenceRef("files.csv", Row: 2, Detail: "line 3 of the copied script"), chain.Evidence);
        var finding = Assert.Single(correlation.Launchers.Single().Findings, f => f.Code == LauncherCodes.ScriptChain);
        Assert.Equal(AnomalySeverity.High, finding.Severity);
        Assert.Empty(correlation.ScriptChainsTo(@"C:\decoy\not-this.exe"));
    }

    [Theory]
    [InlineData("ps1", "Start-Process -WindowStyle Hidden (Join-Path $PSScriptRoot 'csrss.exe')")]
    [InlineData("ps1", "& \"$env:APPDATA\\Microsoft\\Network\\csrss.exe\" --background")]
    [InlineData("vbs", "CreateObject(\"WScript.Shell\").Run \"\"\"C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\Network\\csrss.exe\"\"\", 0")]
    [InlineData("js", "new ActiveXObject('WScript.Shell').Run('C:\\\\Users\\\\alice\\\\AppData\\\\Roaming\\\\Microsoft\\\\Network\\\\csrss.exe', 0);")]
    [InlineData("cmd", "call csrss.exe")]
    [InlineData("bat", "C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\Network\\csrss.exe -o pool")]
    [InlineData("bat", "cmd /c \"start /b %APPDATA%\\Microsoft\\Network\\csrss.exe\"")]
    public void Each_script_language_names_the_program_it_starts(string extension, string line)
    {
        var script = Folder + @"\run." + extension;
        var starts = ScriptStarts.Find("first line\n" + line + "\n", script, @"C:\Windows", path => path == Fake);

        var start = Assert.Single(starts);
        Assert.Equal(Fake, start.Path);
        Assert.Equal(2, start.Line);
    }

    [Fact]
    public void Bare_names_count_only_when_the_bundle_knows_them_in_the_script_folder_and_comments_never()
    {
        var text = "timeout.exe /t 5\r\n:: csrss.exe in a comment\r\nrundll32.exe helper.dll,Start\r\nregsvr32 /s helper.dll\r\n";

        var starts = ScriptStarts.Find(text, Script, @"C:\Windows", path => path == Folder + @"\helper.dll");

        Assert.Equal([(Folder + @"\helper.dll", 3)], starts.Select(s => (s.Path, s.Line)));
    }

    [Fact]
    public void A_script_naming_itself_or_thousands_of_programs_stays_bounded()
    {
        var text = new StringBuilder("call \"" + Script + "\"\n");
        for (var i = 0; i < 1000; i++)
        {
            text.Append("start C:\\x\\p").Append(i).Append(".exe\n");
        }

        var starts = ScriptStarts.Find(text.ToString(), Script, @"C:\Windows", _ => true);

        Assert.Equal(ScriptStarts.MaxStarts, starts.Count);
        Assert.DoesNotContain(starts, s => s.Path == Script);
        Assert.Equal(@"C:\x\p0.exe", starts[0].Path);
    }

    [Fact]
    public void A_script_repeating_one_program_stops_resolving_after_the_candidate_cap()
    {
        // Given the same decoy path more often than the cap, then the real payload
        var text = new StringBuilder();
        for (var i = 0; i <= ScriptStarts.MaxCandidates; i++)
        {
            text.Append("start C:\\x\\decoy.exe\n");
        }

        text.Append("start C:\\x\\payload.exe\n");

        // When
        var starts = ScriptStarts.Find(text.ToString(), Script, @"C:\Windows", _ => true);

        // Then only the decoy was taken: the scan stopped at the cap instead of resolving every line
        Assert.Equal(@"C:\x\decoy.exe", Assert.Single(starts).Path);
    }

    [Fact]
    public void Script_not_copied_is_linked_through_its_living_interpreter_parent()
    {
        // Given the script was not copied, but cmd.exe /c run.bat is the living parent of the fake
        var cmd = new ProcessRecord(7000, 3120, "cmd.exe", @"C:\Windows\System32\cmd.exe", $"C:\\Windows\\system32\\cmd.exe /c \"\"{Script}\"\"",
            Boot.AddMinutes(2), 1, null, null, null, null, new EvidenceRef("processes.csv", Row: 20));
        var fake = Process(7010, 7000, "csrss.exe", Fake, 3, row: 21);
        var snapshot = Snapshot(
            processes: [Process(3120, 700, "explorer.exe", @"C:\Windows\explorer.exe", 1), cmd, fake],
            files: [File(Fake, 1), File(Script, 2)],
            autoruns: [Autorun(AutorunKind.StartupFolder, @"C:\Users\alice\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup", "Network.lnk", $"\"{Script}\"")]);

        // When no text reader is given at all
        var correlation = CorrelationModel.Build(snapshot);

        // Then the Startup item is linked to the fake file and process, with the process-tree evidence
        Assert.Equal("Network.lnk", Assert.Single(correlation.LaunchersOf(Fake)).Name);
        var chain = Assert.Single(correlation.ScriptChainsTo(Fake));
        Assert.StartsWith("Startup item 'Network.lnk' runs " + Script + ", which starts " + Fake + " (process tree: cmd.exe (pid 7000)", chain.Describe(), StringComparison.Ordinal);
        Assert.Contains(new EvidenceRef("processes.csv", Row: 20), chain.Evidence);
        Assert.Contains(new EvidenceRef("processes.csv", Row: 21), chain.Evidence);
    }

    [Fact]
    public void The_console_host_a_batch_files_cmd_starts_is_not_linked_but_the_fake_is()
    {
        // Given cmd.exe /c run.bat with two children: Windows' own conhost.exe and the fake
        var cmd = new ProcessRecord(7000, 3120, "cmd.exe", @"C:\Windows\System32\cmd.exe", $"cmd.exe /c \"{Script}\"",
            Boot.AddMinutes(2), 1, null, null, null, null, new EvidenceRef("processes.csv", Row: 20));
        var snapshot = Snapshot(
            processes: [cmd, Process(7005, 7000, "conhost.exe", @"C:\Windows\System32\conhost.exe", 3), Process(7010, 7000, "csrss.exe", Fake, 3)],
            files: [File(Fake, 1), File(Script, 2), File(@"C:\Windows\System32\conhost.exe", 3)],
            autoruns: [Autorun(AutorunKind.RunKey, RunKey, "NetHelper", $"\"{Script}\"")]);

        // When
        var correlation = CorrelationModel.Build(snapshot);

        // Then
        Assert.Empty(correlation.LaunchersOf(@"C:\Windows\System32\conhost.exe"));
        Assert.Equal(Fake, Assert.Single(correlation.ScriptChains).Started);
    }

    [Fact]
    public void A_parent_that_is_not_an_interpreter_or_runs_no_script_links_nothing()
    {
        var notInterpreter = new ProcessRecord(7000, 3120, "updater.exe", Folder + @"\updater.exe", $"updater.exe \"{Script}\"",
            Boot.AddMinutes(2), 1, null, null, null, null, new EvidenceRef("processes.csv", Row: 20));
        var snapshot = Snapshot(
            processes: [notInterpreter, Process(7010, 7000, "csrss.exe", Fake, 3)],
            files: [File(Fake, 1), File(Script, 2)],
            autoruns: [Autorun(AutorunKind.RunKey, RunKey, "NetHelper", $"\"{Script}\"")]);

        var correlation = CorrelationModel.Build(snapshot);

        Assert.Empty(correlation.ScriptChains);
        Assert.Empty(correlation.LaunchersOf(Fake));
    }

    [Fact]
    public void Two_launchers_of_one_script_read_it_once_and_both_reach_the_fake()
    {
        var text = new InMemoryText(new() { ["binaries/script.bin"] = "start \"\" \"%~dp0csrss.exe\"" });
        var snapshot = Snapshot(
            files: [File(Fake, 1), Copied(Script, 2, "binaries/script.bin")],
            autoruns:
            [
                Autorun(AutorunKind.RunKey, RunKey, "A", $"\"{Script}\""),
                Autorun(AutorunKind.RunKey, RunKey, "B", $"cmd /c \"{Script}\"", index: 1),
            ]);

        var correlation = CorrelationModel.Build(snapshot, text);

        Assert.Equal(["A", "B"], correlation.LaunchersOf(Fake).Select(l => l.Name));
        Assert.Equal(1, text.Reads);
    }

    [Fact]
    public void A_script_that_starts_another_script_is_followed_one_level_only()
    {
        // run.bat starts second.bat, which would start the fake: only one level is followed
        var text = new InMemoryText(new()
        {
            ["binaries/run.bin"] = "call \"%~dp0second.bat\"\r\nstart \"\" \"%~dp0run.bat\"",
            ["binaries/second.bin"] = "start \"\" \"%~dp0csrss.exe\"",
        });
        var snapshot = Snapshot(
            files: [File(Fake, 1), Copied(Script, 2, "binaries/run.bin"), Copied(Folder + @"\second.bat", 3, "binaries/second.bin")],
            autoruns: [Autorun(AutorunKind.RunKey, RunKey, "NetHelper", $"\"{Script}\"")]);

        var correlation = CorrelationModel.Build(snapshot, text);

        Assert.Empty(correlation.ScriptChains);
        Assert.Empty(correlation.LaunchersOf(Fake));
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'a', (byte)'b' }, "ab")]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'a', 0, (byte)'b', 0 }, "ab")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0, (byte)'a', 0, (byte)'b' }, "ab")]
    [InlineData(new byte[] { (byte)'a', 0, (byte)'b', 0, (byte)'c', 0 }, "abc")]
    [InlineData(new byte[] { (byte)'a', (byte)'b', 0xFF }, "ab\uFFFD")]
    public void Text_is_decoded_by_its_byte_order_mark_or_its_zero_bytes(byte[] bytes, string expected)
    {
        Assert.Equal(expected, TextDecoding.Decode(bytes));
    }
}
