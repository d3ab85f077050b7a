using CsrssForensics.Rules.Caching;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using CsrssForensics.Core.Report;
using CsrssForensics.Rules.Facts;

namespace CsrssForensics.Rules.Text;

/// <summary>
/// The <c>{placeholders}</c> of rule text (node questions, leaf reasons, finding titles and details): a fact name
/// (<c>{subject.path}</c>) or a field of the subject's core-process table row (<c>{core.folders}</c>). One tree then
/// speaks about csrss.exe, svchost.exe or any other row without a copy per process.
/// </summary>
internal static class Placeholders
{
    private const int MaxParsed = 4096;

    private static readonly CappedCache<Token[]> _parsed = new(MaxParsed);

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

    /// <summary>The placeholder names in <paramref name="template"/>, in order of appearance.</summary>
    public static IEnumerable<string> Names(string template) => Tokens(template).Select(t => t.Name);

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
        var tokens = TokensOf(template);
        if (tokens.Length == 0)
        {
            return template;
        }

        var text = new StringBuilder(template.Length + 64);
        var copied = 0;
        foreach (var (start, length, name) in tokens)
        {
            text.Append(template, copied, start - copied);
            text.Append(ValueOf(name, facts, row));
            copied = start + length;
        }

        return text.Append(template, copied, template.Length - copied).ToString();
    }

    /// <summary>
    /// The value each placeholder of <paramref name="template"/> is filled with, once per name in order of first
    /// appearance: what a report gives beside the filled text so a reader can word it anew from the code.
    /// </summary>
    public static ImmutableArray<ItemParameter> Values(string template, IReadOnlyDictionary<string, FactValue> facts, IReadOnlyDictionary<string, string> row)
    {
        ArgumentNullException.ThrowIfNull(template);
        var tokens = TokensOf(template);
        var values = ImmutableArray.CreateBuilder<ItemParameter>(tokens.Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            var name = tokens[i].Name;
            if (!SeenBefore(tokens, i, name))
            {
                values.Add(new ItemParameter(name, ValueOf(name, facts, row)));
            }
        }

        return values.DrainToImmutable();

        static bool SeenBefore(Token[] tokens, int index, string name)
        {
            for (var i = 0; i < index; i++)
            {
                if (string.Equals(tokens[i].Name, name, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    // Every subject fills the same few hundred rule texts: parse each once, not once per subject and step. The cap
    // only guards a caller that passes ever new texts; past it a text is parsed each time, with the same tokens.
    private static Token[] TokensOf(string template) => _parsed.GetOrAdd(template, static text => [.. Tokens(text)]);

    private static string ValueOf(string name, IReadOnlyDictionary<string, FactValue> facts, IReadOnlyDictionary<string, string> row) =>
        facts.TryGetValue(name, out var fact) ? fact.Display : row.TryGetValue(name, out var value) ? value : FactValue.Unknown.Display;

    // Anything in braces is meant as a placeholder, so a typo ({core.folder}, {Subject.path}) is caught, not printed.
    // A plain forward scan (a '{' then the next '}' with no '{' between): linear, no regex time-out to hit.
    private static IEnumerable<Token> Tokens(string template)
    {
        var open = template.IndexOf('{', StringComparison.Ordinal);
        while (open >= 0)
        {
            var close = template.IndexOfAny(['{', '}'], open + 1);
            if (close < 0)
            {
                yield break;
            }

            if (template[close] == '}')
            {
                yield return new Token(open, close - open + 1, template[(open + 1)..close]);
                open = template.IndexOf('{', close + 1);
            }
            else
            {
                open = close;
            }
        }
    }

    private static string List(IReadOnlyCollection<string> items) => items.Count == 0 ? "(none)" : string.Join(", ", items);

    private static string ShapeName(CommandLineShape shape) => shape switch
    {
        CommandLineShape.SubSystemsWindows => "subSystemsWindows",
        CommandLineShape.SvchostGroup => "svchostGroup",
        _ => "any",
    };

    private readonly record struct Token(int Start, int Length, string Name);
}
