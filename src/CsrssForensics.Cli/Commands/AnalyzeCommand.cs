using System.CommandLine;
using CsrssForensics.Analysis;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting;
using CsrssForensics.Rules;

namespace CsrssForensics.Cli.Commands;

/// <summary><c>analyze &lt;bundle&gt; [--out DIR] [--format md,html,json,csv]</c>: the main job.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var bundle = new Argument<FileSystemInfo>("bundle") { Description = "Bundle directory or .zip written by collect.ps1." };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Folder for report.md, report.html, report.json and report.csv (created if missing; nothing is written outside it).",
            DefaultValueFactory = _ => new DirectoryInfo("csrss-forensics-report"),
        };
        var formats = new Option<string>("--format", "-f")
        {
            Description = "Comma-separated report formats: md, html, json, csv.",
            DefaultValueFactory = _ => "md,html,json,csv",
        };
        var rules = new Option<FileInfo?>("--rules") { Description = "Replacement decision rules (JSON, validated against schemas/rules.schema.json)." };
        var roots = new Option<FileSystemInfo?>("--roots") { Description = "Extra root certificates: a PEM file or a folder of PEM files." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the overall status line." };

        var command = new Command("analyze", "Analyse a bundle and write the reports. Exit code 0: clean, 1: suspicious or fake found, 2: could not analyse.")
        {
            bundle, output, formats, rules, roots, quiet,
        };
        command.SetAction(parse => Run(
            parse.GetValue(bundle)!,
            parse.GetValue(output)!,
            parse.GetValue(formats)!,
            parse.GetValue(rules),
            parse.GetValue(roots),
            parse.GetValue(quiet)));
        return command;
    }

    private static int Run(FileSystemInfo bundlePath, DirectoryInfo outputDirectory, string formatList, FileInfo? rulesFile, FileSystemInfo? rootsPath, bool quiet)
    {
        ReportFormats formats;
        try
        {
            formats = ReportWriter.ParseFormats(formatList);
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.Trouble;
        }

        try
        {
            var options = new AnalysisOptions(
                rulesFile is null ? null : File.ReadAllText(rulesFile.FullName),
                rootsPath is null ? null : PemFiles.Read(rootsPath));
            using var opened = BundleReader.Open(bundlePath.FullName);
            var report = BundleAnalyzer.Analyze(opened, options);
            var written = ReportWriter.WriteAll(report, outputDirectory.FullName, formats);
            Render(report, written, quiet);
            return report.OverallStatus == OverallStatus.Clean ? ExitCodes.Clean : ExitCodes.Findings;
        }
        catch (Exception error) when (error is BundleOpenException or RuleSetException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return ExitCodes.Trouble;
        }
    }

    private static void Render(AnalysisReport report, IReadOnlyList<string> written, bool quiet)
    {
        Console.WriteLine($"{report.OverallStatus.ToString().ToUpperInvariant()}: {report.Summary}");
        if (quiet)
        {
            return;
        }

        foreach (var verdict in report.Verdicts)
        {
            var pid = verdict.Subject.Pid is int p ? $" pid {p}" : string.Empty;
            Console.WriteLine($"  {verdict.Verdict.ToString().ToLowerInvariant(),-12} {verdict.Subject.Kind.ToString().ToLowerInvariant()}{pid} {Printable(verdict.Subject.Path ?? verdict.Subject.Name)}");
        }

        foreach (var path in written)
        {
            Console.WriteLine($"wrote {path}");
        }
    }

    /// <summary>Bundle strings are attacker-written: keep control and bidi characters off the terminal.</summary>
    internal static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || c is '\u202A' or '\u202B' or '\u202C' or '\u202D' or '\u202E' or '\u2066' or '\u2067' or '\u2068' or '\u2069'
            ? $"<U+{(int)c:X4}>"
            : c.ToString()));
}
