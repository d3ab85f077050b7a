using CsrssForensics.Fleet.Batch;

namespace CsrssForensics.Fleet.Tests;

public sealed class HostFolderNamesTests
{
    [Theory]
    [InlineData("WS-0142", "WS-0142")]
    [InlineData(@"..\..\Windows\System32", "Windows_System32")]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("CON", "_CON")]
    [InlineData("nul.corp.example", "_nul.corp.example")]
    [InlineData("", "unknown-host")]
    [InlineData("....", "unknown-host")]
    [InlineData("evil\u202Egnp.exe", "evil_gnp.exe")]
    [InlineData("<script>alert(1)</script>", "script_alert_1___script")]
    public void A_host_name_becomes_one_plain_folder_name(string hostName, string expected)
    {
        var name = HostFolderNames.Sanitise(hostName);

        Assert.Equal(expected, name);
        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain('\\', name);
        Assert.False(name.StartsWith('.'), name);
    }

    [Fact]
    public void A_long_host_name_is_cut()
    {
        Assert.Equal(HostFolderNames.MaxHostLength, HostFolderNames.Sanitise(new string('a', 10_000)).Length);
    }

    [Fact]
    public void The_base_name_joins_host_and_UTC_collection_time()
    {
        var name = HostFolderNames.BaseName("WS-1", new DateTimeOffset(2026, 11, 20, 9, 15, 0, TimeSpan.FromHours(1)));

        Assert.Equal("WS-1_20261120T081500Z", name);
        Assert.Equal("WS-1_no-time", HostFolderNames.BaseName("WS-1", null));
    }

    [Fact]
    public void Collisions_get_a_suffix_ignoring_case_and_existing_folders_are_never_reused()
    {
        var parent = Path.Combine(Path.GetTempPath(), "fleet-names-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(parent, "ws-1_t-2"));
        try
        {
            var names = new HostFolderNames(parent);

            Assert.Equal("WS-1_t", names.Claim("WS-1_t"));
            Assert.Equal("ws-1_t-3", names.Claim("ws-1_t"));
            Assert.Equal("WS-1_t-4", names.Claim("WS-1_t"));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
