namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>
/// The generator of the hostile-bundle suite: every case is built on the fly in a temporary folder from the
/// <see cref="HostileWorkspace.BaseFixture"/> bundle (nothing large is committed). Names are unique theory keys.
/// The "small inputs, huge cost" classes are in <c>HostileCases.Cost.cs</c>, at sizes a quadratic reader cannot pass.
/// </summary>
internal static partial class HostileCases
{
    private static readonly Lazy<IReadOnlyDictionary<string, HostileCase>> _all = new(() =>
        ZipCases().Concat(FolderCases()).Concat(PartCases()).Concat(StringCases()).Concat(CostCases()).ToDictionary(c => c.Name, StringComparer.Ordinal));

    /// <summary>Every case by its unique name (a duplicate name fails here, at discovery).</summary>
    public static IReadOnlyDictionary<string, HostileCase> All => _all.Value;
}
