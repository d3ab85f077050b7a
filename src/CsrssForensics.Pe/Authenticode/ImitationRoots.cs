using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CsrssForensics.Core.Evidence;

namespace CsrssForensics.Pe.Authenticode;

/// <summary>A self-signed certificate in the host's exported stores that names Microsoft but is not a pinned Microsoft root.</summary>
/// <param name="Subject">The subject as written in the certificate (RFC 2253 order as .NET prints it).</param>
/// <param name="StoreFile">The bundle entry it came from (<c>certstores/LocalMachine-Root.pem</c>).</param>
/// <param name="Offset">Character offset of its PEM block in that file.</param>
public sealed record ImitationRoot(string Subject, string Sha1Thumbprint, string Sha256Thumbprint, string StoreFile, int Offset);

/// <summary>
/// Finds roots that imitate Microsoft's: a self-signed certificate whose CN or O contains "Microsoft" (also spelled
/// with digits, accents or Cyrillic/Greek look-alike letters, or one typo away) and whose SHA-256 is not pinned. An
/// attacker who adds such a root to LocalMachine\Root makes the host itself report a forged "Microsoft Windows"
/// signature as valid; a real Microsoft root is recognised by its pinned thumbprint, never by its name.
/// </summary>
public static class ImitationRoots
{
    private const string Target = "microsoft";

    /// <summary>
    /// Every imitation root in the given PEM files, in file then position order. Unreadable and oversize blocks are
    /// skipped silently: <see cref="TrustAnchors.FromPem"/> reports them for the same files.
    /// </summary>
    public static IReadOnlyList<ImitationRoot> Find(IEnumerable<(string Name, byte[] Pem)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var result = new List<ImitationRoot>();
        foreach (var (name, pem) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            if (pem.Length > TrustAnchors.MaxPemBytes)
            {
                continue;
            }

            foreach (var (certificate, offset) in TrustAnchors.ReadPemWithOffsets(name, pem, new AnomalyList()))
            {
                var sha256 = TrustAnchors.Thumbprint256(certificate);
                var sha1 = certificate.GetCertHashString(HashAlgorithmName.SHA1);
                if (!IsSelfSigned(certificate) || TrustAnchors.IsPinnedMicrosoftRoot(sha256) || IsOtherGenuineMicrosoftRoot(sha256, sha1)
                    || !NamesMicrosoft(certificate))
                {
                    continue;
                }

                result.Add(new ImitationRoot(certificate.Subject, sha1, sha256, name, offset));
            }
        }

        return result;
    }

    /// <summary>True when the common name or organisation reads as "Microsoft" to a person.</summary>
    public static bool NamesMicrosoft(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var attribute in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            var oid = attribute.GetSingleElementType().Value;
            if (oid is "2.5.4.3" or "2.5.4.10" && attribute.GetSingleElementValue() is { } value && ReadsAsMicrosoft(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="text"/> holds "Microsoft" after folding look-alikes, or a word one typo from it.</summary>
    public static bool ReadsAsMicrosoft(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = Fold(text.Length > 1024 ? text[..1024] : text);
        folded = folded.Replace("rn", "m", StringComparison.Ordinal).Replace("vv", "w", StringComparison.Ordinal);
        if (folded.Contains(Target, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var word in folded.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length is >= 8 and <= 10 && Osa(word, Target) <= 1)
            {
                return true;
            }
        }

        return false;
    }

    // Genuine Microsoft roots found in Windows root stores that do not anchor code signing, so they are not pinned.
    // SHA-256 values were computed from the .NET SDK 10.0.401 trustedroots/timestampctl.pem and the Debian
    // ca-certificates bundle (Mozilla's list); the 1999 Authenticode root is known by its published SHA-1 (a second
    // preimage of one fixed certificate is out of reach, unlike a collision).
    private static readonly string[] _otherGenuineSha256 =
    [
        "65AF95F4BE86847344634282F941B2E605063EF0C8542F014CA088D182109E4F", // Microsoft Time Stamp Root Certificate Authority 2014
        "C741F70F4B2A8D88BF2E71C14122EF53EF10EBA0CFA5E64CFA20F418853073E0", // Microsoft RSA Root Certificate Authority 2017
        "358DF39D764AF9E1B766E9C972DF352EE15CFAC227AF6AD1D70E8E4A6EDCBA02", // Microsoft ECC Root Certificate Authority 2017
    ];

    private static readonly string[] _otherGenuineSha1 =
    [
        "7F88CD7223F3C813818C994614A89C99FA3B5247", // Microsoft Authenticode(tm) Root Authority (O=MSFT, expired 1999)
    ];

    private static bool IsOtherGenuineMicrosoftRoot(string sha256, string sha1) =>
        _otherGenuineSha256.Contains(sha256, StringComparer.OrdinalIgnoreCase) || _otherGenuineSha1.Contains(sha1, StringComparer.OrdinalIgnoreCase);

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    // Lower case, accents dropped, digits and Cyrillic/Greek letters that look Latin replaced, everything else that is
    // not a letter turned into a word break ("Micro-soft" and "Micro soft" join: the break is dropped between letters).
    private static string Fold(string text)
    {
        string decomposed;
        try
        {
            decomposed = text.Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            decomposed = text;
        }

        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '-' or '_' or '.' or '\u00AD' or '\u200B' or '\u200C' or '\u200D')
            {
                continue;
            }

            var latin = LookAlike(char.ToLowerInvariant(c));
            builder.Append(char.IsAsciiLetterLower(latin) ? latin : ' ');
        }

        return builder.ToString();
    }

    // The build runs with InvariantGlobalization, where FormD may leave accented letters composed: the accented
    // forms of the letters of "microsoft" are mapped here as well.
    private static char LookAlike(char c) => c switch
    {
        '\u00EC' or '\u00ED' or '\u00EE' or '\u00EF' or '\u0129' or '\u012B' or '\u012D' or '\u012F' => 'i',
        '\u00F2' or '\u00F3' or '\u00F4' or '\u00F5' or '\u00F6' or '\u00F8' or '\u014D' or '\u014F' or '\u0151' => 'o',
        '\u00E7' or '\u0107' or '\u0109' or '\u010B' or '\u010D' => 'c',
        '\u0155' or '\u0157' or '\u0159' => 'r',
        '\u015B' or '\u015D' or '\u015F' or '\u0161' or '\u0219' => 's',
        '\u0163' or '\u0165' or '\u0167' or '\u021B' => 't',
        '\u0192' => 'f',
        '0' or '\u043E' or '\u03BF' => 'o',
        '1' or '|' or '\u0456' or '\u0131' or '\u03B9' => 'i',
        '5' or '\u0455' => 's',
        '\u0441' or '\u03F2' => 'c',
        '\u0430' or '\u03B1' => 'a',
        '\u0435' or '\u03B5' => 'e',
        '\u0440' or '\u03C1' => 'p',
        '\u0433' => 'r',
        '\u0442' or '\u03C4' => 't',
        '\u043C' or '\u03BC' => 'm',
        '\u0444' => 'f',
        _ => c,
    };

    // Optimal string alignment distance, on two short words (the caller bounds the length).
    private static int Osa(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
