using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace CsrssForensics.Rules.Caching;

/// <summary>
/// Answers kept per text key (ordinal), for answers that depend on the key alone; safe for concurrent use. It stops
/// taking new keys at its capacity: a hostile bundle of all-distinct texts is then answered uncached, so memory stays
/// bounded and only the speed-up is lost.
/// </summary>
internal sealed class CappedCache<TValue>
{
    private readonly ConcurrentDictionary<string, TValue> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly int _capacity;

    // ConcurrentDictionary.Count takes every lock; a counter is enough for a cap.
    private int _count;

    public CappedCache(int capacity)
    {
        _capacity = capacity;
        _bySpan = _values.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The answer kept for <paramref name="key"/>, looked up without making a string of it.</summary>
    public bool TryGet(ReadOnlySpan<char> key, [MaybeNullWhen(false)] out TValue value) => _bySpan.TryGetValue(key, out value);

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/> unless the cache is full (or has it already).</summary>
    public void Add(string key, TValue value)
    {
        if (Volatile.Read(ref _count) < _capacity && _values.TryAdd(key, value))
        {
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>The answer kept for <paramref name="key"/>, else <paramref name="make"/>'s, kept while there is room.</summary>
    public TValue GetOrAdd(string key, Func<string, TValue> make)
    {
        if (_values.TryGetValue(key, out var known))
        {
            return known;
        }

        var value = make(key);
        Add(key, value);
        return value;
    }
}
