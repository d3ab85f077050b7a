using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace CsrssForensics.Cli;

/// <summary>
/// The exit-code tables printed after the usual <c>--help</c> text (the same tables as docs/exit-codes.md), so a script
/// writer finds them where they look first.
/// </summary>
internal static class ExitCodeHelp
{
    /// <summary>The table for the root command and <c>analyze</c>.</summary>
    public const string Analyze = """
        Exit codes:
          0   clean: every core process examined and verified offline as the genuine component
          1   compromised: at least one evidence-backed fake
          2   suspicious: something needs a human (no proven fake)
          3   inconclusive: nothing wrong found, but not everything could be verified offline or examined
          64  usage error: unknown command or option, bad option value (e.g. --format pdf)
          65  not a bundle, unreadable bundle, bad --rules or --rules-overlay file, --roots without a certificate
          70  internal error (a bug or out of memory): please report it (CSRSS_FORENSICS_DEBUG=1 prints the stack trace)
          73  output folder unusable: holds reports (use --force), inside the bundle, not creatable or not writable
        """;

    /// <summary>The table for <c>verify</c>.</summary>
    public const string Verify = """
        Exit codes:
          0   every file was read and verified (whatever the verdicts: read them from the output)
          64  usage error: unknown option, bad --time
          65  a file or folder named could not be read or does not exist (every other file is still verified and
              printed), or --catalogs / --roots could not be used
          70  internal error: please report it
        """;

    /// <summary>The table for <c>bench</c>.</summary>
    public const string Bench = """
        Exit codes:
          0   measured (or the folder holds no PE file)
          64  usage error: --threads or --rounds below 1
          65  the folder does not exist
          70  internal error: please report it
        """;

    /// <summary>Makes the root's help option print the table of the command asked about after its usual text.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction usual } help)
            {
                help.Action = new WithExitCodes(usual);
            }
        }
    }

    private static string TableFor(Command command) => command.Name switch
    {
        "verify" => Verify,
        "bench" => Bench,
        _ => Analyze,
    };

    private sealed class WithExitCodes(HelpAction usual) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => usual.ClearsParseErrors;

        public override int Invoke(ParseResult parseResult)
        {
            var result = usual.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(TableFor(parseResult.CommandResult.Command));
            return result;
        }
    }
}
