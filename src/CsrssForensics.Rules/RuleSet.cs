using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Reflection;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules.Facts;
using CsrssForensics.Rules.Loading;
using CsrssForensics.Rules.LookAlike;
using CsrssForensics.Rules.Model;
using CsrssForensics.Rules.Text;

namespace CsrssForensics.Rules;

/// <summary>
/// The rules as data (core-process table, finding catalog, decision trees), loaded from the embedded
/// <c>rules.json</c> or an override, validated against <c>schemas/rules.schema.json</c>, and the evaluator that turns a
/// <see cref="SubjectContext"/> into a verdict with the path it took.
/// </summary>
public sealed partial class RuleSet
{
    private const int MaxSteps = 256;

    // The shipped rules skip the schema pass (a third of a small run's time): a test validates them instead.
    private static readonly Lazy<RuleSet> _embedded = new(() => new(RuleSetLoader.Load(ReadEmbedded(), checkSchema: false)));

    private readonly RuleDefinition _definition;
    private readonly FrozenDictionary<string, CoreProcessRule> _coreByName;
    private readonly LookAlikeMatcher _matcher;
    private readonly MockFolderDetector _mock;
    private readonly FrozenDictionary<string, FindingRule> _findingsByCode;
    private readonly Lazy<IReadOnlyList<FindingDefinition>> _findingDefinitions;
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _rowText;
    private readonly FrozenDictionary<Condition, string[]> _conditionFacts;

    private RuleSet(RuleDefinition definition)
    {
        _definition = definition;
        var byName = new Dictionary<string, CoreProcessRule>(StringComparer.OrdinalIgnoreCase);
        foreach (var core in definition.CoreProcesses)
        {
            byName[core.Name] = core;
            var dot = core.Name.LastIndexOf('.');
            if (dot > 0)
            {
                byName.TryAdd(core.Name[..dot], core);
            }
        }

        _coreByName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _matcher = new LookAlikeMatcher(definition.CoreProcesses.Select(c => (c.Name, c.LookAlike)), definition.KnownWindowsNames, Confusables.Embedded);
        _mock = new MockFolderDetector(Confusables.Embedded);
        _findingsByCode = definition.Findings.ToFrozenDictionary(f => f.Code, StringComparer.Ordinal);
        _findingDefinitions = new(() => Define(definition.Findings, definition.Trees.Values.SelectMany(t => t.Nodes.Values).OfType<LeafNode>()));
        _rowText = definition.CoreProcesses.ToFrozenDictionary(core => core.Name, Placeholders.ForRow, StringComparer.OrdinalIgnoreCase);
        _conditionFacts = ConditionFacts(definition.Trees.Values);
    }

    /// <summary>The version string of the rules document.</summary>
    public string Version => _definition.Version;

    /// <summary>The core-process table, in document order.</summary>
    public IReadOnlyList<CoreProcessRule> CoreProcesses => _definition.CoreProcesses;

    /// <summary>The source keys used in references, with what each stands for (for the report's bibliography).</summary>
    public IReadOnlyDictionary<string, string> Sources => _definition.Sources;

    /// <summary>The look-alike matcher built from this rule set's table.</summary>
    public LookAlikeMatcher LookAlikeMatcher => _matcher;

    /// <summary>The rules shipped with the assembly (loaded and checked for consistency once; their schema check is a test).</summary>
    public static RuleSet LoadEmbedded() => _embedded.Value;

