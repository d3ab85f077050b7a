using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Snapshot;

/// <summary>The optional parts of a bundle; a missing one is reported as "not collected".</summary>
public enum BundlePart
{
    Processes,
    Files,
    Binaries,
    Catalogs,
    Tasks,
    Autoruns,
    CertStores,
    Host,
}

/// <summary>
/// Everything read from one bundle, immutable. Built once by the bundle reader; every later stage reads it.
/// </summary>
public sealed record BundleSnapshot(
    string BundleName,
    BundleManifest? Manifest,
    IntegrityReport Integrity,
    HostFacts? Host,
    ImmutableArray<ProcessRecord> Processes,
    ImmutableArray<FileRecord> Files,
    ImmutableArray<ScheduledTask> Tasks,
    ImmutableArray<AutorunEntry> Autoruns,
    ImmutableArray<string> BinaryEntries,
    ImmutableArray<string> CatalogEntries,
    ImmutableArray<string> CertStoreEntries,
    ImmutableArray<BundlePart> MissingParts,
    ImmutableArray<Anomaly> Anomalies);
