using System.CommandLine;
using CsrssForensics.Cli.Commands;

namespace CsrssForensics.Cli;

/// <summary>Entry point: parse, call, render. The only project that touches the console, environment and exit codes.</summary>
internal static class Program
{
    /// <summary>Set to 1 to get the stack trace of an internal error.</summary>
    internal const string DebugVariable = "CSRSS_FORENSICS_DEBUG";

    private static int Main(string[] args)
    {
        try
        {
            return Run(args);
        }
        catch (CliFailure failure)
        {
            Console.Error.WriteLine($"error: {TerminalText.Printable(failure.Message)}");
            return failure.ExitCode;
        }
        catch (Exception bug)
        {
            // Out of memory included: the stack has unwound, so there is memory again for one line.
            Console.Error.WriteLine($"internal error: {bug.GetType().Name}: {TerminalText.Printable(bug.Message.TrimEnd('.'))}; please report");
            if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
            {
                Console.Error.WriteLine(bug.ToString());
            }

            return ExitCodes.InternalFailure;
        }
    }

    private static int Run(string[] args)
    {
        var root = new RootCommand("CsrssForensics: offline verdicts on csrss.exe and other core Windows processes from a collected bundle.")
        {
            AnalyzeCommand.Create(),
            VerifyCommand.Create(),
            BenchCommand.Create(),
            RulesCommand.Create(),
            QueryCommand.Create(),
            FleetBenchCommand.Create(),
        };
        ExitCodeHelp.Install(root);
        var parse = root.Parse(args);
        // --help and --version answer even when the rest of the line is incomplete ("verify --help").
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"error: {TerminalText.Printable(error.Message)}");
            }

            Console.Error.WriteLine("Run with --help for usage.");
            return ExitCodes.UsageError;
        }

        // The default handler prints a stack trace and exits 1 (the code for "compromised"): ours maps to 70 instead.
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
