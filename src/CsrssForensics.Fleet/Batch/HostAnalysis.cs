using CsrssForensics.Analysis;
using CsrssForensics.Bundle;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Fleet.Stacking;
using CsrssForensics.Reporting;
using CsrssForensics.Rules;

namespace CsrssForensics.Fleet.Batch;

/// <summary>Analyses one bundle of a batch, writes its reports into a staging folder and gathers what the fleet keeps.</summary>
internal static class HostAnalysis
{
    public static HostOutcome Run(BundleInput input, string stagingFolder, ReportFormats formats, AnalysisOptions options, RuleSet rules)
    {
        var inputName = Path.GetFileName(input.Path.TrimEnd('/', '\\'));
        try
        {
            using var opened = BundleReader.Open(input.Path);
            var report = BundleAnalyzer.Analyze(opened, options);
            ReportWriter.WriteAll(report, stagingFolder, formats);
            var snapshot = opened.Snapshot;
            var stack = StackFacts.Of(snapshot, report, rules, entry => opened.Source.TryReadAllBytes(entry, new AnomalyList()));
            var identity = BundleIdentity.Of(snapshot);
            var row = new HostRow(
                input.Index,
                inputName,
                report.Host?.Hostname ?? snapshot.Manifest?.Hostname,
                report.Bundle.CollectedAtUtc,
                HostStatuses.From(report.OverallStatus),
                report.Integrity.Status.ToString().ToLowerInvariant(),
                report.StrengthCounts.VerifiedOffline,
                report.StrengthCounts.HostReported,
                report.StrengthCounts.None,
                report.Verdicts.Count(v => v.Verdict == Core.Verdicts.Verdict.Fake),
                report.Verdicts.Count(v => v.Verdict == Core.Verdicts.Verdict.Suspicious),
                report.Verdicts.Length,
                identity.Id,
                null);
            return new HostOutcome(row, snapshot, report, identity, stack) { StagingFolder = stagingFolder };
        }
        catch (Exception error) when (error is BundleOpenException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            if (Directory.Exists(stagingFolder))
            {
                Directory.Delete(stagingFolder, recursive: true);
            }

            return Unreadable(input, inputName, error.Message);
        }
    }

    private static HostOutcome Unreadable(BundleInput input, string inputName, string message)
    {
        var identity = BundleIdentity.Unreadable(input.Path);
        var row = new HostRow(input.Index, inputName, null, null, HostStatus.Unreadable, "unread", 0, 0, 0, 0, 0, 0, identity.Id, message);
        return new HostOutcome(row, null, null, identity, []);
    }
}
