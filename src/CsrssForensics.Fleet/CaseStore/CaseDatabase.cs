using System.Globalization;
using CsrssForensics.Analysis.Signatures;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Fleet.Batch;
using DuckDB.NET.Data;

namespace CsrssForensics.Fleet.CaseStore;

/// <summary>
/// The embedded case database (DuckDB): one file holding every bundle of a case. One writer at a time (the batch's
/// store loop); a bundle added again (same zip SHA-256 or same manifest) replaces its earlier rows.
/// </summary>
public sealed class CaseDatabase : IDisposable
{
    private readonly DuckDBConnection _connection;

    private CaseDatabase(DuckDBConnection connection) => _connection = connection;

    /// <summary>Opens (creating if missing) the case file and its tables.</summary>
    public static CaseDatabase Open(string path)
    {
        var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        var database = new CaseDatabase(connection);
        // DuckDB's buffer pool would otherwise grow towards 80% of RAM while a large fleet is added; past this it spills.
        database.Execute("SET memory_limit = '512MB'");
        database.Execute(CaseSchema.Create);
        database.Execute("INSERT OR REPLACE INTO case_info VALUES ('schema_version', ?)", CaseSchema.Version.ToString(CultureInfo.InvariantCulture));
        return database;
    }

    /// <summary>Stores one analysed bundle, replacing any earlier copy of it.</summary>
    public void Add(HostOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        using var transaction = _connection.BeginTransaction();
        Remove(outcome.Identity);
        var row = outcome.Row;
        var host = row.HostName;
        Execute(
            "INSERT INTO bundles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            outcome.Identity.Id, outcome.Identity.BundleSha256, outcome.Identity.ManifestKey, host, row.CollectedAtUtc?.UtcDateTime,
            row.InputName, row.ReportFolder, HostStatuses.Word(row.Status), outcome.Report?.Summary ?? row.Error, row.Integrity,
            row.VerifiedOffline, row.HostReported, row.NoEvidence, row.Fakes, row.Suspicious);
        if (outcome.Snapshot is { } snapshot && outcome.Report is { } report)
        {
            AddHost(snapshot, row);
            AddRows(outcome.Identity.Id, host, snapshot, report);
        }

        transaction.Commit();
    }

    /// <summary>Records the report folder a bundle's reports were moved to.</summary>
    public void SetReportFolder(string bundleId, string folder) =>
        Execute("UPDATE bundles SET report_folder = ? WHERE bundle_id = ?", folder, bundleId);

    /// <summary>Stores the distinct binaries verified in this run (offline results only: the host's claims stay per file).</summary>
    public void AddSignatures(IEnumerable<SharedBinaryResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var transaction = _connection.BeginTransaction();
        foreach (var result in results.OrderBy(r => r.Sha256, StringComparer.Ordinal).ThenBy(r => r.ContextKey, StringComparer.Ordinal))
        {
            var verification = result.Verification;
            var signature = verification.ToSignatureEvidence(null);
            Execute(
                "INSERT OR REPLACE INTO signatures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                result.Sha256, result.ContextKey, verification.AuthenticodeSha256?.ToLowerInvariant(), Word(verification.Verdict),
                Word(verification.DecidedBy), signature.SignerSubject, signature.RootSubject, signature.TimestampUtc?.UtcDateTime,
                verification.IsPe, result.Binary.Machine, result.Binary.OriginalFilename, result.Binary.CompanyName);
        }

        transaction.Commit();
    }

    /// <summary>Runs a query and returns its column names and rows (values as the provider gives them).</summary>
    public static (IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows) Query(string path, string sql, int maxRows)
    {
        using var connection = new DuckDBConnection($"Data Source={path};ACCESS_MODE=READ_ONLY");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (rows.Count < maxRows && reader.Read())
        {
            var values = new object?[reader.FieldCount];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(values);
        }

        return (columns, rows);
    }

    public void Dispose() => _connection.Dispose();

