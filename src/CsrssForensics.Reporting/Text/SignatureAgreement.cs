using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Reporting.Text;

/// <summary>
/// Compares the suspect host's own signature answer (<c>Get-AuthenticodeSignature</c> status) with the offline
/// result. The offline result decides; a disagreement is shown because it means either the host lies (a hooked or
/// tampered system) or the bundle's copy differs from the file the host checked.
/// </summary>
internal static class SignatureAgreement
{
    private enum Outcome
    {
        Valid,
        NotSigned,
        Invalid,
        PresentButUntrusted,
    }

    /// <summary>True when both answers are known and they contradict each other.</summary>
    public static bool Disagrees(SignatureEvidence signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Source is SignatureSource.HostReported or SignatureSource.None || signature.Status == SignatureStatus.Unknown)
        {
            // Nothing offline to compare with.
            return false;
        }

        var host = FromHost(signature.HostStatus);
        if (host is null)
        {
            return false;
        }

        return (signature.Status, host.Value) switch
        {
            (SignatureStatus.MicrosoftSigned, Outcome.Valid) => false,
            (SignatureStatus.SignedOther, Outcome.Valid or Outcome.PresentButUntrusted) => false,
            (SignatureStatus.NotSigned, Outcome.NotSigned) => false,
            (SignatureStatus.Invalid, Outcome.Invalid or Outcome.PresentButUntrusted) => false,
            _ => true,
        };
    }

    // The SignatureStatus names of System.Management.Automation; anything else is not compared.
    private static Outcome? FromHost(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        "VALID" => Outcome.Valid,
        "NOTSIGNED" => Outcome.NotSigned,
        "HASHMISMATCH" => Outcome.Invalid,
        "NOTTRUSTED" => Outcome.PresentButUntrusted,
        _ => null,
    };
}
