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
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine("Run with --help for usage.");
            return ExitCodes.Trouble;
        }

        return parse.Invoke();
    }
}
