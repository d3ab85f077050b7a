using System.Globalization;
using System.Text;
using CsrssForensics.Browser.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CsrssForensics.Browser.Tests;

/// <summary>
/// The figures docs/report.md records per fixture: page height at 1366 px, printed pages, Markdown lines. Written to
/// browser-output/figures.tsv; the assertions hold the limits for the seed example.
/// </summary>
public sealed class FigureTests(BrowserSession session, ITestOutputHelper output) : IClassFixture<BrowserSession>
{
    [Fact]
    public async Task Seed_example_is_short_and_answers_first()
    {
        var markdown = await File.ReadAllLinesAsync(Path.Combine(FixtureReports.Folder("appdata-csrss-task"), "report.md"));

        Assert.True(markdown.Length <= 250, $"report.md has {markdown.Length} lines.");
        Assert.Contains("## What to do now", markdown.Take(40));
    }

    [Fact]
    public async Task Figures_are_measured_for_every_fixture()
    {
        var table = new StringBuilder("fixture\theight_px\tprinted_pages\tmd_lines\n");
        var folders = FixtureReports.List().Select(name => (Name: name, Html: FixtureReports.Html(name))).ToList();

        // A folder of earlier reports (one sub-folder per fixture) can be measured the same way for a comparison.
        var before = Environment.GetEnvironmentVariable("REPORT_FIGURES_BEFORE");
        if (!string.IsNullOrEmpty(before))
        {
            folders.AddRange(Directory.EnumerateDirectories(before).Order(StringComparer.Ordinal)
                .Select(d => ("before:" + Path.GetFileName(d), Path.Combine(d, "report.html"))));
        }

        foreach (var (name, html) in folders)
        {
            await using var observed = await session.OpenAsync(html);
            var height = await observed.Page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
            var pdf = await observed.Page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
            var pages = CountPages(pdf);
            var lines = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(html)!, "report.md")).Length;
            table.Append(CultureInfo.InvariantCulture, $"{name}\t{height}\t{pages}\t{lines}\n");

            Assert.True(height > 0 && pages > 0 && lines > 0, $"{name}: nothing measured.");
        }

        await File.WriteAllTextAsync(Path.Combine(FixtureReports.OutputFolder, "figures.tsv"), table.ToString());
        output.WriteLine(table.ToString());
    }

    // Chromium writes one "/Type /Page" object per page (the tree's root is "/Type /Pages").
    private static int CountPages(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var count = 0;
        for (var at = text.IndexOf("/Type /Page", StringComparison.Ordinal); at >= 0; at = text.IndexOf("/Type /Page", at + 1, StringComparison.Ordinal))
        {
            if (at + 11 >= text.Length || text[at + 11] != 's')
            {
                count++;
            }
        }

        return count;
    }
}
