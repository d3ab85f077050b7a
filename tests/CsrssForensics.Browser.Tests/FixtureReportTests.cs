using CsrssForensics.Browser.Tests.Support;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CsrssForensics.Browser.Tests;

/// <summary>Every fixture's report.html, opened in chromium at 1366×768 as a responder would first see it.</summary>
public sealed class FixtureReportTests(BrowserSession session) : IClassFixture<BrowserSession>
{
    private const int ViewportHeight = 768;

    [Theory]
    [MemberData(nameof(FixtureReports.Names), MemberType = typeof(FixtureReports))]
    public async Task Banner_and_first_action_are_on_the_first_screen(string fixture)
    {
        await using var observed = await session.OpenAsync(FixtureReports.Html(fixture));

        var banner = await observed.Page.Locator("#top").BoundingBoxAsync();
        var firstAction = await observed.Page.Locator("#actions ol.actions > li").First.BoundingBoxAsync();
        await observed.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(FixtureReports.OutputFolder, "screenshots", fixture + ".png") });

        Assert.NotNull(banner);
        Assert.NotNull(firstAction);
        Assert.True(banner.Y + banner.Height <= ViewportHeight, $"The banner ends at {banner.Y + banner.Height} px, below the first screen.");
        Assert.True(firstAction.Y + firstAction.Height <= ViewportHeight, $"The first action ends at {firstAction.Y + firstAction.Height} px, below the first screen.");
    }

    [Theory]
    [MemberData(nameof(FixtureReports.Names), MemberType = typeof(FixtureReports))]
    public async Task The_page_loads_nothing_and_logs_no_error(string fixture)
    {
        await using var observed = await session.OpenAsync(FixtureReports.Html(fixture));
        await observed.Page.Locator("#legitimate").ScrollIntoViewIfNeededAsync();

        Assert.Empty(observed.OtherRequests);
        Assert.Empty(observed.ConsoleErrors);
    }

    [Theory]
    [MemberData(nameof(FixtureReports.Names), MemberType = typeof(FixtureReports))]
    public async Task Every_anchor_resolves(string fixture)
    {
        await using var observed = await session.OpenAsync(FixtureReports.Html(fixture));

        var targets = await observed.Page.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        var ids = (await observed.Page.Locator("[id]").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.id)")).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(targets);
        Assert.All(targets, href =>
        {
            Assert.StartsWith("#", href, StringComparison.Ordinal);
            Assert.Contains(Uri.UnescapeDataString(href[1..]), ids);
        });
        Assert.Equal(ids.Count, await observed.Page.Locator("[id]").CountAsync());
    }

    [Theory]
    [MemberData(nameof(FixtureReports.Names), MemberType = typeof(FixtureReports))]
    public async Task Legitimate_rows_are_hidden_until_expanded(string fixture)
    {
        await using var observed = await session.OpenAsync(FixtureReports.Html(fixture));
        var rows = observed.Page.Locator("#legitimate details tbody tr");
        var count = await rows.CountAsync();
        if (count == 0)
        {
            // No legitimate verdict: the section says so and folds nothing.
            Assert.Equal(0, await observed.Page.Locator("#legitimate details").CountAsync());
            Assert.Contains("No verdict is legitimate.", await observed.Page.Locator("#legitimate").InnerTextAsync(), StringComparison.Ordinal);
            return;
        }

        Assert.False(await rows.First.IsVisibleAsync());
        await observed.Page.Locator("#legitimate details > summary").ClickAsync();
        Assert.True(await rows.First.IsVisibleAsync());
        Assert.True(await rows.Nth(count - 1).IsVisibleAsync());
    }

    [Theory]
    [MemberData(nameof(FixtureReports.Names), MemberType = typeof(FixtureReports))]
    public async Task Accessibility_scan_finds_no_serious_or_critical_violation(string fixture)
    {
        await using var observed = await session.OpenAsync(FixtureReports.Html(fixture));
        await observed.Page.Locator("#legitimate").ScrollIntoViewIfNeededAsync();

        var result = await observed.Page.RunAxe();

        var severe = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")
            .ToList();
        Assert.True(severe.Count == 0, string.Join("\n", severe));
    }
}
