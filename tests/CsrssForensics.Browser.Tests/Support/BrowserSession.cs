using CsrssForensics.Tests.Shared;
using Microsoft.Playwright;

namespace CsrssForensics.Browser.Tests.Support;

/// <summary>
/// One headless Debian chromium for a test class, driven by Playwright through <c>ExecutablePath</c> (no browser is
/// downloaded). A missing chromium fails the tests with what to install; it never skips them.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The browser; only valid after <see cref="InitializeAsync"/>.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(FailureMessage ?? "The browser was not started.");

    /// <summary>Why the browser could not start, or null.</summary>
    public string? FailureMessage { get; private set; }

    public async Task InitializeAsync()
    {
        var chromium = TestEnvironment.FindTool("chromium") ?? (File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null);
        if (chromium is null)
        {
            FailureMessage = "Chromium is missing (not on PATH, not /usr/bin/chromium): run `apt-get install -y chromium` (test.sh does this as root).";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh page of the given size that records console errors and every request it makes.</summary>
    public async Task<ObservedPage> OpenAsync(string htmlPath, int width = 1366, int height = 768)
    {
        Assert.True(FailureMessage is null, FailureMessage);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var observed = new ObservedPage(context, page, new Uri(htmlPath).AbsoluteUri);
        await observed.StartAsync();
        return observed;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A page with everything it tried to load and every console error it printed.</summary>
public sealed class ObservedPage(IBrowserContext context, IPage page, string url) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>Every request other than the report itself (all are aborted).</summary>
    public List<string> OtherRequests { get; } = [];

    public List<string> ConsoleErrors { get; } = [];

    public async Task StartAsync()
    {
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        Page.PageError += (_, error) => ConsoleErrors.Add(error);

        // Every request is routed: the report itself is served, anything else is recorded and refused.
        await context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url == url)
            {
                await route.ContinueAsync();
                return;
            }

            OtherRequests.Add(route.Request.Url);
            await route.AbortAsync();
        });
        await Page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
