namespace CsrssForensics.Fleet.CaseStore;

/// <summary>
/// The case database's tables (docs/case-database.md). Every per-bundle table carries <c>bundle_id</c> and
/// <c>hostname</c>, so a row can be stacked across hosts without a join; re-adding a bundle deletes its rows first.
/// </summary>
internal static class CaseSchema
{
    /// <summary>
    /// Bumped when a table changes; stored in <c>case_info</c>. 2: <c>signatures</c> keeps whole results for reuse.
    /// 3: <c>actions.code</c> holds the line's wording-table code, so a case can be queried by code, not by wording.
    /// </summary>
    public const int Version = 3;

    public static readonly string[] PerBundleTables = ["processes", "files", "verdicts", "findings", "launchers", "actions"];

    public const string Create = """
        CREATE TABLE IF NOT EXISTS case_info (key VARCHAR PRIMARY KEY, value VARCHAR);
        CREATE TABLE IF NOT EXISTS hosts (
            hostname VARCHAR PRIMARY KEY, os_version VARCHAR, os_build VARCHAR, time_zone VARCHAR, last_collected_at TIMESTAMP);
        CREATE TABLE IF NOT EXISTS bundles (
            bundle_id VARCHAR PRIMARY KEY, bundle_sha256 VARCHAR, manifest_key VARCHAR, hostname VARCHAR, collected_at TIMESTAMP,
            input_name VARCHAR, report_folder VARCHAR, overall_status VARCHAR, summary VARCHAR, integrity VARCHAR,
            verified_offline INTEGER, host_reported INTEGER, no_evidence INTEGER, fakes INTEGER, suspicious INTEGER);
        CREATE TABLE IF NOT EXISTS processes (
            bundle_id VARCHAR, hostname VARCHAR, pid INTEGER, parent_pid INTEGER, name VARCHAR, image_path VARCHAR,
            command_line VARCHAR, created_at TIMESTAMP, session_id INTEGER, user_name VARCHAR);
        CREATE TABLE IF NOT EXISTS files (
            bundle_id VARCHAR, hostname VARCHAR, path VARCHAR, size BIGINT, recorded_sha256 VARCHAR, host_signature_status VARCHAR,
            host_signer VARCHAR, copied_entry VARCHAR, reason VARCHAR);
        CREATE TABLE IF NOT EXISTS signatures (
            sha256 VARCHAR, context_key VARCHAR, authenticode_sha256 VARCHAR, verdict VARCHAR, decided_by VARCHAR,
            signer_subject VARCHAR, root_subject VARCHAR, timestamp_utc TIMESTAMP, is_pe BOOLEAN, machine VARCHAR,
            original_filename VARCHAR, company_name VARCHAR, fallback_time_utc TIMESTAMP, analyzer VARCHAR, result_json VARCHAR,
            PRIMARY KEY (sha256, context_key));
        CREATE TABLE IF NOT EXISTS verdicts (
            bundle_id VARCHAR, hostname VARCHAR, kind VARCHAR, name VARCHAR, path VARCHAR, pid INTEGER, verdict VARCHAR,
            strength VARCHAR, signature_status VARCHAR, signature_source VARCHAR, signer_subject VARCHAR,
            authenticode_sha256 VARCHAR, reason VARCHAR, decision_path VARCHAR);
        CREATE TABLE IF NOT EXISTS findings (
            bundle_id VARCHAR, hostname VARCHAR, subject_path VARCHAR, code VARCHAR, severity VARCHAR, title VARCHAR, detail VARCHAR);
        CREATE TABLE IF NOT EXISTS launchers (
            bundle_id VARCHAR, hostname VARCHAR, kind VARCHAR, name VARCHAR, location VARCHAR, command VARCHAR,
            resolved_target VARCHAR, starts_fakes VARCHAR);
        CREATE TABLE IF NOT EXISTS actions (
            bundle_id VARCHAR, hostname VARCHAR, kind VARCHAR, text VARCHAR, subject_path VARCHAR, code VARCHAR);
        """;

    /// <summary>
    /// Brings a version 1 or 2 case up to this version (the columns are added at the end, as in <see cref="Create"/>,
    /// so the appenders' column order holds). Rows stored before version 3 keep a null <c>actions.code</c>.
    /// </summary>
    public const string Upgrade = """
        ALTER TABLE signatures ADD COLUMN IF NOT EXISTS fallback_time_utc TIMESTAMP;
        ALTER TABLE signatures ADD COLUMN IF NOT EXISTS analyzer VARCHAR;
        ALTER TABLE signatures ADD COLUMN IF NOT EXISTS result_json VARCHAR;
        ALTER TABLE actions ADD COLUMN IF NOT EXISTS code VARCHAR;
        """;
}
