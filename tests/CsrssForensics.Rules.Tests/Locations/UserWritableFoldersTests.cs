using CsrssForensics.Rules.Locations;
using CsrssForensics.Tests.Shared;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Rules.Tests.Locations;

public sealed class UserWritableFoldersTests
{
    [Theory]
    [InlineData(@"C:\Users\jdoe\AppData\Roaming\csrss.exe", WritableLocation.AppData)]
    [InlineData(@"C:\Users\jdoe\AppData\Local\Microsoft\csrss.exe", WritableLocation.AppData)]
    [InlineData(@"C:\Users\jdoe\AppData\LocalLow\csrss.exe", WritableLocation.AppData)]
    [InlineData(@"C:\Users\jdoe\AppData\Local\Temp\x\csrss.exe", WritableLocation.Temp)]
    [InlineData(@"%TEMP%\csrss.exe", WritableLocation.Temp)]
    [InlineData(@"%tmp%\csrss.exe", WritableLocation.Temp)]
    [InlineData(@"%APPDATA%\csrss.exe", WritableLocation.AppData)]
    [InlineData(@"%LOCALAPPDATA%\Temp\csrss.exe", WritableLocation.Temp)]
    [InlineData(@"%USERPROFILE%\Downloads\csrss.exe", WritableLocation.Downloads)]
    [InlineData(@"C:\Users\jdoe\Downloads\csrss.exe", WritableLocation.Downloads)]
    [InlineData(@"C:\Users\jdoe\Desktop\csrss.exe", WritableLocation.Desktop)]
    [InlineData(@"C:\Users\jdoe\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup\csrss.exe", WritableLocation.Startup)]
    [InlineData(@"C:\ProgramData\Microsoft\Windows\Start Menu\Programs\StartUp\csrss.exe", WritableLocation.Startup)]
    [InlineData(@"C:\ProgramData\csrss.exe", WritableLocation.ProgramData)]
    [InlineData(@"%ProgramData%\csrss.exe", WritableLocation.ProgramData)]
    [InlineData(@"C:\Users\Public\csrss.exe", WritableLocation.UsersPublic)]
    [InlineData(@"C:\Windows\Temp\csrss.exe", WritableLocation.WindowsTemp)]
    [InlineData(@"C:\$Recycle.Bin\S-1-5-21\csrss.exe", WritableLocation.RecycleBin)]
    [InlineData(@"D:\PerfLogs\csrss.exe", WritableLocation.PerfLogs)]
    [InlineData(@"\Device\HarddiskVolume3\Users\a\AppData\Roaming\csrss.exe", WritableLocation.AppData)]
    [InlineData(@"C:\Windows\System32\csrss.exe", WritableLocation.None)]
    [InlineData(@"C:\Program Files\x\csrss.exe", WritableLocation.None)]
    [InlineData(@"C:\Users\jdoe\Documents\csrss.exe", WritableLocation.None)]
    [InlineData(@"csrss.exe", WritableLocation.None)]
    [InlineData(null, WritableLocation.None)]
    public void Classify_names_the_location(string? path, WritableLocation expected)
    {
        Assert.Equal(expected, UserWritableFolders.Classify(path));
        Assert.Equal(expected != WritableLocation.None, UserWritableFolders.Contains(path));
    }

    [Theory]
    [InlineData(@"C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MsMpEng.exe", WritableLocation.None)]
    [InlineData(@"%ProgramData%\Microsoft\Windows Defender\Platform\4.18.24090.11-0\MpCmdRun.exe", WritableLocation.None)]
    [InlineData(@"c:\programdata\microsoft\windows defender\platform\4.18.24090.11-0\nissrv.exe", WritableLocation.None)]
    [InlineData(@"C:\ProgramData\Microsoft\Windows Defender Advanced Threat Protection\Platform\10.8760\MsSense.exe", WritableLocation.None)]
    [InlineData(@"\\?\C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.1-0\MsMpEng.exe", WritableLocation.None)]
    [InlineData(@"C:\ProgramData\Microsoft\Windows Defender \Platform\4.18.1-0\MsMpEng.exe", WritableLocation.ProgramData)]
    [InlineData(@"C:\ProgramData\Microsoft\Windows Defender.\Platform\MsMpEng.exe", WritableLocation.ProgramData)]
    [InlineData("C:\\ProgramData\\Microsoft\\Windows Def\u0435nder\\Platform\\MsMpEng.exe", WritableLocation.ProgramData)]
    [InlineData(@"C:\ProgramData\Microsoft\Windows Defender\..\Windows\csrss.exe", WritableLocation.ProgramData)]
    [InlineData(@"C:\ProgramData\Microsoft\Windows Defender", WritableLocation.ProgramData)]
    [InlineData(@"D:\ProgramData\Microsoft\Windows Defender\Platform\MsMpEng.exe", WritableLocation.ProgramData)]
    [InlineData(@"C:\ProgramData\Microsoft\Windows\WER\Temp\a.exe", WritableLocation.ProgramData)]
    [InlineData(@"C:\ProgramData\Microsoft\Windows Defender Firewall\a.exe", WritableLocation.ProgramData)]
    [InlineData(@"C:\ProgramData\IntelGraphics\svch0st.exe", WritableLocation.ProgramData)]
    [InlineData(@"C:\ProgramData\Microsoft\a.exe", WritableLocation.ProgramData)]
    public void ProgramData_is_user_writable_except_in_folders_a_Windows_component_restricts(string path, WritableLocation expected)
    {
        Assert.Equal(expected, UserWritableFolders.Classify(path));
    }

    [Theory]
    [InlineData(@"C:\Windows\Tasks\csrss.exe", WritableLocation.WindowsWritable)]
    [InlineData(@"C:\Windows\Tracing\a.exe", WritableLocation.WindowsWritable)]
    [InlineData(@"C:\Windows\System32\spool\drivers\color\svchost.exe", WritableLocation.WindowsWritable)]
    [InlineData(@"%SystemRoot%\System32\Tasks\a.exe", WritableLocation.WindowsWritable)]
    [InlineData(@"C:\Windows\SysWOW64\Tasks\a.exe", WritableLocation.WindowsWritable)]
    [InlineData(@"C:\Windows\System32\Microsoft\Crypto\RSA\MachineKeys\a.exe", WritableLocation.WindowsWritable)]
    [InlineData(@"C:\Windows\System32\spool\PRINTERS\a.exe", WritableLocation.WindowsWritable)]
    [InlineData(@"C:\Windows\Debug\WIA\a.exe", WritableLocation.WindowsWritable)]
    [InlineData(@"C:\Windows\System32\spool\drivers\x64\3\a.dll", WritableLocation.None)]
    [InlineData(@"C:\Windows\System32\TasksX\a.exe", WritableLocation.None)]
    [InlineData(@"C:\Windows\Tasks", WritableLocation.None)]
    public void Known_writable_folders_under_Windows_are_user_writable(string path, WritableLocation expected)
    {
        Assert.Equal(expected, UserWritableFolders.Classify(path));
    }

    [Fact]
    public void Random_input_never_throws()
    {
        var random = new Random(20261128);
        const string alphabet = "\\/.: \"%?aAcC$~\t\0\u00e9\u2028()xTEMP";
        for (var n = 0; n < 5000; n++)
        {
            var raw = RandomText.Next(random, alphabet, 40);
            if (WindowsPath.Normalize(raw) is { } normalized)
            {
                // Classifying works on the normalized path, so the raw and normalized spellings agree.
                Assert.Equal(UserWritableFolders.Classify(normalized), UserWritableFolders.Classify(raw));
            }
        }
    }
}
