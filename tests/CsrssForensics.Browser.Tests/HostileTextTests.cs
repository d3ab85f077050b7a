using CsrssForensics.Browser.Tests.Support;
using CsrssForensics.Reporting;
using CsrssForensics.Reporting.Tests.Support;

namespace CsrssForensics.Browser.Tests;

/// <summary>The hostile sample in chromium: the DOM the browser built holds its strings as text, and nothing else.</summary>
public sealed class HostileTextTests(BrowserSession session) : IClassFixture<BrowserSession>
{
    [Fact]
    public async Task Chromium_renders_hostile_text_as_text_and_creates_no_script_image_or_outside_link()
    {
        // Given
        var folder = Path.Combine(FixtureReports.OutputFolder, "hostile-sample");
        var html = ReportWriter.WriteAll(SampleReports.HostileStrings(), folder, ReportFormats.Html).Single();

        // When
        await using var observed = await session.OpenAsync(html);
        var dom = await observed.Page.ContentAsync();
        var outsideLinks = await observed.Page.Locator("a[href]:not([href^='#'])").CountAsync();

        // Then
        Assert.Contains("<title>csrss.exe forensic report: WS-0147_2026-03-01", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dom, StringComparison.Ordinal);
        Assert.Contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;", dom, StringComparison.Ordinal);
        Assert.Contains("[x](javascript:alert(1))", dom, StringComparison.Ordinal);
        Assert.Contains("csrss&lt;U+202E&gt;txt.exe", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", dom, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, outsideLinks);
        Assert.Empty(observed.OtherRequests);
        Assert.Empty(observed.ConsoleErrors);
        Assert.Contains("status-badge badge badge-compromised", dom, StringComparison.Ordinal);
    }
}
