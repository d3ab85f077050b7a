using CsrssForensics.Fleet.Batch;
using Spectre.Console;

namespace CsrssForensics.Cli.Commands;

/// <summary>
/// Batch progress on stderr (stdout stays the result): a Spectre.Console live bar (bundles done/total, binaries
/// verified, current host) on a terminal, one plain line per bundle otherwise. Host names pass the terminal filter and
/// are escaped for Spectre's markup, so a bundle cannot colour or move the cursor.
/// </summary>
internal static class FleetProgressDisplay
{
    public static FleetResult Run(IReadOnlyList<BundleInput> inputs, FleetOptions options)
    {
        if (Console.IsErrorRedirected)
        {
            return FleetRunner.Run(inputs, options, new PlainLines());
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        FleetResult? result = null;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("bundles", maxValue: Math.Max(1, inputs.Count));
                result = FleetRunner.Run(inputs, options, new LiveBar(task));
            });
        return result!;
    }

    private static string Host(FleetProgressUpdate update) => TerminalText.Printable(update.Last.HostName ?? update.Last.InputName);

    private sealed class LiveBar(ProgressTask task) : IFleetProgress
    {
        public void Started(int total) => task.MaxValue = Math.Max(1, total);

        public void Finished(FleetProgressUpdate update)
        {
            task.Value = update.Done;
            task.Description = Markup.Escape(
                $"{update.Done}/{update.Total} bundles, {update.BinariesVerified} binaries verified, {update.BinariesReused} reused; last: {Host(update)}");
        }
    }

    private sealed class PlainLines : IFleetProgress
    {
        public void Started(int total) => Console.Error.WriteLine($"analysing {total} bundles");

        public void Finished(FleetProgressUpdate update) =>
            Console.Error.WriteLine($"[{update.Done}/{update.Total}] {HostStatuses.Word(update.Last.Status)} {Host(update)} (binaries: {update.BinariesVerified} verified, {update.BinariesReused} reused)");
    }
}
