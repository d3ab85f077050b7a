using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Fleet.Batch;
using DuckDB.NET.Data;

namespace CsrssForensics.Fleet.CaseStore;

/// <summary>
/// The per-bundle child rows (processes, files, verdicts, findings, launchers, actions), written through DuckDB
/// appenders that stay open across the bundles of one transaction: opening and closing six appenders per bundle cost
/// more than the rows of a small bundle. <see cref="Flush"/> hands the buffered rows to the database; it must run
/// before anything reads or deletes those tables and before the transaction commits.
/// </summary>
internal sealed class CaseRows : IDisposable
{
    private readonly DuckDBConnection _connection;
    private readonly Dictionary<string, DuckDBAppender> _open = new(StringComparer.Ordinal);

    public CaseRows(DuckDBConnection connection) => _connection = connection;

    /// <summary>True when rows were appended since the last <see cref="Flush"/>.</summary>
    public bool Pending => _open.Count > 0;

    /// <summary>Appends the <c>bundles</c> row of one bundle (its report folder is set once the folder is named).</summary>
    public void AddBundle(BundleIdentity identity, HostRow row, string? summary)
    {
        Appender("bundles").CreateRow().AppendValue(identity.Id).AppendValue(identity.BundleSha256).AppendValue(identity.ManifestKey)
            .AppendValue(row.HostName).AppendValue(row.CollectedAtUtc?.UtcDateTime).AppendValue(row.InputName).AppendValue(row.ReportFolder)
            .AppendValue(HostStatuses.Word(row.Status)).AppendValue(summary).AppendValue(row.Integrity).AppendValue(row.VerifiedOffline)
            .AppendValue(row.HostReported).AppendValue(row.NoEvidence).AppendValue(row.Fakes).AppendValue(row.Suspicious).EndRow();
    }

    /// <summary>Appends every child row of one bundle.</summary>
    public void Add(string id, string? host, BundleSnapshot snapshot, AnalysisReport report)
    {
        var processes = Appender("processes");
        foreach (var p in snapshot.Processes)
        {
            processes.CreateRow().AppendValue(id).AppendValue(host).AppendValue(p.Pid).AppendValue(p.ParentPid).AppendValue(p.Name)
                .AppendValue(p.ImagePath).AppendValue(p.CommandLine).AppendValue(p.CreationTimeUtc?.UtcDateTime).AppendValue(p.SessionId)
                .AppendValue(p.User).EndRow();
        }

        var files = Appender("files");
        foreach (var f in snapshot.Files)
        {
            files.CreateRow().AppendValue(id).AppendValue(host).AppendValue(f.Path).AppendValue(f.Size).AppendValue(f.Sha256?.Trim().ToLowerInvariant())
                .AppendValue(f.HostSignature.Status).AppendValue(f.HostSignature.SignerSubject).AppendValue(f.BinaryBundlePath)
                .AppendValue(f.CollectionReason).EndRow();
        }

        var verdicts = Appender("verdicts");
        foreach (var v in report.Verdicts)
        {
            verdicts.CreateRow().AppendValue(id).AppendValue(host).AppendValue(CaseWords.Of(v.Subject.Kind)).AppendValue(v.Subject.Name)
                .AppendValue(v.Subject.Path).AppendValue(v.Subject.Pid).AppendValue(CaseWords.Of(v.Verdict)).AppendValue(CaseWords.Strength(v.Strength))
                .AppendValue(v.Signature is null ? null : CaseWords.Of(v.Signature.Status)).AppendValue(v.Signature is null ? null : CaseWords.Of(v.Signature.Source))
                .AppendValue(v.Signature?.SignerSubject).AppendValue(v.Signature?.AuthenticodeSha256?.ToLowerInvariant()).AppendValue(v.Reason)
                .AppendValue(string.Join(" > ", v.DecisionPath.Select(s => s.NodeId))).EndRow();
        }

        var findings = Appender("findings");
        var all = report.Verdicts.SelectMany(v => v.Findings.Select(f => (v.Subject.Path ?? v.Subject.Name, f)))
            .Concat(report.Launchers.SelectMany(l => l.Findings.Select(f => (l.Name, f))));
        foreach (var (subject, f) in all)
        {
            findings.CreateRow().AppendValue(id).AppendValue(host).AppendValue(subject).AppendValue(f.Code).AppendValue(CaseWords.Of(f.Severity))
                .AppendValue(f.Title).AppendValue(f.Detail).EndRow();
        }

        var launchers = Appender("launchers");
        foreach (var l in report.Launchers)
        {
            launchers.CreateRow().AppendValue(id).AppendValue(host).AppendValue(l.Kind).AppendValue(l.Name).AppendValue(l.Location)
                .AppendValue(l.Command).AppendValue(l.ResolvedTarget).AppendValue(string.Join('\n', l.RemoveWith)).EndRow();
        }

        var actions = Appender("actions");
        foreach (var a in report.Actions)
        {
            actions.CreateRow().AppendValue(id).AppendValue(host).AppendValue(a.Kind).AppendValue(a.Text).AppendValue(a.SubjectPath).AppendValue(a.Code).EndRow();
        }
    }

    /// <summary>Closes the appenders, which writes their buffered rows into the current transaction.</summary>
    public void Flush()
    {
        foreach (var appender in _open.Values)
        {
            appender.Dispose();
        }

        _open.Clear();
    }

    /// <summary>Closes the appenders (what they write is discarded when the transaction is rolled back).</summary>
    public void Dispose() => Flush();

    private DuckDBAppender Appender(string table)
    {
        if (!_open.TryGetValue(table, out var appender))
        {
            appender = _connection.CreateAppender(table);
            _open[table] = appender;
        }

        return appender;
    }
}

/// <summary>The lower-case words the case database stores for enum values.</summary>
internal static class CaseWords
{
    public static string Of<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    public static string Strength(EvidenceStrength strength) => strength switch
    {
        EvidenceStrength.VerifiedOffline => "verified-offline",
        EvidenceStrength.HostReported => "host-reported",
        _ => "none",
    };
}
