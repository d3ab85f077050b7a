using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CsrssForensics.Rules.Facts;

/// <summary>
/// The facts of one subject as stable text, ordinal-sorted when enumerated. Built on first use: nothing in a run reads
/// it (tests and callers of <see cref="RuleSet.Evaluate"/> do), and sorting every subject's facts cost more than the
/// decision tree walk. The facts never change once computed, so the view is safe to share between threads.
/// </summary>
internal sealed class FactsText(IReadOnlyDictionary<string, FactValue> facts) : IReadOnlyDictionary<string, string>
{
    private readonly Lazy<SortedList<string, string>> _sorted = new(() =>
    {
        var sorted = new SortedList<string, string>(facts.Count, StringComparer.Ordinal);
        foreach (var (name, value) in facts)
        {
            sorted.Add(name, value.Display);
        }

        return sorted;
    });

    public int Count => facts.Count;

    public IEnumerable<string> Keys => _sorted.Value.Keys;

    public IEnumerable<string> Values => _sorted.Value.Values;

    public string this[string key] => facts[key].Display;

    public bool ContainsKey(string key) => facts.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        value = facts.TryGetValue(key, out var fact) ? fact.Display : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _sorted.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
