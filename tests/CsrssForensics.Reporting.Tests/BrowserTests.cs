using System.Diagnostics;
using CsrssForensics.Reporting.Tests.Support;
using CsrssForensics.Tests.Shared;

namespace CsrssForensics.Reporting.Tests;

/// <summary>Renders report.html in headless Chromium and checks the DOM the browser actually built.</summary>
public sealed class BrowserTests
{
    private static readonly string? s_chromium = TestEnvironment.FindTool("chromium");
    // A normal run takes a few seconds; the margin is for a loaded CI machine, not a target.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(45);

    [Fact]
    public void Chromium_renders_hostile_text_as_text_and_creates_no_script_or_link()
    {
        Assert.True(s_chromium is not null, "Chromium is missing (not on PATH): run `apt-get install -y chromium`.");

        // Given
        using var temp = new TempDirectory();
        var output = Path.Combine(temp.Path, "report");
        var html = ReportWriter.WriteAll(SampleReports.HostileStrings(), output, ReportFormats.Html).Single();

        // When
        var dom = DumpDom(html, Path.Combine(temp.Path, "profile"));

        // Then
        Assert.Contains("<title>csrss.exe forensic report: WS-0147_2026-03-01", dom, StringComparison.Ordinal);
        Assert.Contains("<h1>csrss.exe forensic report: WS-0147_2026-03-01", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dom, StringComparison.Ordinal);
        Assert.Contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;", dom, StringComparison.Ordinal);
        Assert.Contains("[x](javascript:alert(1))", dom, StringComparison.Ordinal);
        Assert.Contains("csrss&lt;U+202E&gt;txt.exe", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a ", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", dom, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<strong class=\"badge badge-compromised\">compromised</strong>", dom, StringComparison.Ordinal);
    }

    private static string DumpDom(string htmlPath, string profile)
    {
        var start = new ProcessStartInfo(s_chromium!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--dump-dom", new Uri(htmlPath).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Chromium did not finish within {s_timeout.TotalSeconds} s.");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"Chromium exited with {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
