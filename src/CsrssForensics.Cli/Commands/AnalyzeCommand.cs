using System.CommandLine;
using CsrssForensics.Analysis;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting;
using CsrssForensics.Rules;

namespace CsrssForensics.Cli.Commands;

/// <summary><c>analyze &lt;bundle&gt; [--out DIR] [--format md,html,json,csv] [--force] [--rules FILE] [--rules-overlay FILE]...</c> (alias <c>analyse</c>): the main job.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var bundle = new Argument<FileSystemInfo[]>("bundle")
        {
            Description = "Bundle folder or .zip written by collect.ps1 (or a folder/zip holding it in one top folder). Several bundles, a pattern (*.zip) or a folder holding bundle folders and zips analyse a fleet (see 'Many hosts' in the README).",
            Arity = ArgumentArity.OneOrMore,
        };

        // With many values allowed, an unknown option would be taken as one more bundle: it stays a usage error (64).
        bundle.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-')))
            {
                result.AddError($"Unrecognized command or argument '{token.Value}'.");
            }
        });
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Folder for report.md, report.html, report.json, report.csv (and report.jsonl, report.timesketch.jsonl when asked for; created if missing; never inside the bundle; nothing is written outside it).",
            DefaultValueFactory = _ => new DirectoryInfo("csrss-forensics-report"),
        };
        var formats = FormatOption.Create();
        var force = new Option<bool>("--force") { Description = "Replace the reports of an earlier run in --out (report files of formats not asked for are removed)." };
        var rules = RulesOptions.Create();
        var roots = new Option<FileSystemInfo?>("--roots") { Description = "Extra root certificates: a PEM file or a folder of PEM files (each must hold a certificate)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the overall status line (and no progress)." };
        var caseFile = new Option<FileInfo?>("--case") { Description = "Fleet runs: the case database to add the bundles to (DuckDB; default: case.duckdb in --out)." };

        var command = new Command("analyze", "Analyse a bundle (or many) and write the reports. Exit codes: see the table below.")
        {
            bundle, output, formats, force, roots, quiet, caseFile,
        };
        rules.AddTo(command);
        command.Aliases.Add("analyse");
        // --case asks for a case, so even one bundle runs as a (one-host) batch; without it one bundle runs as always.
        command.SetAction(parse => BatchAnalysis.IsBatch(parse.GetValue(bundle)!) || parse.GetValue(caseFile) is not null
            ? BatchAnalysis.Run(
                parse.GetValue(bundle)!,
                parse.GetResult(output) is null ? null : parse.GetValue(output),
                FormatOption.Formats(parse.GetValue(formats)!),
                parse.GetValue(force),
                parse.GetValue(caseFile),
                new AnalysisOptions(ExtraRoots: parse.GetValue(roots) is { } r ? PemFiles.Read(r) : null) { Rules = rules.Load(parse) },
                parse.GetValue(quiet))
            : Run(
            parse.GetValue(bundle)![0],
            parse.GetValue(output)!,
            FormatOption.Formats(parse.GetValue(formats)!),
            parse.GetValue(force),
            () => rules.Load(parse),
            parse.GetValue(roots),
            parse.GetValue(quiet)));
        return command;
    }

    /// <summary>The exit code of an analysis: ordered by how much it asks of the responder.</summary>
    internal static int ExitCodeFor(OverallStatus status) => status switch
    {
        OverallStatus.Clean => ExitCodes.Clean,
        OverallStatus.Compromised => ExitCodes.Compromised,
        OverallStatus.Suspicious => ExitCodes.Suspicious,
        OverallStatus.Inconclusive => ExitCodes.Inconclusive,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown overall status"),
    };

    private static int Run(FileSystemInfo bundlePath, DirectoryInfo outputDirectory, ReportFormats formats, bool force, Func<RuleSet> loadRules, FileSystemInfo? rootsPath, bool quiet)
    {
        // Everything that can fail on the user's input is checked before the analysis runs.
        var output = OutputFolder.Prepare(outputDirectory.FullName, bundlePath.FullName, force);
        AnalysisReport report;

        // The rules load, and the JSON writer sets itself up, while the bundle is read: reading leaves a core idle
        // while files.csv, the largest part, is still being parsed.
        _ = Task.Run(ReportWriter.Prepare);
        var rulesLoading = Task.Run(loadRules);
        try
        {
            report = Analyze(bundlePath.FullName, rulesLoading, rootsPath);
        }
        catch (CliFailure)
        {
            output.RemoveIfCreatedAndEmpty();
            throw;
        }

        var written = output.Write(report, formats);
        Render(report, written, quiet);
        return ExitCodeFor(report.OverallStatus);
    }

    // A problem with the rules, then with --roots, is reported before one with the bundle, as when they were read first.
    private static AnalysisReport Analyze(string bundlePath, Task<RuleSet> rulesLoading, FileSystemInfo? rootsPath)
    {
        OpenedBundle? opened = null;
        BundleOpenException? unreadable = null;
        try
        {
            try
            {
                opened = BundleReader.Open(bundlePath);
            }
            catch (BundleOpenException error)
            {
                unreadable = error;
            }

            var rules = rulesLoading.GetAwaiter().GetResult();
            var options = new AnalysisOptions(ExtraRoots: rootsPath is null ? null : PemFiles.Read(rootsPath)) { Rules = rules };
            if (unreadable is not null)
            {
                throw new CliFailure(ExitCodes.UnreadableInput, unreadable.Message, unreadable);
            }

            return BundleAnalyzer.Analyze(opened!, options);
        }
        finally
        {
            opened?.Dispose();
        }
    }

    /// <summary>The evidence strength in the words docs/trust.md uses.</summary>
    internal static string StrengthWord(EvidenceStrength strength) => strength switch
    {
        EvidenceStrength.VerifiedOffline => "verified-offline",
        EvidenceStrength.HostReported => "host-reported",
        _ => "none",
    };

    private static void Render(AnalysisReport report, IReadOnlyList<string> written, bool quiet)
    {
        Console.WriteLine($"{report.OverallStatus.ToString().ToUpperInvariant()}: {TerminalText.Printable(report.Summary)}");
        if (quiet)
        {
            return;
        }

        foreach (var verdict in report.Verdicts)
        {
            var pid = verdict.Subject.Pid is int p ? $" pid {p}" : string.Empty;
            Console.WriteLine($"  {verdict.Verdict.ToString().ToLowerInvariant(),-12} {StrengthWord(verdict.Strength),-16} {verdict.Subject.Kind.ToString().ToLowerInvariant()}{pid} {TerminalText.Printable(verdict.Subject.Path ?? verdict.Subject.Name)}");
        }

        foreach (var path in written)
        {
            Console.WriteLine($"wrote {TerminalText.Printable(path)}");
        }
    }
}
