using System.CommandLine;
using CsrssForensics.Reporting;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>--format md,html,json,csv</c>, checked while the command line is parsed: an unknown name is a usage error (64)
/// that lists the valid names, never a .NET argument message.
/// </summary>
internal static class FormatOption
{
    /// <summary>The names a user may give, for messages.</summary>
    public const string ValidNames = "md, html, json, csv, jsonl, timesketch (or all)";

    private const string Default = "md,html,json,csv";

    /// <summary>What <c>--format</c> gives when it is not set.</summary>
    public static ReportFormats DefaultFormats => Formats(Default);

    public static Option<string> Create()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = $"Comma-separated report formats: {ValidNames}.",
            HelpName = "formats",
            DefaultValueFactory = _ => Default,
        };
        option.Validators.Add(result =>
        {
            if (Parse(result.GetValueOrDefault<string>() ?? Default, out _) is { } error)
            {
                result.AddError(error);
            }
        });
        return option;
    }

    /// <summary>The formats of a list the validator accepted.</summary>
    public static ReportFormats Formats(string list) =>
        Parse(list, out var formats) is { } error ? throw new CliFailure(ExitCodes.UsageError, error) : formats;

    /// <summary>Null and the formats, or the message naming the first unknown name.</summary>
    private static string? Parse(string list, out ReportFormats formats)
    {
        formats = ReportFormats.None;
        foreach (var name in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                // One name at a time through the library's parser, so the message names the one that is wrong.
                formats |= ReportWriter.ParseFormats(name);
            }
            catch (ArgumentException)
            {
                return $"unknown format '{name}'; valid formats: {ValidNames}";
            }
        }

        return formats == ReportFormats.None ? $"no format given; valid formats: {ValidNames}" : null;
    }
}
