using System.Collections.Immutable;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>
/// Turns the embedded and catalog answers into one signature status and its source, with notes on what was wrong.
/// Kept apart from the verifier so the precedence (Microsoft embedded, Microsoft catalog, other signer, broken) is read
/// in one place.
/// </summary>
internal static class SignatureDecision
{
    public static (SignatureStatus Status, SignatureSource Source) Decide(EmbeddedSignature embedded, CatalogMatch catalog, ImmutableArray<string>.Builder notes)
    {
        SignatureCheck? catalogSignature = catalog.Signature;
        bool catalogIntact = catalogSignature is { Intact: true };
        bool embeddedIntact = embedded.Present && embedded.TableWellFormed && embedded.DigestMatches && embedded.SignatureValid && !embedded.Signatures.IsDefaultOrEmpty;

        if (embedded.Present && !embedded.TableWellFormed)
        {
            notes.Add("certificate table malformed or carrying extra data outside the signature");
        }
        else if (embedded.Present && !embeddedIntact)
        {
            notes.Add("embedded signature present but broken (digest mismatch or bad signer signature)");
        }

        if (catalog.Matched && !catalog.CatalogSigned)
        {
            notes.Add($"listed in unsigned catalog {catalog.File}: membership proves nothing");
        }

        // Windows prefers a catalog over the embedded signature for system files (PowerShell #8401); the best of the two decides.
        if (embeddedIntact && embedded.MicrosoftRoot)
        {
            return (SignatureStatus.MicrosoftSigned, SignatureSource.OfflineEmbedded);
        }

        if (catalogIntact && catalogSignature!.MicrosoftRoot)
        {
            return (SignatureStatus.MicrosoftSigned, SignatureSource.OfflineCatalog);
        }

        if (embeddedIntact)
        {
            notes.Add(embedded.ChainTrusted ? "signed, chain ends in a non-Microsoft anchor" : "signed, chain not trusted offline");
            return (SignatureStatus.SignedOther, SignatureSource.OfflineEmbedded);
        }

        if (catalogIntact)
        {
            notes.Add(catalogSignature!.ChainTrusted ? "catalog signed, chain ends in a non-Microsoft anchor" : "catalog signed, chain not trusted offline");
            return (SignatureStatus.SignedOther, SignatureSource.OfflineCatalog);
        }

        if (embedded.Present)
        {
            return (SignatureStatus.Invalid, SignatureSource.OfflineEmbedded);
        }

        if (catalog.Matched && catalog.CatalogSigned)
        {
            notes.Add($"catalog {catalog.File} lists the file but its signature is broken");
            return (SignatureStatus.Invalid, SignatureSource.OfflineCatalog);
        }

        return (SignatureStatus.NotSigned, SignatureSource.Offline);
    }
}
