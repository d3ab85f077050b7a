namespace CsrssForensics.Fleet.Stacking;

/// <summary>One stacked value: how many hosts have it and the first few of them by name.</summary>
/// <param name="Examples">Up to <see cref="StackTable.MaxExamples"/> host report folders, ordinal order.</param>
public sealed record StackRow(string Category, string Value, int Hosts, IReadOnlyList<string> Examples);

/// <summary>
/// Counts, per category and value, the hosts that have it. Memory grows with the distinct values, not with the hosts:
/// each value keeps a count and its first few host names in ordinal order, so the result does not depend on the order
/// bundles finished in.
/// </summary>
public sealed class StackTable
{
    /// <summary>Host names kept per value (the rare values are the ones a responder opens).</summary>
    public const int MaxExamples = 5;

    /// <summary>Distinct values kept per category; a fleet with more is cut (the count of values cut is reported).</summary>
    public const int MaxValuesPerCategory = 100_000;

    private readonly Dictionary<(string Category, string Value), (int Hosts, List<string> Examples)> _values = [];
    private readonly Dictionary<string, int> _perCategory = new(StringComparer.Ordinal);

    /// <summary>Values not counted because their category was full.</summary>
    public int ValuesCut { get; private set; }

    /// <summary>Adds the values of one host (each once).</summary>
    public void Add(string host, IEnumerable<Batch.StackValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var value in values)
        {
            var key = (value.Category, value.Value);
            if (!_values.TryGetValue(key, out var entry))
            {
                int inCategory = _perCategory.GetValueOrDefault(value.Category);
                if (inCategory >= MaxValuesPerCategory)
                {
                    ValuesCut++;
                    continue;
                }

                _perCategory[value.Category] = inCategory + 1;
                entry = (0, []);
            }

            var examples = entry.Examples;
            int at = examples.BinarySearch(host, StringComparer.Ordinal);
            if (at < 0 && ~at < MaxExamples)
            {
                examples.Insert(~at, host);
                if (examples.Count > MaxExamples)
                {
                    examples.RemoveAt(MaxExamples);
                }
            }

            _values[key] = (entry.Hosts + 1, examples);
        }
    }

    /// <summary>The rows of one category, rarest first, then by value (ordinal).</summary>
    public IReadOnlyList<StackRow> Rows(string category) =>
        [.. _values.Where(v => v.Key.Category == category)
            .Select(v => new StackRow(v.Key.Category, v.Key.Value, v.Value.Hosts, [.. v.Value.Examples]))
            .OrderBy(r => r.Hosts)
            .ThenBy(r => r.Value, StringComparer.Ordinal)];
}
