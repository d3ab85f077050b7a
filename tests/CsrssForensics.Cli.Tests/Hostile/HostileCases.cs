namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>
/// The generator of the hostile-bundle suite: every case is built on the fly in a temporary folder from the
/// <see cref="HostileWorkspace.BaseFixture"/> bundle (nothing large is committed). Names are unique theory keys.
/// Left out until fixed in the "small inputs, huge cost" work: task XML nested 200,000 deep, thousands of extra csrss
/// rows, a 25 MB autoruns.json, a 200,000-record manifest, zips with overlapping entries or 150,000 entries.
/// </summary>
internal static partial class HostileCases
{
    private static readonly Lazy<IReadOnlyDictionary<string, HostileCase>> s_all = new(() =>
        ZipCases().Concat(FolderCases()).Concat(PartCases()).Concat(StringCases()).ToDictionary(c => c.Name, StringComparer.Ordinal));

    /// <summary>Every case by its unique name (a duplicate name fails here, at discovery).</summary>
    public static IReadOnlyDictionary<string, HostileCase> All => s_all.Value;
}
