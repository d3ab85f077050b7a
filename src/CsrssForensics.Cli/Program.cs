using System.CommandLine;
using CsrssForensics.Cli.Commands;

namespace CsrssForensics.Cli;

/// <summary>Entry point: parse, call, render. The only project that touches the console, environment and exit codes.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("CsrssForensics: offline verdicts on csrss.exe and other core Windows processes from a collected bundle.")
        {
            AnalyzeCommand.Create(),
            VerifyCommand.Create(),
            BenchCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
