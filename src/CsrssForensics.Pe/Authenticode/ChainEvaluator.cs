using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>Result of building one chain offline.</summary>
/// <param name="Trusted">The chain reached a trust anchor with no error at the verification time.</param>
/// <param name="MicrosoftRoot">Trusted and the anchor is a pinned Microsoft root.</param>
/// <param name="ValidFrom">Latest NotBefore in the chain: the chain answer holds for any time in [ValidFrom, ValidTo].</param>
internal sealed record ChainOutcome(
    bool Trusted,
    bool MicrosoftRoot,
    string? RootSubject,
    string? RootSha256Thumbprint,
    ImmutableArray<string> Problems,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidTo)
{
    /// <summary>SHA-256 of the certificates between leaf and anchor: a later request may reuse this answer only if it offers them too.</summary>
    public ImmutableArray<string> Intermediates { get; init; } = [];

    /// <summary>Where the anchor came from; <see cref="RootOrigin.None"/> when the chain is not trusted.</summary>
    public RootOrigin RootOrigin { get; init; } = RootOrigin.None;
}

/// <summary>
/// Builds chains with <see cref="X509ChainTrustMode.CustomRootTrust"/>, no revocation, no downloads and an explicit
/// verification time, and caches the answers. Thousands of files share a handful of signers, so a trusted answer is
/// kept per leaf with its intermediates and the time window in which every chain element is valid: a later request for
/// the same leaf reuses it when it offers the same intermediates and its time falls inside that window (time enters an
/// offline chain check only through the validity periods). Untrusted answers are cached per (leaf, offered set, time).
/// </summary>
internal sealed class ChainEvaluator
{
    private const int MaxCachedKeys = 4096;

