using System.Runtime.InteropServices;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Numbered items grouped by a case-insensitive part of a path (a file name, a folder), in the order they were added.
/// A million files.csv rows spread over hundreds of thousands of folders: a key string and a list per group cost more
/// than the rows themselves, so a group is keyed by a slice of its first member's path (no new string) and its members
/// are chained through one int per item. Case-insensitive is <see cref="StringComparison.OrdinalIgnoreCase"/>, which
/// equates exactly the texts whose <c>WindowsPath.Key</c> (invariant upper case) is equal.
/// </summary>
internal sealed class PathGroups
{
    private readonly Dictionary<PathSlice, (int First, int Last)> _groups;
    private readonly List<int> _next;

    /// <param name="expectedItems">How many items will be added, so the chain does not grow by copying.</param>
    /// <param name="expectedGroups">How many groups are likely, so the index does not grow by rehashing.</param>
    public PathGroups(int expectedItems = 0, int expectedGroups = 0)
    {
        _groups = new(expectedGroups, PathSliceComparer.Instance);
        _next = new(expectedItems);
    }

    /// <summary>Adds item <paramref name="item"/> (each item once) to the group of <c>text[start..(start+length)]</c>.</summary>
    public void Add(int item, string text, int start, int length)
    {
        while (_next.Count <= item)
        {
            _next.Add(-1);
        }

        // One lookup per item: the group's entry is updated in place.
        ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(_groups, new PathSlice(text, start, length), out var exists);
        if (exists)
        {
            _next[group.Last] = item;
            group.Last = item;
        }
        else
        {
            group = (item, item);
        }
    }

    /// <summary>The items of the group of <paramref name="text"/>, in the order added; empty when there is none.</summary>
    public List<int> Members(string text)
    {
        var members = new List<int>();
        if (_groups.TryGetValue(new PathSlice(text, 0, text.Length), out var group))
        {
            for (var item = group.First; item >= 0; item = _next[item])
            {
                members.Add(item);
            }
        }

        return members;
    }

    private readonly record struct PathSlice(string Text, int Start, int Length)
    {
        public ReadOnlySpan<char> Span => Text.AsSpan(Start, Length);
    }

    private sealed class PathSliceComparer : IEqualityComparer<PathSlice>
    {
        public static PathSliceComparer Instance { get; } = new();

        public bool Equals(PathSlice x, PathSlice y) => x.Span.Equals(y.Span, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(PathSlice obj) => string.GetHashCode(obj.Span, StringComparison.OrdinalIgnoreCase);
    }
}
