namespace CsrssForensics.Pe.Parsing;

/// <summary>Resource directory walk and RT_VERSION.</summary>
internal sealed partial class PEImageParser
{
    private static VersionInfo? ReadVersionResource() => null; // Resource walk lands in the next commit.
}