    private void Remove(BundleIdentity identity)
    {
        var old = new List<string>();
        var sql = "SELECT bundle_id FROM bundles WHERE bundle_id = ?";
        var values = new List<object?> { identity.Id };
        if (identity.BundleSha256 is not null)
        {
            sql += " OR bundle_sha256 = ?";
            values.Add(identity.BundleSha256);
        }

        if (identity.ManifestKey is not null)
        {
            sql += " OR manifest_key = ?";
            values.Add(identity.ManifestKey);
        }

        using (var command = Command(sql, [.. values]))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                old.Add(reader.GetString(0));
            }
        }

        foreach (var id in old)
        {
            foreach (var table in CaseSchema.PerBundleTables)
            {
                Execute($"DELETE FROM {table} WHERE bundle_id = ?", id);
            }

            Execute("DELETE FROM bundles WHERE bundle_id = ?", id);
        }
    }

    private void AddHost(BundleSnapshot snapshot, HostRow row)
    {
        if (row.HostName is null)
        {
            return;
        }

        Execute(
            """
            INSERT INTO hosts VALUES (?, ?, ?, ?, ?) ON CONFLICT (hostname) DO UPDATE SET
                os_version = excluded.os_version, os_build = excluded.os_build, time_zone = excluded.time_zone,
                last_collected_at = excluded.last_collected_at
            WHERE excluded.last_collected_at IS NULL OR hosts.last_collected_at IS NULL OR excluded.last_collected_at >= hosts.last_collected_at
            """,
            row.HostName, snapshot.Host?.OsVersion, snapshot.Host?.OsBuild, snapshot.Host?.TimeZone, row.CollectedAtUtc?.UtcDateTime);
    }

    private void AddRows(string id, string? host, BundleSnapshot snapshot, AnalysisReport report)
    {
        using (var appender = _connection.CreateAppender("processes"))
        {
            foreach (var p in snapshot.Processes)
            {
                appender.CreateRow().AppendValue(id).AppendValue(host).AppendValue(p.Pid).AppendValue(p.ParentPid).AppendValue(p.Name)
                    .AppendValue(p.ImagePath).AppendValue(p.CommandLine).AppendValue(p.CreationTimeUtc?.UtcDateTime).AppendValue(p.SessionId)
                    .AppendValue(p.User).EndRow();
            }
        }

        using (var appender = _connection.CreateAppender("files"))
        {
            foreach (var f in snapshot.Files)
            {
                appender.CreateRow().AppendValue(id).AppendValue(host).AppendValue(f.Path).AppendValue(f.Size).AppendValue(f.Sha256?.Trim().ToLowerInvariant())
                    .AppendValue(f.HostSignature.Status).AppendValue(f.HostSignature.SignerSubject).AppendValue(f.BinaryBundlePath)
                    .AppendValue(f.CollectionReason).EndRow();
            }
        }

        using (var appender = _connection.CreateAppender("verdicts"))
        {
            foreach (var v in report.Verdicts)
            {
                appender.CreateRow().AppendValue(id).AppendValue(host).AppendValue(Word(v.Subject.Kind)).AppendValue(v.Subject.Name)
                    .AppendValue(v.Subject.Path).AppendValue(v.Subject.Pid).AppendValue(Word(v.Verdict)).AppendValue(Strength(v.Strength))
                    .AppendValue(v.Signature is null ? null : Word(v.Signature.Status)).AppendValue(v.Signature is null ? null : Word(v.Signature.Source))
                    .AppendValue(v.Signature?.SignerSubject).AppendValue(v.Signature?.AuthenticodeSha256?.ToLowerInvariant()).AppendValue(v.Reason)
                    .AppendValue(string.Join(" > ", v.DecisionPath.Select(s => s.NodeId))).EndRow();
            }
        }

        using (var appender = _connection.CreateAppender("findings"))
        {
            var findings = report.Verdicts.SelectMany(v => v.Findings.Select(f => (v.Subject.Path ?? v.Subject.Name, f)))
                .Concat(report.Launchers.SelectMany(l => l.Findings.Select(f => (l.Name, f))));
            foreach (var (subject, f) in findings)
            {
                appender.CreateRow().AppendValue(id).AppendValue(host).AppendValue(subject).AppendValue(f.Code).AppendValue(Word(f.Severity))
                    .AppendValue(f.Title).AppendValue(f.Detail).EndRow();
            }
        }

        using (var appender = _connection.CreateAppender("launchers"))
        {
            foreach (var l in report.Launchers)
            {
                appender.CreateRow().AppendValue(id).AppendValue(host).AppendValue(l.Kind).AppendValue(l.Name).AppendValue(l.Location)
                    .AppendValue(l.Command).AppendValue(l.ResolvedTarget).AppendValue(string.Join('\n', l.RemoveWith)).EndRow();
            }
        }

        using (var appender = _connection.CreateAppender("actions"))
        {
            foreach (var a in report.Actions)
            {
                appender.CreateRow().AppendValue(id).AppendValue(host).AppendValue(a.Kind).AppendValue(a.Text).AppendValue(a.SubjectPath).EndRow();
            }
        }
    }

    private static string Word<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Strength(EvidenceStrength strength) => strength switch
    {
        EvidenceStrength.VerifiedOffline => "verified-offline",
        EvidenceStrength.HostReported => "host-reported",
        _ => "none",
    };

    private void Execute(string sql, params object?[] values)
    {
        using var command = Command(sql, values);
        command.ExecuteNonQuery();
    }

    private DuckDBCommand Command(string sql, params object?[] values)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var value in values)
        {
            command.Parameters.Add(new DuckDBParameter(value ?? DBNull.Value));
        }

        return command;
    }
}
