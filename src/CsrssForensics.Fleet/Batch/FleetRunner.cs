using System.Globalization;
using System.Threading.Channels;
using CsrssForensics.Analysis.Signatures;
using CsrssForensics.Fleet.CaseStore;
using CsrssForensics.Fleet.Stacking;
using CsrssForensics.Fleet.Summary;
using CsrssForensics.Rules;

namespace CsrssForensics.Fleet.Batch;

/// <summary>What a batch produced.</summary>
public sealed record FleetResult(FleetSummary Summary, IReadOnlyList<string> Written);

/// <summary>
/// Runs a batch: bundles in parallel (at most <see cref="FleetOptions.MaxParallel"/> at once, so memory does not grow
/// with their number), each bundle's reports in its own folder under <c>hosts/</c>, one store loop that adds each
/// result to the case database and the stacking table as it arrives, then the fleet summary. An unreadable bundle
/// becomes a row of its own and the rest go on. Binaries an earlier run verified into the same case are not verified
/// again (<see cref="CaseDatabase.ReadSharedResults"/>).
/// </summary>
public static class FleetRunner
{
    /// <summary>The folder below the output that holds one report folder per bundle.</summary>
    public const string HostsFolder = "hosts";

    /// <summary>Runs the batch over <paramref name="inputs"/> (see <see cref="BundleInputs.Expand"/>).</summary>
    public static FleetResult Run(IReadOnlyList<BundleInput> inputs, FleetOptions options, IFleetProgress progress)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var hostsDirectory = Path.Combine(Path.GetFullPath(options.OutputDirectory), HostsFolder);
        Directory.CreateDirectory(hostsDirectory);
        // Rules are read and checked once for the run, not once per bundle.
        var rules = options.Analysis.Rules
            ?? (options.Analysis.RulesJson is null ? RuleSet.LoadEmbedded() : RuleSet.Load(options.Analysis.RulesJson));
        var shared = options.Analysis.SharedBinaries ?? new SharedBinaryResults();
        var analysis = options.Analysis with { Rules = rules, SharedBinaries = shared };

        var channel = Channel.CreateBounded<HostOutcome>(new BoundedChannelOptions(Math.Max(1, options.MaxParallel))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var database = CaseDatabase.Open(options.CasePath);
        foreach (var earlier in database.ReadSharedResults())
        {
            shared.AddEarlier(earlier);
        }

        var stack = new StackTable();
        var rows = new List<HostRow>();
        progress.Started(inputs.Count);
        var store = Task.Run(async () =>
        {
            await foreach (var outcome in channel.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                database.Add(outcome);
                stack.Add(outcome.Row.HostName ?? outcome.Row.InputName, outcome.Stack);
                rows.Add(outcome.Row with { ReportFolder = outcome.StagingFolder });
                progress.Finished(new FleetProgressUpdate(rows.Count, inputs.Count, shared.Verified, shared.Reused, outcome.Row));
            }
        });

        try
        {
            Parallel.ForEachAsync(
                inputs,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallel) },
                async (input, cancel) =>
                {
                    var staging = Path.Combine(hostsDirectory, ".partial-" + input.Index.ToString(CultureInfo.InvariantCulture));
                    if (Directory.Exists(staging))
                    {
                        // Only ever a leftover of an interrupted run of this tool: the name is ours.
                        Directory.Delete(staging, recursive: true);
                    }

                    var outcome = HostAnalysis.Run(input, staging, options.Formats, analysis, rules);
                    await channel.Writer.WriteAsync(outcome, cancel).ConfigureAwait(false);
                }).GetAwaiter().GetResult();
        }
        finally
        {
            channel.Writer.Complete();
            store.GetAwaiter().GetResult();
        }

        var named = NameReportFolders(rows, hostsDirectory, database);
        database.AddSignatures(shared.Results);
        database.Commit();
        var summary = FleetSummary.Build(named, stack, shared.Verified, shared.Reused, shared.ReusedEarlier);
        var written = FleetSummaryWriter.WriteAll(summary, options.OutputDirectory, options.Formats);
        return new FleetResult(summary, written);
    }

    /// <summary>
    /// Gives each analysed bundle its final folder in input order, so the names (and the collision suffixes) are the
    /// same on every run whatever order the bundles finished in.
    /// </summary>
    private static List<HostRow> NameReportFolders(List<HostRow> rows, string hostsDirectory, CaseDatabase database)
    {
        var names = new HostFolderNames(hostsDirectory);
        var named = new List<HostRow>(rows.Count);
        foreach (var row in rows.OrderBy(r => r.InputIndex))
        {
            if (row.ReportFolder is not { } staging || row.Status == HostStatus.Unreadable)
            {
                named.Add(row with { ReportFolder = null });
                continue;
            }

            var name = names.Claim(HostFolderNames.BaseName(row.HostName, row.CollectedAtUtc));
            Directory.Move(staging, Path.Combine(hostsDirectory, name));
            var relative = HostsFolder + "/" + name;
            database.SetReportFolder(row.BundleId, relative);
            named.Add(row with { ReportFolder = relative });
        }

        return named;
    }
}
