using System.CommandLine;
using CsrssForensics.Reporting;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// <c>--format md,html,json,csv</c>, parsed while the command line is parsed: an unknown name is a usage error (64) that
/// lists the valid names, never a .NET argument message.
/// </summary>
internal static class FormatOption
{
    /// <summary>The names a user may give, for messages.</summary>
    public const string ValidNames = "md, html, json, csv (or all)";

    public static Option<ReportFormats> Create() => new("--format", "-f")
    {
        Description = $"Comma-separated report formats: {ValidNames}.",
        DefaultValueFactory = _ => ReportFormats.All,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return ReportFormats.All;
            }

            var formats = ReportFormats.None;
            foreach (var name in result.Tokens[0].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    // One name at a time through the library's parser: the message names the one that is wrong.
                    formats |= ReportWriter.ParseFormats(name);
                }
                catch (ArgumentException)
                {
                    result.AddError($"unknown format '{name}'; valid formats: {ValidNames}");
                    return ReportFormats.None;
                }
            }

            if (formats == ReportFormats.None)
            {
                result.AddError($"no format given; valid formats: {ValidNames}");
            }

            return formats;
        },
    };
}