    private readonly TrustAnchors _anchors;
    private readonly VerifierCounters _counters;
    private readonly ConcurrentDictionary<string, ImmutableArray<ChainOutcome>> _trusted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Key, long Ticks), ChainOutcome> _untrusted = new();
    private readonly ConcurrentDictionary<string, Lock> _buildLocks = new(StringComparer.Ordinal);

    public ChainEvaluator(TrustAnchors anchors, VerifierCounters counters)
    {
        _anchors = anchors;
        _counters = counters;
    }

    public ChainOutcome Evaluate(CachedCertificate leaf, IReadOnlyList<CachedCertificate> offered, DateTimeOffset verificationTimeUtc)
    {
        if (Cached(leaf, offered, verificationTimeUtc) is { } cached)
        {
            return cached;
        }

        // Files of one signer arrive together on every thread: one builds the chain while the others wait for its answer.
        lock (_buildLocks.GetOrAdd(leaf.Sha256, static _ => new Lock()))
        {
            if (Cached(leaf, offered, verificationTimeUtc) is { } built)
            {
                return built;
            }

            return BuildAndRemember(leaf, offered, verificationTimeUtc);
        }
    }

    private ChainOutcome? Cached(CachedCertificate leaf, IReadOnlyList<CachedCertificate> offered, DateTimeOffset verificationTimeUtc)
    {
        if (_trusted.TryGetValue(leaf.Sha256, out ImmutableArray<ChainOutcome> known))
        {
            foreach (ChainOutcome outcome in known)
            {
                if (verificationTimeUtc >= outcome.ValidFrom && verificationTimeUtc <= outcome.ValidTo
                    && outcome.Intermediates.All(i => offered.Any(o => o.Sha256 == i) || _anchors.IntermediateSha256.Contains(i)))
                {
                    return outcome;
                }
            }
        }

        return _untrusted.TryGetValue((CacheKey(leaf, offered), verificationTimeUtc.UtcTicks), out ChainOutcome? failed) ? failed : null;
    }

    private ChainOutcome BuildAndRemember(CachedCertificate leaf, IReadOnlyList<CachedCertificate> offered, DateTimeOffset verificationTimeUtc)
    {
        long started = VerifierCounters.Now;
        ChainOutcome built = Build(leaf, offered, verificationTimeUtc);
        _counters.ChainBuilt(started);
        if (_trusted.Count + _untrusted.Count < MaxCachedKeys)
        {
            if (built.Trusted)
            {
                _trusted.AddOrUpdate(leaf.Sha256, [built], (_, list) => list.Add(built));
            }
            else
            {
                _untrusted.TryAdd((CacheKey(leaf, offered), verificationTimeUtc.UtcTicks), built);
            }
        }

        return built;
    }

    private ChainOutcome Build(CachedCertificate leaf, IReadOnlyList<CachedCertificate> offered, DateTimeOffset verificationTimeUtc)
    {
        using var chain = new X509Chain();
        X509ChainPolicy policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = verificationTimeUtc.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.CustomTrustStore.AddRange(_anchors.Roots);
        foreach (CachedCertificate certificate in offered)
        {
            policy.ExtraStore.Add(certificate.Certificate);
        }

        policy.ExtraStore.AddRange(_anchors.Intermediates);

        try
        {
            return Outcome(chain, chain.Build(leaf.Certificate));
        }
        catch (CryptographicException ex)
        {
            // Certificates are validated at load, so this is a last guard: a hostile chain is untrusted, never a crash.
            return new ChainOutcome(false, false, null, null, [$"chain build failed: {ex.Message}"], verificationTimeUtc, verificationTimeUtc);
        }
    }

    private ChainOutcome Outcome(X509Chain chain, bool built)
    {
        X509ChainElementCollection elements = chain.ChainElements;
        X509Certificate2? top = elements.Count > 0 ? elements[^1].Certificate : null;
        string? topSha256 = top is null ? null : TrustAnchors.Thumbprint256(top);
        bool endsInAnchor = topSha256 is not null && _anchors.RootSha256.Contains(topSha256);
        var problems = ImmutableArray.CreateBuilder<string>();
        foreach (X509ChainStatus status in chain.ChainStatus)
        {
            if (status.Status != X509ChainStatusFlags.NoError)
            {
                problems.Add(status.Status.ToString());
            }
        }

        bool trusted = built && endsInAnchor;
        if (built && !endsInAnchor)
        {
            problems.Add("chain does not end in a trust anchor");
        }

        DateTimeOffset from = DateTimeOffset.MinValue;
        DateTimeOffset to = DateTimeOffset.MaxValue;
        foreach (X509ChainElement element in elements)
        {
            var notBefore = new DateTimeOffset(element.Certificate.NotBefore.ToUniversalTime());
            var notAfter = new DateTimeOffset(element.Certificate.NotAfter.ToUniversalTime());
            from = notBefore > from ? notBefore : from;
            to = notAfter < to ? notAfter : to;
        }

        var intermediates = ImmutableArray.CreateBuilder<string>();
        for (int i = 1; i < elements.Count - 1; i++)
        {
            intermediates.Add(TrustAnchors.Thumbprint256(elements[i].Certificate));
        }

        return new ChainOutcome(
            trusted,
            trusted && TrustAnchors.IsPinnedMicrosoftRoot(topSha256!),
            top?.Subject,
            topSha256,
            problems.ToImmutable(),
            from,
            to)
        {
            Intermediates = intermediates.ToImmutable(),
            RootOrigin = trusted ? _anchors.OriginOf(topSha256) : RootOrigin.None,
        };
    }

    private static string CacheKey(CachedCertificate leaf, IReadOnlyList<CachedCertificate> offered)
    {
        var thumbprints = new List<string>(offered.Count);
        foreach (CachedCertificate certificate in offered)
        {
            thumbprints.Add(certificate.Sha256);
        }

        thumbprints.Sort(StringComparer.Ordinal);
        var builder = new StringBuilder(leaf.Sha256);
        foreach (string thumbprint in thumbprints)
        {
            builder.Append('|').Append(thumbprint);
        }

        return builder.ToString();
    }
}
