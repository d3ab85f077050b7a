using System.Collections.Immutable;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Report;
using CsrssForensics.Pe.Authenticode;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Composition;

/// <summary>Roots in the host's exported stores that imitate Microsoft's: a top-level finding each, with the files they anchor.</summary>
internal sealed partial class ReportComposer
{
    /// <summary>Imitation roots found in the bundle's <c>certstores/</c>; set by the analyzer.</summary>
    public ImmutableArray<ImitationRoot> ImitationRoots { get; init; } = [];

    private ImmutableArray<RogueRootFinding> RogueRoots() =>
        [.. ImitationRoots
            .Select(ToFinding)
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Store, StringComparer.Ordinal)
            .ThenBy(f => f.Sha256Thumbprint, StringComparer.Ordinal)];

    private ImmutableArray<ActionItem> RogueRootActions() =>
        [.. RogueRoots().Select(f => ReportWording.Action(
            f.Anchors.IsEmpty ? ItemCodes.RemoveRogueRoot : ItemCodes.RemoveRogueRootAnchoring,
            null,
            ("store", f.Store), ("command", CertutilCommand(f.Store, f.Sha1Thumbprint)), ("subject", f.Subject), ("sha1", f.Sha1Thumbprint)))];

    private RogueRootFinding ToFinding(ImitationRoot root)
    {
        var anchors = _verdicts
            .Where(v => v.Subject.Path is not null
                && string.Equals(v.Signature?.RootSha256Thumbprint, root.Sha256Thumbprint, StringComparison.OrdinalIgnoreCase))
            .Select(v => v.Subject.Path!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        var store = StoreOf(root.StoreFile);
        var command = CertutilCommand(store, root.Sha1Thumbprint);
        var action = ReportWording.Line(
            anchors.IsEmpty ? ItemCodes.RootRemove : ItemCodes.RootRemoveAnchoring, ("store", store), ("command", command));
        return new RogueRootFinding(
            root.Subject,
            root.Sha1Thumbprint,
            root.Sha256Thumbprint,
            root.StoreFile,
            store,
            anchors.IsEmpty ? AnomalySeverity.Medium : AnomalySeverity.High,
            anchors,
            action.Text,
            new EvidenceRef(root.StoreFile, Offset: root.Offset))
        {
            ActionLine = action,
        };
    }

    // certstores/LocalMachine-Root.pem exports LocalMachine\Root (docs/bundle-format.md); other names are shown as they are.
    private static string StoreOf(string storeFile)
    {
        var name = storeFile[(storeFile.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }

        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && dash < name.Length - 1 ? name[..dash] + "\\" + name[(dash + 1)..] : name;
    }

    // certutil works on LocalMachine stores by default and on CurrentUser ones with -user.
    private static string? CertutilCommand(string store, string sha1)
    {
        var slash = store.IndexOf('\\', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }

        var location = store[..slash];
        var name = store[(slash + 1)..];
        return location switch
        {
            "LocalMachine" => $"certutil -delstore {name} {sha1}",
            "CurrentUser" => $"certutil -user -delstore {name} {sha1}",
            _ => null,
        };
    }
}
