using System.Globalization;
using CsrssForensics.Analysis;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Fleet.CaseStore;
using CsrssForensics.Fleet.Generation;
using CsrssForensics.Reporting;
using DuckDB.NET.Data;

namespace CsrssForensics.Fleet.Tests;

/// <summary>
/// Case schema version 3 stores each action's wording-table code; a version 2 case file (a real DuckDB file, as
/// the previous build wrote its <c>actions</c> table) is upgraded in place when opened, keeping its rows.
/// </summary>
public sealed class CaseSchemaUpgradeTests : IDisposable
{
    private const int Hosts = 8; // the generator plants its first fake on the 8th host

    private readonly string _root = Path.Combine(Path.GetTempPath(), "fleet-upgrade-" + Guid.NewGuid().ToString("N"));

    public CaseSchemaUpgradeTests() => FleetGenerator.Generate(Path.Combine(_root, "bundles"), Hosts);

    private string CasePath => Path.Combine(_root, "case.duckdb");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_new_case_stores_every_action_with_its_code()
    {
        Run();

        Assert.Equal("3", Scalar("SELECT value FROM case_info WHERE key = 'schema_version'"));
        Assert.Equal("0", Scalar("SELECT count(*) FROM actions WHERE code IS NULL"));
        Assert.NotEqual("0", Scalar("SELECT count(*) FROM actions WHERE code = 'ACT-REMOVE-FAKE' OR code = 'ACT-REMOVE-FAKE-NO-LAUNCHER'"));
        Assert.Equal("0", Scalar("SELECT count(*) FROM actions WHERE code NOT LIKE 'ACT-%' AND code NOT LIKE 'GUIDE-%'"));
    }

    [Fact]
    public void A_version_2_case_gains_the_code_column_and_keeps_its_rows()
    {
        // Given a case file written by schema version 2: actions without a code, one row in it
        using (var connection = new DuckDBConnection($"Data Source={CasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE case_info (key VARCHAR PRIMARY KEY, value VARCHAR);
                INSERT INTO case_info VALUES ('schema_version', '2');
                CREATE TABLE actions (bundle_id VARCHAR, hostname VARCHAR, kind VARCHAR, text VARCHAR, subject_path VARCHAR);
                INSERT INTO actions VALUES ('old-bundle', 'OLD-HOST', 'do', 'An old line.', NULL);
                """;
            command.ExecuteNonQuery();
        }

        // When a run adds bundles to it
        Run();

        // Then it is version 3, its old row is kept with no code, and the new rows carry theirs
        Assert.Equal("3", Scalar("SELECT value FROM case_info WHERE key = 'schema_version'"));
        Assert.Equal("code", Scalar("SELECT column_name FROM information_schema.columns WHERE table_name = 'actions' ORDER BY ordinal_position DESC LIMIT 1"));
        Assert.Equal("An old line.|", Scalar("SELECT text || '|' || coalesce(code, '') FROM actions WHERE bundle_id = 'old-bundle'"));
        Assert.Equal("1", Scalar("SELECT count(*) FROM actions WHERE code IS NULL"));
        Assert.NotEqual("0", Scalar("SELECT count(*) FROM actions WHERE code LIKE 'ACT-%'"));
    }

    private void Run()
    {
        var inputs = BundleInputs.Expand([Path.Combine(_root, "bundles")]);
        var options = new FleetOptions(Path.Combine(_root, "out"), ReportFormats.All, AnalysisOptions.Default, CasePath);
        var result = FleetRunner.Run(inputs, options, new NoProgress());
        Assert.Equal(Hosts, result.Summary.Bundles);
    }

    private string Scalar(string sql) =>
        Convert.ToString(Assert.Single(CaseDatabase.Query(CasePath, sql, 10).Rows)[0], CultureInfo.InvariantCulture)!;

    private sealed class NoProgress : IFleetProgress
    {
        public void Started(int total)
        {
        }

        public void Finished(FleetProgressUpdate update)
        {
        }
    }
}