    /// <summary>The embedded rules document as text, e.g. to write it out as a starting point for an override.</summary>
    public static string ReadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("rules.json")
            ?? throw new InvalidOperationException("The embedded resource rules.json is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Loads a rules document (e.g. an override file's text).</summary>
    /// <exception cref="RuleSetException">The JSON is malformed, breaks the schema or is inconsistent; every problem is listed.</exception>
    public static RuleSet Load(string json) => new(RuleSetLoader.Load(json)) { _document = json };

    /// <summary>The table row whose name is exactly <paramref name="fileName"/> (case-insensitive; ".exe" optional), or null.</summary>
    public CoreProcessRule? FindCoreProcess(string fileName) =>
        fileName is not null && _coreByName.TryGetValue(fileName.Trim(), out var core) ? core : null;

    /// <summary>The real name <paramref name="fileName"/> is or imitates; null when it is neither exact nor a look-alike.</summary>
    public LookAlikeMatch? FindLookAlike(string fileName) => fileName is null ? null : _matcher.Match(fileName);

    /// <summary>True when the name is a core-process name or a look-alike of one, so a verdict is due.</summary>
    public bool AppliesTo(string? fileName) => fileName is not null && _matcher.Match(fileName) is not null;

    /// <summary>Judges one subject: computes the facts, walks the tree of its core process, collects findings.</summary>
    public SubjectVerdictOutcome Evaluate(SubjectContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (core, match) = Resolve(context);
        var facts = SubjectFacts.Compute(context, core, match, name => _matcher.Match(name), _mock);
        var tree = _definition.Trees[core is null ? _definition.OutOfScopeTree : core.Tree];
        var row = core is null ? FrozenDictionary<string, string>.Empty : _rowText[core.Name];
        string Fill(string template) => Placeholders.Fill(template, facts.Values, row);

        // Sized for the shipped trees' paths (about a dozen steps), so the path rarely regrows.
        var path = ImmutableArray.CreateBuilder<DecisionStep>(16);
        var id = tree.Root;
        for (var step = 0; step < MaxSteps; step++)
        {
            var node = tree.Nodes[id];
            switch (node)
            {
                case DecisionNode decision:
                    var answer = decision.Condition.Evaluate(facts.Values);
                    var next = answer switch
                    {
                        Tri.True => decision.Yes,
                        Tri.False => decision.No,
                        _ => decision.Unknown ?? decision.No,
                    };
                    var answerText = answer switch
                    {
                        Tri.True => "yes",
                        Tri.False => "no",
                        _ => decision.Unknown is null ? "unknown (treated as no)" : "unknown",
                    };
                    path.Add(new DecisionStep(decision.Id, Fill(decision.Question), Answer(answerText, decision.Condition, facts.Values), decision.References));
                    id = next;
                    break;
                case SwitchNode choice:
                    var value = facts.Values[choice.Fact].Display;
                    path.Add(new DecisionStep(choice.Id, Fill(choice.Question), $"{choice.Fact} = {value}{Qualifier(choice.Fact, facts.Values)}", choice.References));
                    id = choice.Cases.TryGetValue(value, out var target) ? target : choice.Default;
                    break;
                case LeafNode leaf:
                    path.Add(new DecisionStep(leaf.Id, "Verdict", leaf.Verdict.ToString().ToLowerInvariant(), leaf.References));
                    var reason = Fill(leaf.Reason);
                    return new SubjectVerdictOutcome(leaf.Verdict, reason, path.ToImmutable(), Findings(leaf, core, context, facts, row), new FactsText(facts.Values))
                    {
                        ReasonLine = new ReportLine(reason) { Code = leaf.ReasonCode, Params = Placeholders.Values(leaf.Reason, facts.Values, row) },
                    };
            }
        }

        // The loader rejects cycles, so this is a bug guard, not an expected outcome.
        throw new InvalidOperationException($"Decision tree '{tree.Id}' did not reach a leaf within {MaxSteps} steps.");
    }

    /// <summary>
    /// A signature answer always says where it came from, so "MicrosoftSigned" from the host's own
    /// Get-AuthenticodeSignature can never read like a chain this tool verified.
    /// </summary>
    private static string Qualifier(string fact, IReadOnlyDictionary<string, FactValue> values) =>
        fact == FactNames.SignatureStatus && values.TryGetValue(FactNames.SignatureSource, out var source)
            ? $" (source: {source.Display})"
            : string.Empty;

    private (CoreProcessRule? Core, LookAlikeMatch? Match) Resolve(SubjectContext context)
    {
        var fileName = SubjectFacts.JudgedFileName(context);
        var match = fileName is null ? null : _matcher.Match(fileName);
        if (match is null)
        {
            // The image file is not a core name but the process list says it is (PEB or listing tampering): judge it
            // as that core process, so the name mismatch and the wrong folder show.
            foreach (var name in new[] { context.Process?.Name, context.Subject.Name })
            {
                if (!string.IsNullOrWhiteSpace(name) && _matcher.Match(name) is { } byName)
                {
                    match = byName;
                    break;
                }
            }
        }

        return match is null ? (null, null) : (FindCoreProcess(match.RealName), match);
    }

    private ImmutableArray<Finding> Findings(LeafNode leaf, CoreProcessRule? core, SubjectContext context, SubjectFacts facts, IReadOnlyDictionary<string, string> row)
    {
        var result = ImmutableArray.CreateBuilder<Finding>();
        var emitted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var treeCode in leaf.Findings)
        {
            var code = core is null ? treeCode : core.FindingCode(treeCode);
            if (_findingsByCode.TryGetValue(code, out var rule) && emitted.Add(code))
            {
                result.Add(Build(rule, context, facts, row));
            }
        }

        foreach (var rule in _definition.Findings)
        {
            if (rule.When is not null && rule.When.Evaluate(facts.Values) == Tri.True && emitted.Add(rule.Code))
            {
                result.Add(Build(rule, context, facts, row));
            }
        }

        return result.ToImmutable();
    }

    private static Finding Build(FindingRule rule, SubjectContext context, SubjectFacts facts, IReadOnlyDictionary<string, string> row)
    {
        var evidence = new List<EvidenceRef>();
        foreach (var kind in rule.Evidence)
        {
            switch (kind)
            {
                case FindingEvidence.Subject:
                    AddIf(evidence, context.Process?.Source);
                    AddIf(evidence, context.File?.Source);
                    break;
                case FindingEvidence.Parent:
                    AddIf(evidence, context.LivingParent?.Source);
                    break;
                case FindingEvidence.Children:
                    foreach (var child in facts.UnexpectedChildren)
                    {
                        AddIf(evidence, child.Source);
                    }

                    break;
                case FindingEvidence.Launchers:
                    foreach (var launcher in facts.UnexpectedLaunchers)
                    {
                        AddIf(evidence, launcher.Evidence);
                    }

                    break;
                case FindingEvidence.Signature:
                    foreach (var item in context.Signature.Evidence)
                    {
                        AddIf(evidence, item);
                    }

                    break;
                case FindingEvidence.Binary:
                    AddIf(evidence, context.Binary is null ? null : new EvidenceRef(context.Binary.BundlePath));
                    break;
                case FindingEvidence.SameSession:
                    foreach (var duplicate in facts.SessionDuplicates)
                    {
                        AddIf(evidence, duplicate.Source);
                    }

                    break;
            }
        }

        return new Finding(rule.Code, rule.Severity, Placeholders.Fill(rule.Title, facts.Values, row), Placeholders.Fill(rule.Detail, facts.Values, row), [.. evidence]);
    }

    private static void AddIf(List<EvidenceRef> list, EvidenceRef? item)
    {
        if (item is not null && !list.Contains(item))
        {
            list.Add(item);
        }
    }
}
