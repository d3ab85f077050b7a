using System.Reflection;
using System.Text.RegularExpressions;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Tests.Wording;

/// <summary>
/// One wording table: every report-line code the analysis emits has a template in report-wording.json, and every
/// template but the general guidance (emitted by the Reporting project, checked there) is emitted by the analysis.
/// </summary>
public sealed partial class ItemCodeCatalogTests
{
    // Every string constant of the analysis assembly shaped like a report-line code, wherever it is declared.
    private static SortedSet<string> CodeConstantsInCode() =>
        new(typeof(BundleAnalyzer).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => ItemCode().IsMatch(v)),
            StringComparer.Ordinal);

    [Fact]
    public void Every_code_the_analysis_emits_has_a_wording_entry_and_every_entry_is_emitted()
    {
        var inTable = new SortedSet<string>(
            ReportWording.Entries.Keys.Where(code => !code.StartsWith("GUIDE-", StringComparison.Ordinal)), StringComparer.Ordinal);

        Assert.NotEmpty(CodeConstantsInCode());
        Assert.Equal<string>(inTable, CodeConstantsInCode());
    }

    [Fact]
    public void Leaf_reason_codes_of_the_rules_and_wording_table_codes_never_coincide()
    {
        // A verdict's reasonLine.code is one or the other; a reader must be able to tell which table words it.
        var leafCodes = CsrssForensics.Rules.RuleSet.LoadEmbedded().LeafReasons.Keys;

        Assert.NotEmpty(leafCodes);
        Assert.All(leafCodes, code => Assert.False(ReportWording.Entries.ContainsKey(code), $"{code} is in both tables"));
    }

    [GeneratedRegex("^(ACT|AFTER|SUM|ROOT|REASON|REC|STEP|NC|GAP|SIB|PROG|LABEL)(-[A-Z0-9]+)+$")]
    private static partial Regex ItemCode();
}
