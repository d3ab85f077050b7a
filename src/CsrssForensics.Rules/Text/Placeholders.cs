using System.Collections.Frozen;
using System.Text.RegularExpressions;
using CsrssForensics.Rules.Facts;

namespace CsrssForensics.Rules.Text;

/// <summary>
/// The <c>{placeholders}</c> of rule text (node questions, leaf reasons, finding titles and details): a fact name
/// (<c>{subject.path}</c>) or a field of the subject's core-process table row (<c>{core.folders}</c>). One tree then
/// speaks about csrss.exe, svchost.exe or any other row without a copy per process.
/// </summary>
internal static partial class Placeholders
{
    /// <summary>Row fields: the display name.</summary>
    public const string CoreDisplayName = "core.displayName";

    /// <summary>Row fields: the expected folders relative to %SystemRoot% ("System32 or SysWOW64").</summary>
    public const string CoreFolders = "core.folders";

    /// <summary>Row fields: the allowed living parents.</summary>
    public const string CoreAllowedParents = "core.allowedParents";

    /// <summary>Row fields: the allowed children, or "(not checked)".</summary>
    public const string CoreAllowedChildren = "core.allowedChildren";

    /// <summary>Row fields: the command-line shape as written in the table (any, subSystemsWindows, svchostGroup).</summary>
    public const string CoreCommandLineShape = "core.commandLineShape";

    /// <summary>The placeholders a core-process row provides (facts are provided for every subject).</summary>
    public static FrozenSet<string> RowNames { get; } =
        new[] { CoreDisplayName, CoreFolders, CoreAllowedParents, CoreAllowedChildren, CoreCommandLineShape }
            .ToFrozenSet(StringComparer.Ordinal);

    // Anything in braces is meant as a placeholder, so a typo ({core.folder}, {Subject.path}) is caught, not printed.
    [GeneratedRegex(@"\{([^{}]*)\}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Token();

    /// <summary>The placeholder names in <paramref name="template"/>, in order of appearance.</summary>
    public static IEnumerable<string> Names(string template) =>
        Token().Matches(template).Select(m => m.Groups[1].Value);

    /// <summary>Why <paramref name="name"/> cannot be a placeholder, or null when it is a fact or a row field.</summary>
    public static string? Problem(string name, bool rowAvailable)
    {
        if (FactNames.Types.ContainsKey(name))
        {
            return null;
        }

        if (RowNames.Contains(name))
        {
            return rowAvailable ? null : $"placeholder {{{name}}} is a core-process table field, but this text is shown for subjects without a table row";
        }

        return $"placeholder {{{name}}} is neither a fact nor a core-process table field (table fields: {string.Join(", ", RowNames.Order(StringComparer.Ordinal))}; facts are listed in schemas/rules.schema.json)";
    }

    /// <summary>The row-field values of one core-process table row.</summary>
    public static FrozenDictionary<string, string> ForRow(CoreProcessRule row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CoreDisplayName] = row.DisplayName,
            [CoreFolders] = row.Folders.IsDefaultOrEmpty ? "(none)" : string.Join(" or ", row.Folders.Select(f => f.Length == 0 ? "%SystemRoot%" : f)),
            [CoreAllowedParents] = List(row.AllowedParents),
            [CoreAllowedChildren] = row.ChildrenChecked ? List(row.AllowedChildren) : "(not checked)",
            [CoreCommandLineShape] = ShapeName(row.CommandLine),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Fills every placeholder in one pass, so a value taken from the bundle (a command line that contains
    /// "{core.name}") is never filled again. A fact the evidence did not give reads "unknown".
    /// </summary>
    public static string Fill(string template, IReadOnlyDictionary<string, FactValue> facts, IReadOnlyDictionary<string, string> row)
    {
        ArgumentNullException.ThrowIfNull(template);
        return !template.Contains('{', StringComparison.Ordinal)
            ? template
            : Token().Replace(template, match =>
            {
                var name = match.Groups[1].Value;
                if (facts.TryGetValue(name, out var fact))
                {
                    return fact.Display;
                }

                return row.TryGetValue(name, out var value) ? value : FactValue.Unknown.Display;
            });
    }

    private static string List(IReadOnlyCollection<string> items) => items.Count == 0 ? "(none)" : string.Join(", ", items);

    private static string ShapeName(CommandLineShape shape) => shape switch
    {
        CommandLineShape.SubSystemsWindows => "subSystemsWindows",
        CommandLineShape.SvchostGroup => "svchostGroup",
        _ => "any",
    };
}
