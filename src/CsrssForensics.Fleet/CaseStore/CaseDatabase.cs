using System.Globalization;
using CsrssForensics.Analysis.Signatures;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Fleet.Batch;
using DuckDB.NET.Data;

namespace CsrssForensics.Fleet.CaseStore;

/// <summary>
/// The embedded case database (DuckDB): one file holding every bundle of a case. One writer at a time (the batch's
/// store loop); a bundle added again (same zip SHA-256 or same manifest) replaces its earlier rows. Bundles are added
/// in transactions of up to <see cref="BundlesPerCommit"/> bundles (a commit is a disk flush, and one per bundle cost
/// more than the bundle's rows); <see cref="Commit"/> stores what is pending, and disposing without it discards it.
/// </summary>
public sealed class CaseDatabase : IDisposable
{
    /// <summary>Bundles stored per transaction: few enough that the appenders' buffers stay small (a bundle is a few thousand rows).</summary>
    public const int BundlesPerCommit = 32;

    private readonly DuckDBConnection _connection;
    private readonly CaseRows _rows;
    private readonly KnownBundles _known = new();
    private readonly Dictionary<string, HostFacts> _pendingHosts = new(StringComparer.Ordinal);
    private readonly List<(string BundleId, string Folder)> _pendingFolders = [];
    private DuckDBTransaction? _transaction;
    private int _pendingBundles;

    private CaseDatabase(DuckDBConnection connection)
    {
        _connection = connection;
        _rows = new CaseRows(connection);
    }

