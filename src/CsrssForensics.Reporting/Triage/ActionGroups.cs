using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Triage;

/// <summary>
/// Folds actions that say the same thing about different paths ("Collect the binary of A", "... of B") into one line
/// naming every path, so the list a responder works through has one line per task, not one per file.
/// </summary>
internal static class ActionGroups
{
    /// <summary>Groups in first-seen order; an action whose path is absent or not named exactly once stays alone.</summary>
    public static IReadOnlyList<ActionGroup> Of(IEnumerable<ActionItem> actions)
    {
        var groups = new List<ActionGroup>();
        var byTemplate = new Dictionary<(string Kind, string Before, string After), ActionGroup>();
        foreach (var action in actions)
        {
            var text = action.Text ?? string.Empty;
            var path = action.SubjectPath;
            var at = string.IsNullOrEmpty(path) ? -1 : text.IndexOf(path, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(path!, at + path!.Length, StringComparison.Ordinal) >= 0)
            {
                groups.Add(new ActionGroup(action.Kind, text, string.Empty, []) { AppliesTo = path });
                continue;
            }

            var key = (action.Kind ?? string.Empty, text[..at], text[(at + path.Length)..]);
            if (byTemplate.TryGetValue(key, out var group))
            {
                group.Paths.Add(path);
                continue;
            }

            group = new ActionGroup(action.Kind, key.Item2, key.Item3, [path]);
            byTemplate.Add(key, group);
            groups.Add(group);
        }

        return groups;
    }
}

/// <summary>One action line: <see cref="Before"/>, the paths joined, <see cref="After"/>.</summary>
internal sealed record ActionGroup(string? Kind, string Before, string After, List<string> Paths)
{
    /// <summary>The subject path of an action whose text does not name it (shown as "applies to"), else null.</summary>
    public string? AppliesTo { get; init; }

    /// <summary>The line as plain text, before any escaping.</summary>
    public string Text => Before + string.Join(", ", Paths) + After
        + (string.IsNullOrEmpty(AppliesTo) ? string.Empty : $" (applies to {AppliesTo})");
}
