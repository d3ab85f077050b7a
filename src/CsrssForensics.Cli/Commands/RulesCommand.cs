using System.CommandLine;
using System.Globalization;
using System.Text;
using CsrssForensics.Rules;
using CsrssForensics.Rules.Diagrams;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>rules list</c>, <c>rules show ID</c> and <c>rules graph</c>: what is in force for a given <c>--rules</c> /
/// <c>--rules-overlay</c> command line, and where each rule came from. Every string from a rules file goes through
/// <see cref="TerminalText"/>: an overlay is a file someone handed over, not necessarily trusted text.
/// </summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var command = new Command("rules", "Show the rules in force (built-in, --rules, --rules-overlay) and where each came from.")
        {
            List(),
            Show(),
            Graph(),
        };
        return command;
    }

    private static Command List()
    {
        var options = RulesOptions.Create();
        var command = new Command("list", "One line per rule in force: ID, kind, severity (or verdict), source.");
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var rules = options.Load(parse);
            PrintOrigin(rules);
            var rows = rules.Catalog.Entries.Select(e => new[] { e.Id, e.Kind, e.Severity, e.Source }).ToList();
            PrintTable(["ID", "KIND", "SEVERITY", "SOURCE"], rows);
            return ExitCodes.Clean;
        });
        return command;
    }

    private static Command Show()
    {
        var options = RulesOptions.Create();
        var id = new Argument<string>("id") { Description = "A finding code, node id, leaf reason code, core-process name, parameter or known Windows name." };
        var command = new Command("show", "The full rule (as JSON) and its source.") { id };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var rules = options.Load(parse);
            var wanted = parse.GetValue(id)!;
            var found = rules.Catalog.Find(wanted);
            if (found.Count == 0)
            {
                throw new CliFailure(ExitCodes.UsageError, $"no rule with id '{wanted}' is in force (see: rules list)");
            }

            foreach (var entry in found)
            {
                Console.WriteLine($"{TerminalText.Printable(entry.Id)} ({entry.Kind}, {TerminalText.Printable(entry.Severity)})");
                Console.WriteLine($"source: {TerminalText.Printable(entry.Source)}");
                if (!string.IsNullOrEmpty(entry.ReasonCode))
                {
                    Console.WriteLine($"reason code: {TerminalText.Printable(entry.ReasonCode)}");
                }

                foreach (var line in entry.Json.Split('\n'))
                {
                    Console.WriteLine(TerminalText.Printable(line));
                }
            }

            return ExitCodes.Clean;
        });
        return command;
    }

    private static Command Graph()
    {
        var options = RulesOptions.Create();
        var output = new Option<DirectoryInfo?>("--out", "-o") { Description = "Write one decision-tree.<tree>.mmd per tree into this folder (existing ones are replaced); without it, print them." };
        var command = new Command("graph", "The decision trees as Mermaid flowcharts, generated from the rules in force.") { output };
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var diagrams = options.Load(parse).DecisionTreeDiagrams();
            if (parse.GetValue(output) is not { } folder)
            {
                foreach (var line in diagrams.SelectMany(d => d.Mermaid.TrimEnd('\n').Split('\n')))
                {
                    Console.WriteLine(TerminalText.Printable(line));
                }

                return ExitCodes.Clean;
            }

            return Write(folder, diagrams);
        });
        return command;
    }

    private static int Write(DirectoryInfo folder, IReadOnlyList<TreeDiagram> diagrams)
    {
        try
        {
            Directory.CreateDirectory(folder.FullName);
            foreach (var diagram in diagrams)
            {
                // The file name is built from a tree id, which the schema limits to [a-z0-9-]: it cannot leave the folder.
                var path = Path.Combine(folder.FullName, diagram.FileName);
                File.WriteAllText(path, diagram.Mermaid, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                Console.WriteLine($"wrote {TerminalText.Printable(path)}");
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.CannotWriteOutput, $"--out '{folder.FullName}' cannot be written: {error.Message}", error);
        }

        return ExitCodes.Clean;
    }

    private static void PrintOrigin(RuleSet rules)
    {
        var provenance = rules.Provenance;
        Console.WriteLine($"rules {TerminalText.Printable(rules.Version)}: {(provenance?.Replacement is { } r ? $"{TerminalText.Printable(r.Name)} (sha256 {r.Sha256})" : "built-in")}");
        foreach (var overlay in provenance?.Overlays ?? [])
        {
            Console.WriteLine($"overlay {TerminalText.Printable(overlay.Name)} (sha256 {overlay.Sha256})");
        }
    }

    private static void PrintTable(string[] header, List<string[]> rows)
    {
        var cells = rows.Select(r => r.Select(TerminalText.Printable).ToArray()).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => cells.Max(r => r[i].Length)).ToArray();
        foreach (var row in cells)
        {
            var line = string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])));
            Console.WriteLine(line.TrimEnd());
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} rule(s)"));
    }
}