    /// <summary>Opens (creating if missing) the case file and its tables.</summary>
    public static CaseDatabase Open(string path)
    {
        var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        var database = new CaseDatabase(connection);
        // DuckDB's buffer pool would otherwise grow towards 80% of RAM while a large fleet is added; past this it spills
        // to disk. 512 MB -> 128 MB: 1,000 generated hosts peaked at 486 MiB instead of 562 MiB, same time (bench-fleet).
        database.Execute("SET memory_limit = '128MB'");
        database.Execute(CaseSchema.Create);
        database.Execute(CaseSchema.Upgrade);
        database.Execute("INSERT OR REPLACE INTO case_info VALUES ('schema_version', ?)", CaseSchema.Version.ToString(CultureInfo.InvariantCulture));
        using (var command = database.Command("SELECT bundle_id, bundle_sha256, manifest_key FROM bundles"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                database._known.Add(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
        }

        return database;
    }

    /// <summary>Stores one analysed bundle, replacing any earlier copy of it.</summary>
    public void Add(HostOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _transaction ??= _connection.BeginTransaction();
        Remove(outcome.Identity);
        var row = outcome.Row;
        var identity = outcome.Identity;
        _rows.AddBundle(identity, row, outcome.Report?.Summary ?? row.Error);
        _known.Add(identity.Id, identity.BundleSha256, identity.ManifestKey);
        if (outcome.Snapshot is { } snapshot && outcome.Report is { } report)
        {
            AddHost(snapshot, row);
            _rows.Add(identity.Id, row.HostName, snapshot, report);
        }

        if (++_pendingBundles >= BundlesPerCommit)
        {
            Commit();
        }
    }

    /// <summary>Writes every pending bundle to the file.</summary>
    public void Commit()
    {
        _rows.Flush();
        StorePendingHosts();
        StorePendingFolders();
        _transaction?.Commit();
        _transaction?.Dispose();
        _transaction = null;
        _pendingBundles = 0;
    }

    /// <summary>Records the report folder a bundle's reports were moved to (pending until <see cref="Commit"/>).</summary>
    public void SetReportFolder(string bundleId, string folder)
    {
        _transaction ??= _connection.BeginTransaction();
        _pendingFolders.Add((bundleId, folder));
    }

    /// <summary>Stores the distinct binaries verified in this run (offline results only: the host's claims stay per file), pending until <see cref="Commit"/>.</summary>
    public void AddSignatures(IEnumerable<SharedBinaryResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        _transaction ??= _connection.BeginTransaction();
        foreach (var result in results.OrderBy(r => r.Sha256, StringComparer.Ordinal).ThenBy(r => r.ContextKey, StringComparer.Ordinal).ThenBy(r => r.FallbackTimeUtc))
        {
            var verification = result.Verification;
            var signature = verification.ToSignatureEvidence(null);
            Execute(
                "INSERT OR REPLACE INTO signatures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                result.Sha256, result.ContextKey, verification.AuthenticodeSha256?.ToLowerInvariant(), CaseWords.Of(verification.Verdict),
                CaseWords.Of(verification.DecidedBy), signature.SignerSubject, signature.RootSubject, signature.TimestampUtc?.UtcDateTime,
                verification.IsPe, result.Binary.Machine, result.Binary.OriginalFilename, result.Binary.CompanyName,
                result.FallbackTimeUtc.UtcDateTime, SharedResultJson.AnalyzerBuild, SharedResultJson.Write(result));
        }
    }

    /// <summary>
    /// The results earlier runs of this analyzer build stored (see <see cref="SharedResultJson"/>), at most
    /// <see cref="SharedBinaryResults.MaxEntries"/>; rows of other builds and rows that do not read back are skipped.
    /// </summary>
    public IReadOnlyList<SharedBinaryResult> ReadSharedResults()
    {
        var results = new List<SharedBinaryResult>();
        using var command = Command(
            $"SELECT result_json FROM signatures WHERE analyzer = ? AND result_json IS NOT NULL ORDER BY sha256, context_key LIMIT {SharedBinaryResults.MaxEntries.ToString(CultureInfo.InvariantCulture)}",
            SharedResultJson.AnalyzerBuild);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (SharedResultJson.Read(reader.GetString(0)) is { } result)
            {
                results.Add(result);
            }
        }

        return results;
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

    /// <summary>Closes the file; bundles added since the last <see cref="Commit"/> are rolled back.</summary>
    public void Dispose()
    {
        _rows.Dispose();
        _transaction?.Dispose();
        _connection.Dispose();
    }

    private void Remove(BundleIdentity identity)
    {
        var old = _known.Matching(identity);
        if (old.Count == 0)
        {
            return;
        }

        // Rows of a bundle added earlier in this transaction may still sit in the appenders.
        _rows.Flush();
        foreach (var id in old)
        {
            foreach (var table in CaseSchema.PerBundleTables)
            {
                Execute($"DELETE FROM {table} WHERE bundle_id = ?", id);
            }

            Execute("DELETE FROM bundles WHERE bundle_id = ?", id);
            _known.Forget(id);
        }
    }

    /// <summary>A host's facts as of its newest bundle: a later collection replaces them, an earlier one does not.</summary>
    private void AddHost(BundleSnapshot snapshot, HostRow row)
    {
        if (row.HostName is not { } name)
        {
            return;
        }

        var facts = new HostFacts(snapshot.Host?.OsVersion, snapshot.Host?.OsBuild, snapshot.Host?.TimeZone, row.CollectedAtUtc?.UtcDateTime);
        if (!_pendingHosts.TryGetValue(name, out var pending) || facts.IsNewerThan(pending))
        {
            _pendingHosts[name] = facts;
        }
    }

    /// <summary>The pending host facts in one statement (the same rule for rows already in the case).</summary>
    private void StorePendingHosts()
    {
        foreach (var chunk in _pendingHosts.OrderBy(h => h.Key, StringComparer.Ordinal).Chunk(200))
        {
            var values = chunk.SelectMany(h => new object?[] { h.Key, h.Value.OsVersion, h.Value.OsBuild, h.Value.TimeZone, h.Value.CollectedAtUtc }).ToArray();
            Execute(
                $"""
                INSERT INTO hosts VALUES {string.Join(", ", chunk.Select(_ => "(?, ?, ?, ?, ?)"))} ON CONFLICT (hostname) DO UPDATE SET
                    os_version = excluded.os_version, os_build = excluded.os_build, time_zone = excluded.time_zone,
                    last_collected_at = excluded.last_collected_at
                WHERE excluded.last_collected_at IS NULL OR hosts.last_collected_at IS NULL OR excluded.last_collected_at >= hosts.last_collected_at
                """,
                values);
        }

        _pendingHosts.Clear();
    }

    private void StorePendingFolders()
    {
        foreach (var chunk in _pendingFolders.Chunk(200))
        {
            var values = chunk.SelectMany(f => new object?[] { f.BundleId, f.Folder }).ToArray();
            Execute(
                $"UPDATE bundles SET report_folder = v.folder FROM (VALUES {string.Join(", ", chunk.Select(_ => "(?, ?)"))}) AS v(id, folder) WHERE bundles.bundle_id = v.id",
                values);
        }

        _pendingFolders.Clear();
    }

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

/// <summary>What the <c>hosts</c> table keeps of a host's newest bundle.</summary>
internal sealed record HostFacts(string? OsVersion, string? OsBuild, string? TimeZone, DateTime? CollectedAtUtc)
{
    /// <summary>The rule of the <c>hosts</c> upsert: a bundle without a time, or against one without, counts as newer.</summary>
    public bool IsNewerThan(HostFacts other) =>
        CollectedAtUtc is not { } mine || other.CollectedAtUtc is not { } theirs || mine >= theirs;
}
