using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>
/// One hostile bundle: a unique name (the theory key), the class of attack it belongs to, how to build it in a
/// workspace (returns the path to analyse), the exit code the CLI must give, and the refusal or finding expected.
/// </summary>
internal sealed record HostileCase(string Name, string Class, Func<HostileWorkspace, string> Build, int ExpectedExit, Action<HostileOutcome> Expect)
{
    /// <summary>Also run through the real CLI process (a representative subset; every case goes through the same mapping).</summary>
    public bool ThroughCli { get; init; }

    /// <summary>
    /// Bytes the analysis may allocate per input byte, when this class legitimately costs more than the suite's default
    /// (every extra csrss row is a verdict of its own in four reports). Still linear: a quadratic cost passes it at no size.
    /// </summary>
    public long? AllowancePerInputByte { get; init; }
}

/// <summary>What one run produced: the report, or the message of the error that stopped it.</summary>
internal sealed record HostileOutcome(AnalysisReport? Report, string? Failure, string OutputFolder)
{
    public AnalysisReport RequireReport() => Report ?? throw new Xunit.Sdk.XunitException("no report; the run failed: " + Failure);

    public string ReadOutput(string fileName) => File.ReadAllText(Path.Combine(OutputFolder, fileName));
}

/// <summary>The expectations cases are made of; each one can fail.</summary>
internal static class Expect
{
    public static Action<HostileOutcome> Refused(string reason) => outcome =>
    {
        var findings = outcome.RequireReport().Integrity.Findings;
        Assert.True(
            findings.Any(f => f.Problem == IntegrityProblem.Refused && f.Message.Contains(reason, StringComparison.Ordinal)),
            $"no refusal saying '{reason}'; findings: {string.Join(" | ", findings.Select(f => f.Problem + ": " + f.Message))}");
    };

    public static Action<HostileOutcome> Integrity(IntegrityProblem problem, string path) => outcome =>
    {
        var findings = outcome.RequireReport().Integrity.Findings;
        Assert.True(
            findings.Any(f => f.Problem == problem && f.Path.Contains(path, StringComparison.Ordinal)),
            $"no {problem} finding for '{path}'; findings: {string.Join(" | ", findings.Select(f => f.Problem + " " + f.Path))}");
    };

    public static Action<HostileOutcome> Status(IntegrityStatus status) => outcome =>
        Assert.Equal(status, outcome.RequireReport().Integrity.Status);

    public static Action<HostileOutcome> Anomaly(string code) => outcome =>
    {
        var anomalies = outcome.RequireReport().Anomalies;
        Assert.True(anomalies.Any(a => a.Code == code), $"no anomaly {code}; got: {string.Join(", ", anomalies.Select(a => a.Code).Distinct())}");
    };

    public static Action<HostileOutcome> Failure(string text) => outcome =>
    {
        Assert.Null(outcome.Report);
        Assert.Contains(text, outcome.Failure ?? string.Empty, StringComparison.Ordinal);
    };

    public static Action<HostileOutcome> RogueRoot(string subject) => outcome =>
        Assert.Contains(outcome.RequireReport().RogueRoots, r => r.Subject.Contains(subject, StringComparison.Ordinal));

    /// <summary>A subject (process or file) carrying the hostile text was analysed, not dropped.</summary>
    public static Action<HostileOutcome> Subject(string text) => outcome =>
    {
        // Windows paths are kept with '\' between folders, so a '/' in the hostile text comes back as '\'.
        var inPath = text.Replace('/', '\\');
        Assert.True(
            outcome.RequireReport().Verdicts.Any(v => (v.Subject.Path ?? string.Empty).Contains(inPath, StringComparison.Ordinal) || v.Subject.Name.Contains(text, StringComparison.Ordinal)),
            $"no verdict on a subject carrying {Visible(text)}");
    };

    /// <summary>The HTML report carries none of the raw markup; no report carries a raw terminal control character.</summary>
    public static Action<HostileOutcome> ReportsDefused(params string[] rawHtmlFragments) => outcome =>
    {
        var html = outcome.ReadOutput("report.html");
        foreach (var fragment in rawHtmlFragments)
        {
            Assert.False(html.Contains(fragment, StringComparison.Ordinal), $"report.html holds the raw fragment {Visible(fragment)}");
        }

        foreach (var file in new[] { "report.md", "report.html", "report.csv" })
        {
            Assert.DoesNotContain(outcome.ReadOutput(file), c => c == '\u001b' || c == '\r' || c == '\u0007');
        }

        Assert.DoesNotContain(outcome.ReadOutput("report.csv").Split('\n'), line => line.StartsWith('=') || line.StartsWith('@') || line.Contains(",=", StringComparison.Ordinal) || line.Contains(",\"=", StringComparison.Ordinal) || line.Contains(",@", StringComparison.Ordinal) || line.Contains(",\"@", StringComparison.Ordinal));
    };

    public static Action<HostileOutcome> All(params Action<HostileOutcome>[] checks) => outcome =>
    {
        foreach (var check in checks)
        {
            check(outcome);
        }
    };

    public static string Visible(string text) => string.Concat(text.Select(c => char.IsControl(c) || c > 0x7e ? $"<U+{(int)c:X4}>" : c.ToString()));
}
