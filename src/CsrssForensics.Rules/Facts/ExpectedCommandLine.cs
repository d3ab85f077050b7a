using CsrssForensics.Windows.CommandLines;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Rules.Facts;

/// <summary>Whether a core process's command line has the shape Windows gives it (csrss's SubSystems value, svchost's -k group).</summary>
internal static class ExpectedCommandLine
{
    /// <summary>
    /// csrss: the process command line against SubSystems\Windows. %SystemRoot% is expanded on both sides (smss
    /// leaves it unexpanded in the command line, the registry value holds it unexpanded, collectors may expand it);
    /// the program is compared as a normalized path, the arguments case-insensitively with all white space removed.
    /// </summary>
    internal static bool Matches(string actual, string expected, string systemRoot)
    {
        var (programA, argumentsA) = SplitProgram(ExpandSystemRoot(actual, systemRoot));
        var (programE, argumentsE) = SplitProgram(ExpandSystemRoot(expected, systemRoot));
        var pathA = WindowsPath.Normalize(programA, systemRoot);
        var pathE = WindowsPath.Normalize(programE, systemRoot);
        return pathA is not null && pathE is not null
            && string.Equals(WindowsPath.Key(pathA), WindowsPath.Key(pathE), StringComparison.Ordinal)
            && string.Equals(Squeeze(argumentsA), Squeeze(argumentsE), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// csrss when the host's SubSystems value was not collected: the command line must still look like one smss
    /// builds from it (ObjectDirectory=, SubSystemType=Windows, ServerDll=); a bare or foreign command line does not.
    /// </summary>
    internal static bool LooksLikeSubSystems(string actual) =>
        actual.Contains("ObjectDirectory=", StringComparison.OrdinalIgnoreCase)
        && actual.Contains("SubSystemType=Windows", StringComparison.OrdinalIgnoreCase)
        && actual.Contains("ServerDll=", StringComparison.OrdinalIgnoreCase);

    // The program ends at the closing quote when it starts with one, else at the first white space (CommandLineToArgvW).
    private static (string Program, string Arguments) SplitProgram(string commandLine)
    {
        var text = commandLine.TrimStart();
        if (text.StartsWith('"'))
        {
            var close = text.IndexOf('"', 1);
            return close < 0 ? (text[1..], string.Empty) : (text[1..close], text[(close + 1)..]);
        }

        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return (text[..end], text[end..]);
    }

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string ExpandSystemRoot(string text, string systemRoot) =>
        text.Replace("%SystemRoot%", systemRoot, StringComparison.OrdinalIgnoreCase)
            .Replace("%windir%", systemRoot, StringComparison.OrdinalIgnoreCase);

    internal static bool HasServiceGroup(string commandLine)
    {
        var tokens = CommandLine.Tokenize(commandLine);
        for (var i = 1; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Equals("-k", StringComparison.OrdinalIgnoreCase) || token.Equals("/k", StringComparison.OrdinalIgnoreCase))
            {
                return i + 1 < tokens.Length && tokens[i + 1].Trim().Length > 0 && !tokens[i + 1].StartsWith('-');
            }
        }

        return false;
    }
}
