using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Verdicts;
using FsCheck;
using FsCheck.Xunit;
using static CsrssForensics.Rules.Tests.Evaluation.Contexts;

namespace CsrssForensics.Rules.Tests.Evaluation;

/// <summary>Process names, paths and command lines are written by the attacker: no text may make the evaluator throw.</summary>
public sealed class HostileContextTests
{
    private static readonly RuleSet _rules = RuleSet.LoadEmbedded();

    [Property(MaxTest = 300)]
    public bool Evaluate_never_throws_on_hostile_text(string? name, string? path, string? commandLine, string? user, string? original)
    {
        var context = GenuineCsrss() with
        {
            Subject = new Subject(SubjectKind.Process, name ?? string.Empty, path, 1),
            Process = Process(1, name ?? string.Empty, path, commandLine: commandLine, user: user),
            Binary = original is null ? null : Binary(original, description: original),
            SameNameCopies = path is null ? [] : [path],
            Launchers = [Task(path ?? "x")],
        };

        var outcome = _rules.Evaluate(context);

        return outcome.DecisionPath.Length > 0 && Enum.IsDefined(outcome.Verdict);
    }

    [Property(MaxTest = 200)]
    public bool Same_context_gives_the_same_outcome(string? path)
    {
        var context = ProcessAt("csrss.exe", path, SignatureStatus.NotSigned);

        var first = _rules.Evaluate(context);
        var second = _rules.Evaluate(context);

        return first.Verdict == second.Verdict
            && first.DecisionPath.Select(s => s.NodeId + s.Answer).SequenceEqual(second.DecisionPath.Select(s => s.NodeId + s.Answer))
            && first.Facts.SequenceEqual(second.Facts);
    }

    [Fact]
    public void Default_arrays_and_a_missing_signature_are_treated_as_empty_and_unknown()
    {
        var context = GenuineCsrss() with
        {
            Children = default,
            SameNameInSameSession = default,
            SameNameCopies = default,
            Launchers = default,
            Signature = null!,
        };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Inconclusive, outcome.Verdict);
        Assert.Equal("Unknown", outcome.Facts["signature.status"]);
    }

    [Fact]
    public void Garbage_command_line_on_a_genuine_csrss_is_a_mismatch_not_a_crash()
    {
        var context = GenuineCsrss();
        context = context with { Process = context.Process! with { CommandLine = "\"\"\"\\\\?\\\u0000\uFFFF %SystemRoot%%%%" } };

        var outcome = _rules.Evaluate(context);

        Assert.Equal(Verdict.Suspicious, outcome.Verdict);
        Assert.Contains("CSR-CMDLINE-MISMATCH", outcome.Codes());
        Assert.Equal<EvidenceRef>([context.Process.Source, context.File!.Source], outcome.Findings.Single(f => f.Code == "CSR-CMDLINE-MISMATCH").Evidence);
    }
}
