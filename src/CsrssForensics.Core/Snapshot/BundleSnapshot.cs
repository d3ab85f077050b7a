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
    Programs,
    BrowserExtensions,
    Defender,
    Com,
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
    ImmutableArray<Anomaly> Anomalies)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<ProcessRecord> Processes { get; init => field = value.OrEmpty(); } = Processes.OrEmpty();
    public ImmutableArray<FileRecord> Files { get; init => field = value.OrEmpty(); } = Files.OrEmpty();
    public ImmutableArray<ScheduledTask> Tasks { get; init => field = value.OrEmpty(); } = Tasks.OrEmpty();
    public ImmutableArray<AutorunEntry> Autoruns { get; init => field = value.OrEmpty(); } = Autoruns.OrEmpty();
    public ImmutableArray<string> BinaryEntries { get; init => field = value.OrEmpty(); } = BinaryEntries.OrEmpty();
    public ImmutableArray<string> CatalogEntries { get; init => field = value.OrEmpty(); } = CatalogEntries.OrEmpty();
    public ImmutableArray<string> CertStoreEntries { get; init => field = value.OrEmpty(); } = CertStoreEntries.OrEmpty();
    public ImmutableArray<BundlePart> MissingParts { get; init => field = value.OrEmpty(); } = MissingParts.OrEmpty();
    public ImmutableArray<Anomaly> Anomalies { get; init => field = value.OrEmpty(); } = Anomalies.OrEmpty();

    // The context parts below are init-only with empty defaults rather than positional: they came later, and every
    // snapshot built without them (tests, tools) still means "not collected" for them.

    /// <summary>Installed programs from <c>programs.json</c>, in file order; empty when not collected.</summary>
    public ImmutableArray<InstalledProgram> Programs { get; init => field = value.OrEmpty(); } = [];

    /// <summary>Browser extensions from <c>browser-extensions.json</c>, in file order; empty when not collected.</summary>
    public ImmutableArray<BrowserExtension> BrowserExtensions { get; init => field = value.OrEmpty(); } = [];

    /// <summary>Defender status and detections from <c>defender.json</c>; null when not collected.</summary>
    public DefenderState? Defender { get; init; }

    /// <summary>COM class registrations from <c>com.json</c> (for the ComHandler task actions), in file order; empty when not collected.</summary>
    public ImmutableArray<ComRegistration> ComRegistrations { get; init => field = value.OrEmpty(); } = [];
}
