using System.Collections.Immutable;
using System.Text.Json.Serialization;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Core.Report;

/// <summary>
/// A root certificate in the host's exported stores whose subject imitates a Microsoft root but whose thumbprint is
/// not a Microsoft root's. With it in LocalMachine\Root, the host itself calls a forged "Microsoft Windows"
/// signature valid; the offline check never trusts it.
/// </summary>
/// <param name="Subject">The certificate's subject, exactly as written in it.</param>
/// <param name="StoreFile">The bundle entry it came from (<c>certstores/LocalMachine-Root.pem</c>).</param>
/// <param name="Store">The Windows store that file exports (<c>LocalMachine\Root</c>).</param>
/// <param name="Severity">High when it anchors the signature of a judged file, medium when it anchors none.</param>
/// <param name="Anchors">Paths of judged files whose signature chains to it, sorted.</param>
/// <param name="Action">What to do: remove it from <paramref name="Store"/>, with the command (<see cref="ActionLine"/>'s text).</param>
public sealed record RogueRootFinding(
    string Subject,
    string Sha1Thumbprint,
    string Sha256Thumbprint,
    string StoreFile,
    string Store,
    AnomalySeverity Severity,
    ImmutableArray<string> Anchors,
    string Action,
    EvidenceRef Evidence)
{
    // Arrays are never default: one built without a value reads as empty (EmptyArrays.OrEmpty). Members from the
    // first array on are declared here in their positional order, which keeps the JSON property order.
    public ImmutableArray<string> Anchors { get; init => field = value.OrEmpty(); } = Anchors.OrEmpty();
    public string Action { get; init; } = Action;
    public EvidenceRef Evidence { get; init; } = Evidence;

    /// <summary>
    /// <see cref="Action"/> as its coded line (<c>ROOT-REMOVE</c>, <c>ROOT-REMOVE-ANCHORING</c>), which every writer
    /// renders; null, and left out of the JSON, in findings built without it (the writers then show <see cref="Action"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportLine? ActionLine { get; init; }
}
