using System.CommandLine;
using CsrssForensics.Analysis;
using CsrssForensics.Bundle;
using CsrssForensics.Rules;
using CsrssForensics.Rules.Overlays;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>--rules FILE</c> and <c>--rules-overlay FILE</c> (repeatable), shared by <c>analyze</c> and <c>rules</c>, and the
/// one place that reads those files and turns a bad one into exit 65 with the file, line and column to fix.
/// </summary>
internal sealed class RulesOptions
{
    // Rules files are written by the analyst, but a wrong path could name something huge: refuse before reading it all.
    private const long MaxRulesFileBytes = 16L * 1024 * 1024;

    private RulesOptions(Option<FileInfo?> replacement, Option<FileInfo[]> overlays)
    {
        Replacement = replacement;
        Overlays = overlays;
    }

    /// <summary>The <c>--rules</c> option.</summary>
    public Option<FileInfo?> Replacement { get; }

    /// <summary>The <c>--rules-overlay</c> option.</summary>
    public Option<FileInfo[]> Overlays { get; }

    public static RulesOptions Create() => new(
        new Option<FileInfo?>("--rules") { Description = "Replacement decision rules (JSON, validated against schemas/rules.schema.json) instead of the built-in ones." },
        new Option<FileInfo[]>("--rules-overlay")
        {
            Description = "An overlay that adds, overrides or disables rules by ID (JSON, schemas/rules-overlay.schema.json; see docs/rules.md). Repeatable: applied in the order given, after the built-in rules or --rules.",
            HelpName = "file",
            DefaultValueFactory = _ => [],
        });

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Replacement);
        command.Options.Add(Overlays);
    }

    /// <summary>The rules in force for this command line.</summary>
    /// <exception cref="CliFailure">A file cannot be read (65) or is invalid (65, every problem as file:line:column).</exception>
    public RuleSet Load(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var replacement = parse.GetValue(Replacement) is { } file ? Read(file, "--rules") : null;
        var overlays = (parse.GetValue(Overlays) ?? []).Select(f => Read(f, "--rules-overlay")).ToList();
        RuleSet rules;
        try
        {
            rules = RuleSet.Compose(replacement, overlays);
        }
        catch (RuleSetException error)
        {
            // One line per problem, each starting with the file:line:column to fix, then the summary line.
            foreach (var problem in error.Errors)
            {
                Console.Error.WriteLine($"error: {TerminalText.Printable(problem)}");
            }

            throw new CliFailure(ExitCodes.UnreadableInput, $"the rules files (--rules, --rules-overlay) are invalid: {error.Errors.Count} problem(s) above", error);
        }

        try
        {
            // A rules file written for an older release can lack wording the launcher and host-context checks need.
            BundleAnalyzer.RequireProducedFindings(rules);
        }
        catch (RuleSetException error)
        {
            var source = replacement is null ? "--rules-overlay: the rules in force" : $"--rules '{replacement.Name}'";
            throw new CliFailure(ExitCodes.UnreadableInput, $"{source} lack findings the analysis produces: {string.Join("; ", error.Errors)}", error);
        }

        return rules;
    }

    private static RulesFile Read(FileInfo file, string option)
    {
        if (SpecialFiles.IsSpecial(file.FullName))
        {
            throw new CliFailure(ExitCodes.UnreadableInput, $"{option} '{file.FullName}' is not a regular file (FIFO, socket or device)");
        }

        try
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxRulesFileBytes)
            {
                throw new CliFailure(ExitCodes.UnreadableInput, $"{option} '{file.FullName}' is larger than {MaxRulesFileBytes / (1024 * 1024)} MiB");
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return new RulesFile(file.Name, bytes);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.UnreadableInput, $"{option} '{file.FullName}' cannot be read: {error.Message}", error);
        }
    }
}
