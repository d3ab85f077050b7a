using System.Collections.Concurrent;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Analysis.Signatures;

/// <summary>One distinct binary's offline result, as shared between the bundles of a batch.</summary>
/// <param name="Sha256">Lower-case SHA-256 of the copied bytes that were parsed and verified (never a recorded hash).</param>
/// <param name="ContextKey">Fingerprint of what verification depended on besides the bytes: the bundle's store roots, the
/// analyst's roots and the bundle's catalogs (names and bytes).</param>
/// <param name="FallbackTimeUtc">The collection time chains fell back to when no timestamp proved the signing time.</param>
/// <param name="ReferencePath">Bundle path the result was computed under; anomalies and paths are re-pointed on reuse.</param>
public sealed record SharedBinaryResult(
    string Sha256,
    string ContextKey,
    DateTimeOffset FallbackTimeUtc,
    string ReferencePath,
    BinaryInfo Binary,
    FileVerification Verification,
    IReadOnlyList<Anomaly> Anomalies)
{
    /// <summary>
    /// True when no chain was checked at the fallback (collection) time: every signature check rests on its own proven
    /// timestamp, so a bundle collected at another time would get the same answer.
    /// </summary>
    public bool TimeIndependent
    {
        get
        {
            var checks = Verification.Embedded.Signatures.AsEnumerable();
            if (Verification.Catalog.Signature is { } catalog)
            {
                checks = checks.Append(catalog);
            }

            return checks.All(c => c.TimestampValid && c.TimestampUtc == c.VerificationTimeUtc);
        }
    }
}

/// <summary>
/// PE and signature results keyed by the SHA-256 of the copied bytes and the verification context, shared by the
/// bundles of one batch so a binary that 1,000 hosts share is parsed and verified once. The key is never the hash a host
/// recorded: only bytes this analyzer read and hashed itself are looked up, and the host's own signature claim is kept
/// per host (it is applied after the lookup). Thread-safe.
/// </summary>
public sealed class SharedBinaryResults
{
    /// <summary>Results kept at most; past this every new binary is verified and not remembered (memory stays bounded).</summary>
    public const int MaxEntries = 200_000;

    private readonly ConcurrentDictionary<string, Lazy<SharedBinaryResult>> _results = new(StringComparer.Ordinal);
    private readonly HashSet<SharedBinaryResult> _earlier = new(ReferenceEqualityComparer.Instance);
    private int _verified;
    private int _reused;
    private int _reusedEarlier;

    /// <summary>Distinct binaries parsed and verified so far.</summary>
    public int Verified => Volatile.Read(ref _verified);

    /// <summary>Examinations answered from an earlier verification of the same bytes in the same context.</summary>
    public int Reused => Volatile.Read(ref _reused);

    /// <summary>Of <see cref="Reused"/>, the examinations answered by a result of an earlier run (<see cref="AddEarlier"/>).</summary>
    public int ReusedEarlier => Volatile.Read(ref _reusedEarlier);

    /// <summary>
    /// Adds a result verified by an earlier run of this same analyzer build (read back from the case database), so the
    /// same bytes in the same context are not verified again. Call before the run starts; not thread-safe.
    /// </summary>
    public void AddEarlier(SharedBinaryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_results.Count < MaxEntries && _results.TryAdd($"{result.Sha256}|{result.ContextKey}", new Lazy<SharedBinaryResult>(result)))
        {
            _earlier.Add(result);
        }
    }

    /// <summary>Every result kept, in no particular order (sort before writing anything deterministic).</summary>
    public IReadOnlyCollection<SharedBinaryResult> Results =>
        [.. _results.Values.Where(v => v.IsValueCreated).Select(v => v.Value)];

    /// <summary>
    /// The result for these bytes in this context, computed by <paramref name="examine"/> at most once per key. A result
    /// whose chains used the collection time is reused only for a bundle with the same fallback time.
    /// </summary>
    internal SharedBinaryResult GetOrExamine(string sha256, string contextKey, DateTimeOffset fallbackTimeUtc, Func<SharedBinaryResult> examine)
    {
        // The first bundle to meet these bytes in this context verifies them; the others wait for that result. Only a
        // result that used the collection time is verified again, once per other collection time.
        var first = Lookup($"{sha256}|{contextKey}", examine, out bool verifiedHere);
        if (verifiedHere)
        {
            return first;
        }

        if (first.TimeIndependent || first.FallbackTimeUtc == fallbackTimeUtc)
        {
            CountReuse(first);
            return first;
        }

        var atTime = Lookup($"{sha256}|{contextKey}|{fallbackTimeUtc.UtcTicks}", examine, out verifiedHere);
        if (!verifiedHere)
        {
            CountReuse(atTime);
        }

        return atTime;
    }

    private void CountReuse(SharedBinaryResult result)
    {
        Interlocked.Increment(ref _reused);
        if (_earlier.Contains(result))
        {
            Interlocked.Increment(ref _reusedEarlier);
        }
    }

    private SharedBinaryResult Lookup(string key, Func<SharedBinaryResult> examine, out bool verifiedHere)
    {
        bool created = false;
        var mine = new Lazy<SharedBinaryResult>(() =>
        {
            created = true;
            return examine();
        }, LazyThreadSafetyMode.ExecutionAndPublication);
        var entry = _results.Count < MaxEntries ? _results.GetOrAdd(key, mine) : mine;
        var result = entry.Value;
        verifiedHere = created;
        if (created)
        {
            Interlocked.Increment(ref _verified);
        }

        return result;
    }
}
