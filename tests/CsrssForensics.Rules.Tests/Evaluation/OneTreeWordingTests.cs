using CsrssForensics.Core.Verdicts;
using static CsrssForensics.Rules.Tests.Evaluation.Contexts;

namespace CsrssForensics.Rules.Tests.Evaluation;

/// <summary>One tree, several rows: the same node speaks about the row being judged.</summary>
public sealed class OneTreeWordingTests
{
    private readonly RuleSet _rules = RuleSet.LoadEmbedded();

    private static string Question(SubjectVerdictOutcome outcome, string id) =>
        outcome.DecisionPath.Single(s => s.NodeId == id).Question;

    [Fact]
    public void The_folder_question_names_each_rows_own_folders()
    {
        var csrss = _rules.Evaluate(GenuineCsrss());
        var svchost = _rules.Evaluate(ProcessAt("svchost.exe", @"C:\Windows\System32\svchost.exe", SignatureStatus.MicrosoftSigned, session: 0));

        Assert.Equal("Is the file in System32 (the expected folder from the core-process table)?", Question(csrss, "CORE-030"));
        Assert.Equal("Is the file in System32 or SysWOW64 (the expected folder from the core-process table)?", Question(svchost, "CORE-030"));
    }

    [Fact]
    public void Parent_children_and_command_line_questions_carry_the_rows_table_values()
    {
        var csrss = _rules.Evaluate(GenuineCsrss());

        Assert.Contains("a living parent not in the table's list: smss.exe; or", Question(csrss, "CORE-043"), StringComparison.Ordinal);
        Assert.Contains("allowed list: conhost.exe, WerFault.exe, WerFaultSecure.exe, wermgr.exe, ngentask.exe, SearchProtocolHost.exe?", Question(csrss, "CORE-046"), StringComparison.Ordinal);
        Assert.Equal("Does the command line differ from what the table expects of csrss.exe (shape subSystemsWindows)?", Question(csrss, "CORE-045"));
    }

    [Theory]
    [InlineData("csrss.exe", @"C:\Users\a\AppData\Roaming\csrss.exe", "A file named like csrss.exe in a user-writable folder, not signed by Microsoft", "only the System32 copy remains")]
    [InlineData("svchost.exe", @"C:\Users\a\AppData\Roaming\svchost.exe", "A file named like svchost.exe in a user-writable folder, not signed by Microsoft", "only the System32 or SysWOW64 copy remains")]
    public void Leaf_reasons_name_the_process_and_its_folders(string name, string path, string opening, string closing)
    {
        var outcome = _rules.Evaluate(ProcessAt(name, path, SignatureStatus.NotSigned));

        Assert.Equal(Verdict.Fake, outcome.Verdict);
        Assert.Equal("CORE-066", outcome.Ids()[^1]);
        Assert.StartsWith(opening, outcome.Reason, StringComparison.Ordinal);
        Assert.Contains(closing, outcome.Reason, StringComparison.Ordinal);
    }
}
