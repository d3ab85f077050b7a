using System.Text.RegularExpressions;
using CsrssForensics.Analysis.Composition;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Strings that tie a configuration file or script to a coin miner: pool URLs, pool hosts and ports, wallet addresses
/// and miner configuration keys. A table of patterns, each with the wording code of the reason shown to the
/// responder, so a new indicator is one line here and one in report-wording.json. Every pattern is non-backtracking:
/// the text is written by the attacker.
/// </summary>
internal static partial class MiningIndicators
{
    private const int MaxShownLength = 120;

    /// <summary>One pattern and the wording code of the reason it gives (filled with the file kind and the matched text).</summary>
    private sealed record Indicator(Regex Pattern, string Code);

    private static readonly Indicator[] _indicators =
    [
        new(StratumUrl(), ContextLineCodes.SiblingMiningPool),
        new(PoolHost(), ContextLineCodes.SiblingMiningPoolHost),
        new(MiningPort(), ContextLineCodes.SiblingMiningPort),
        new(MoneroAddress(), ContextLineCodes.SiblingWalletMonero),
        new(BitcoinBech32Address(), ContextLineCodes.SiblingWalletBitcoin),
        new(EthereumAddress(), ContextLineCodes.SiblingWalletEthereum),
        new(MinerKey(), ContextLineCodes.SiblingMinerSettings),
        new(MinerAlgorithm(), ContextLineCodes.SiblingMiningAlgorithm),
    ];

    /// <summary>The indicators <paramref name="text"/> shows, one per pattern that matches (its first match, shortened), in table order.</summary>
    public static List<(string Code, string Value)> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<(string Code, string Value)>();
        var shown = new List<string>();
        foreach (var indicator in _indicators)
        {
            var match = indicator.Pattern.Match(text);
            if (!match.Success)
            {
                continue;
            }

            // The part worth showing (a named group "show" when the pattern has one), said once: the host:port
            // inside a stratum URL already shown is not a second reason.
            var value = match.Groups["show"] is { Success: true } show ? show.Value : match.Value;
            if (shown.Any(s => s.Contains(value, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            shown.Add(value);
            found.Add((indicator.Code, Shorten(value)));
        }

        return found;
    }

    private static string Shorten(string value)
    {
        var single = value.ReplaceLineEndings(" ");
        return single.Length <= MaxShownLength ? single : single[..MaxShownLength] + "...";
    }

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    [GeneratedRegex("""stratum\d?\+(?:tcp|ssl|tls)://[A-Za-z0-9.\-_]{1,253}(?::[0-9]{1,5})?""", Options)]
    private static partial Regex StratumUrl();

    // A host with "pool" in a label and a port: pool.minexmr.com:4444, xmr-eu1.nanopool.org:14433.
    [GeneratedRegex("""\b(?:[A-Za-z0-9\-]{1,63}\.){0,4}[A-Za-z0-9\-]{0,63}pool[A-Za-z0-9\-]{0,63}(?:\.[A-Za-z0-9\-]{1,63}){1,6}:[0-9]{2,5}\b""", Options)]
    private static partial Regex PoolHost();

    [GeneratedRegex("""\b[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:\.[A-Za-z0-9\-]{1,63}){1,6}:(?:3333|4444|5555|7777|14433|14444|45560|45700)\b""", Options)]
    private static partial Regex MiningPort();

    // Monero standard (4...) and subaddress (8...) addresses: 95 base58 characters.
    [GeneratedRegex("""\b[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}\b""", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex MoneroAddress();

    [GeneratedRegex("""\bbc1[ac-hj-np-z02-9]{25,87}\b""", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex BitcoinBech32Address();

    [GeneratedRegex("""\b0x[0-9a-fA-F]{40}\b""", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex EthereumAddress();

    // XMRig-style keys, quoted as JSON writes them or as ini/yaml keys at a line start.
    [GeneratedRegex("""["']?(?<show>donate-level|donate-over-proxy|rig-id|randomx|cpu-max-threads-hint|max-cpu-usage)["']?\s*[:=]""", Options)]
    private static partial Regex MinerKey();

    [GeneratedRegex("""["']?(?:algo|algorithm|coin)["']?\s*[:=]\s*["']?(?<show>rx/[0-9a-z]+|randomx|cn/[0-9a-z]+|cn-[a-z]+|cryptonight[a-z\-]*|kawpow|ethash|etchash|autolykos2?|monero|xmr)""", Options)]
    private static partial Regex MinerAlgorithm();
}
