using CsrssForensics.Browser.Tests.Support;

namespace CsrssForensics.Browser.Tests;

/// <summary>The pictures of every fixture's report.html as chromium lays them out: named, explained in text, one tree per finding.</summary>
public sealed class PictureBrowserTests(BrowserSession session) : IClassFixture<BrowserSession>
{
    [Theory]
    [MemberData(nameof(FixtureReports.Names), MemberType = typeof(FixtureReports))]
    public async Task Every_picture_has_a_name_a_description_and_a_text_alternative(string fixture)
    {
        await using var observed = await session.OpenAsync(FixtureReports.Html(fixture));

        // For each svg: its title and desc (found by aria-labelledby), and the element that says the same in text.
        var pictures = await observed.Page.Locator("svg").EvaluateAllAsync<string[][]>("""
            svgs => svgs.map(svg => {
              const [title, desc] = (svg.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id));
              const text = svg.classList.contains('timeline')
                ? svg.nextElementSibling
                : svg.closest('figure')?.querySelector('ul.tree-list');
              return [svg.getAttribute('class') || '', svg.getAttribute('role') || '', title?.textContent || '', desc?.textContent || '', text?.tagName || '', text?.textContent || ''];
            })
            """);

        Assert.NotEmpty(pictures);
        Assert.All(pictures, p =>
        {
            Assert.Equal("img", p[1]);
            Assert.False(string.IsNullOrWhiteSpace(p[2]), $"{p[0]} picture without a title");
            Assert.False(string.IsNullOrWhiteSpace(p[3]), $"{p[0]} picture without a description");
            Assert.Equal(p[0] == "timeline" ? "TABLE" : "UL", p[4]);
            Assert.False(string.IsNullOrWhiteSpace(p[5]), $"{p[0]} picture whose text alternative is empty");
        });
    }

    [Theory]
    [MemberData(nameof(FixtureReports.Names), MemberType = typeof(FixtureReports))]
    public async Task Every_judged_process_in_the_findings_links_to_its_own_tree_picture(string fixture)
    {
        await using var observed = await session.OpenAsync(FixtureReports.Html(fixture));

        var links = await observed.Page.Locator("#findings tbody a[href^='#pid-']").EvaluateAllAsync<string[][]>("""
            links => links.map(a => {
              const target = document.getElementById(a.getAttribute('href').slice(1));
              return [a.textContent, target?.tagName || '', target?.querySelector('svg title')?.textContent || ''];
            })
            """);

        Assert.All(links, link =>
        {
            Assert.Equal("FIGURE", link[1]);
            Assert.Contains($"pid {link[0]} ", link[2], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_seed_timeline_shows_the_task_registration_as_host_local_time()
    {
        await using var observed = await session.OpenAsync(FixtureReports.Html("appdata-csrss-task"));

        // The fixture's task XML: <Date>2026-11-18T21:40:03</Date>, no zone.
        var picture = await observed.Page.Locator("svg.timeline").TextContentAsync();
        var table = await observed.Page.Locator("table.timeline-table").InnerTextAsync();

        Assert.Contains(@"task registered: '\Microsoft\Windows\Maintenance\csrss'", picture, StringComparison.Ordinal);
        Assert.Contains("2026-11-18T21:40:03 (host-local)", table, StringComparison.Ordinal);
        Assert.Equal(1, await observed.Page.Locator("svg.timeline g.e-task.local").CountAsync());
        Assert.True(await observed.Page.Locator("svg.timeline").IsVisibleAsync());
        // The fake (pid 5240) has its own tree: cmd.exe above it, svchost above that.
        var fakeTree = await observed.Page.Locator("figure#pid-5240 ul.tree-list").InnerTextAsync();
        Assert.Contains("pid 5196 cmd.exe", fakeTree, StringComparison.Ordinal);
        Assert.Contains("pid 5240 csrss.exe", fakeTree, StringComparison.Ordinal);
    }
}
