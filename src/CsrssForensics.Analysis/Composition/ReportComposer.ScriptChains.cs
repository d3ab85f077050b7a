using System.Collections.Immutable;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;

using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Composition;

/// <summary>A fake started through a script: the launcher, the script and the fake are removed together.</summary>
internal sealed partial class ReportComposer
{
    /// <summary>
    /// One "do" per launcher -> script -> fake chain: removing the fake alone leaves a launcher that fails quietly,
    /// and removing the launcher alone leaves a script that anything can run again.
    /// </summary>
    private IEnumerable<ActionItem> ChainRemovals(string fakePath) =>
        _correlation.ScriptChainsTo(fakePath)
            .Select(c => (Text: ScriptChain.LauncherText(c.Launcher), c.Script, Chain: c.Describe()))
            .DistinctBy(c => (c.Text, c.Script), EqualityComparer<(string, string)>.Default)
            .OrderBy(c => c.Text, StringComparer.Ordinal)
            .ThenBy(c => c.Script, StringComparer.Ordinal)
            .Select(c => ReportWording.Action(
                ItemCodes.RemoveChain, fakePath, ("chain", c.Chain), ("launcher", c.Text), ("script", c.Script), ("path", fakePath)));

    /// <summary>The scripts through which the launcher reaches the subject ("C:\x\run.bat"), or null when it starts it directly.</summary>
    private static string? ScriptsBetween(ImmutableArray<ScriptChain> chains, LauncherLink launcher)
    {
        var scripts = chains
            .Where(c => c.Launcher.Name == launcher.Name && c.Launcher.Evidence == launcher.Evidence)
            .Select(c => c.Script)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return scripts.Count == 0 ? null : string.Join(", ", scripts);
    }
}
