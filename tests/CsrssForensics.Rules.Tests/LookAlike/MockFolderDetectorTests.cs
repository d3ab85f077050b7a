using CsrssForensics.Rules.LookAlike;

namespace CsrssForensics.Rules.Tests.LookAlike;

public sealed class MockFolderDetectorTests
{
    private readonly MockFolderDetector _detector = new(Confusables.Embedded);

    [Theory]
    [InlineData(@"C:\Windows \System32\csrss.exe")]
    [InlineData(@"C:\Windows\System32 \csrss.exe")]
    [InlineData(@"C:\Windows.\System32\csrss.exe")]
    [InlineData(@"C:\Windows\System 32\csrss.exe")]
    [InlineData(@"C:\Windowss\System32\csrss.exe")]
    [InlineData(@"C:\Window\System32\csrss.exe")]
    [InlineData(@"C:\Windows\Sytem32\csrss.exe")]
    [InlineData(@"C:\Windows\SysWOW6\csrss.exe")]
    [InlineData(@"C:\Program  Files\x.exe")]
    [InlineData(@"C:\Program Filess\x.exe")]
    [InlineData("C:\\W\u0456ndows\\System32\\csrss.exe")]
    [InlineData("C:\\Windows\\\u0405ystem32\\csrss.exe")]
    public void Mock_system_folders_are_detected(string path)
    {
        Assert.True(_detector.IsMock(path));
    }

    [Theory]
    [InlineData(@"C:\Windows\System32\csrss.exe")]
    [InlineData(@"C:\Windows\SysWOW64\svchost.exe")]
    [InlineData(@"C:\Windows\System\x.exe")]
    [InlineData(@"C:\Windows\explorer.exe")]
    [InlineData(@"C:\Program Files\App\a.exe")]
    [InlineData(@"C:\Program Files (x86)\App\a.exe")]
    [InlineData(@"C:\Users\a\AppData\Local\Windows\csrs.exe")]
    [InlineData(@"C:\Windows\System32\wbem\WmiPrvSE.exe")]
    [InlineData(@"C:\Windows\SystemApps\x.exe")]
    [InlineData(@"C:\Windows\WinSxS\x\csrss.exe")]
    [InlineData("csrss.exe")]
    [InlineData("")]
    public void Real_folders_are_not_mocks(string path)
    {
        Assert.False(_detector.IsMock(path));
    }
}
