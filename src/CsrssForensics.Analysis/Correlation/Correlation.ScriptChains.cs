using System.Collections.Immutable;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>Launchers that start a program through one script (see <see cref="ScriptIndirection"/>).</summary>
public sealed partial class Correlation
{
    private List<ScriptChain> _scriptChains = [];
    private Dictionary<ResolvedLauncher, List<ScriptChain>> _chainsByLauncher = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, List<ScriptChain>> _chainsByStarted = new(StringComparer.Ordinal);

    /// <summary>Every launcher -> script -> program link, in <see cref="Launchers"/> order.</summary>
    public IReadOnlyList<ScriptChain> ScriptChains => _scriptChains;

    /// <summary>The chains that end in the program at <paramref name="normalizedPath"/> (case-insensitive), in launcher order.</summary>
    public ImmutableArray<ScriptChain> ScriptChainsTo(string? normalizedPath) =>
        KeyOf(normalizedPath) is { } key && _chainsByStarted.TryGetValue(key, out var chains) ? [.. chains] : [];

    private List<ScriptChain> ChainsFrom(ResolvedLauncher launcher) =>
        _chainsByLauncher.TryGetValue(launcher, out var chains) ? chains : [];

    /// <summary>
    /// The launchers with an <see cref="LauncherCodes.ScriptChain"/> finding per program they start through a
    /// script, and the chains pointing at those final launcher records.
    /// </summary>
    private (List<ResolvedLauncher> Launchers, List<ScriptChain> Chains) WithScriptChains(
        List<ResolvedLauncher> launchers, List<ScriptChain> chains)
    {
        var byLauncher = new Dictionary<ResolvedLauncher, List<ScriptChain>>(ReferenceEqualityComparer.Instance);
        foreach (var chain in chains)
        {
            if (!byLauncher.TryGetValue(chain.Launcher, out var list))
            {
                list = [];
                byLauncher[chain.Launcher] = list;
            }

            list.Add(chain);
        }

        var finalLaunchers = new List<ResolvedLauncher>(launchers.Count);
        var finalChains = new List<ScriptChain>(chains.Count);
        _chainsByLauncher = new Dictionary<ResolvedLauncher, List<ScriptChain>>(ReferenceEqualityComparer.Instance);
        foreach (var launcher in launchers)
        {
            if (!byLauncher.TryGetValue(launcher, out var own))
            {
                finalLaunchers.Add(launcher);
                continue;
            }

            var findings = launcher.Findings.ToBuilder();
            findings.AddRange(own.Select(ChainFinding));
            var updated = launcher with { Findings = findings.ToImmutable() };
            var updatedChains = own.Select(c => c with { Launcher = updated }).ToList();
            finalLaunchers.Add(updated);
            finalChains.AddRange(updatedChains);
            _chainsByLauncher[updated] = updatedChains;
            foreach (var chain in updatedChains)
            {
                var key = WindowsPath.Key(chain.Started);
                if (!_chainsByStarted.TryGetValue(key, out var list))
                {
                    list = [];
                    _chainsByStarted[key] = list;
                }

                list.Add(chain);
            }
        }

        return (finalLaunchers, finalChains);
    }

    private Finding ChainFinding(ScriptChain chain)
    {
        var name = WindowsPath.FileName(chain.Started);
        var coreOutside = Names.IsCoreName(name) && !WindowsPath.IsUnder(chain.Started, _systemRoot);
        return Rules.Produce(LauncherCodes.ScriptChain, coreOutside ? LauncherVariants.CoreNameOutside : null, chain.Evidence,
            ("chain", chain.Describe()));
    }
}
