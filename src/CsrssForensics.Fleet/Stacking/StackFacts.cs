using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Fleet.Batch;
using CsrssForensics.Rules;

namespace CsrssForensics.Fleet.Stacking;

/// <summary>
/// The values of one host that are stacked across the fleet ("least frequency of occurrence"): core-process images,
/// scheduled tasks, Run values, services, look-alike names and the roots in the host's own stores. Each value is given
/// once per host; the evidence strength of a signer is part of the value, so a host's claim never stacks with proof.
/// </summary>
public static class StackFacts
{
    public const string CoreImage = "core-process image";
    public const string Task = "scheduled task";
    public const string RunValue = "run value";
    public const string Service = "service";
    public const string LookAlike = "look-alike name";
    public const string StoreRoot = "host-store root";

    /// <summary>Every category, in the order the summary shows them.</summary>
    public static readonly IReadOnlyList<string> Categories = [CoreImage, LookAlike, Task, RunValue, Service, StoreRoot];

    /// <summary>Most certificates read from one host's store files; more is an attack on the summary, not a store.</summary>
    private const int MaxRootsPerHost = 2_000;

    /// <summary>Store files larger than this are skipped (the analysis reports them).</summary>
    private const int MaxStoreBytes = 16 * 1024 * 1024;

    /// <summary>The distinct values of one host, ordinal order.</summary>
    public static IReadOnlyList<StackValue> Of(BundleSnapshot snapshot, AnalysisReport report, RuleSet rules, Func<string, byte[]?> readEntry)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(readEntry);
        var values = new SortedSet<StackValue>(Comparer<StackValue>.Create(static (a, b) =>
        {
            int byCategory = string.CompareOrdinal(a.Category, b.Category);
            return byCategory != 0 ? byCategory : string.CompareOrdinal(a.Value, b.Value);
        }));
        var recordedHashes = RecordedHashes(snapshot);
        foreach (var verdict in report.Verdicts)
        {
            var name = verdict.Subject.Name;
            var path = verdict.Subject.Path;
            var folder = path is null ? "(no path)" : Folder(path);
            var sha = path is not null && recordedHashes.TryGetValue(WindowsPath.Key(path), out var h) ? h : "(no hash)";
            var signer = Signer(verdict);
            values.Add(new StackValue(CoreImage, $"{name.ToLowerInvariant()} | {folder} | {sha} | {signer}"));
            if (rules.FindCoreProcess(name) is null)
            {
                values.Add(new StackValue(LookAlike, name));
            }
        }

        foreach (var task in snapshot.Tasks)
        {
            var actions = string.Join(" ; ", task.Actions.Select(a => string.Join(' ', new[] { a.Command, a.Arguments, a.ClassId }.Where(s => !string.IsNullOrEmpty(s)))));
            values.Add(new StackValue(Task, $"{task.TaskPath} -> {actions}"));
        }

        foreach (var autorun in snapshot.Autoruns)
        {
            var category = autorun.Kind switch
            {
                AutorunKind.RunKey or AutorunKind.RunOnceKey or AutorunKind.PoliciesRun => RunValue,
                AutorunKind.Service => Service,
                _ => null,
            };
            if (category is not null)
            {
                values.Add(new StackValue(category, $"{autorun.Name} = {autorun.Command}"));
            }
        }

        foreach (var root in StoreRoots(snapshot, readEntry))
        {
            values.Add(new StackValue(StoreRoot, root));
        }

        return [.. values];
    }

    private static Dictionary<string, string> RecordedHashes(BundleSnapshot snapshot)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in snapshot.Files)
        {
            if (!string.IsNullOrEmpty(file.Sha256) && WindowsPath.Normalize(file.Path, snapshot.Host?.SystemRoot) is { } normalized)
            {
                hashes.TryAdd(WindowsPath.Key(normalized), file.Sha256.Trim().ToLowerInvariant());
            }
        }

        return hashes;
    }

    private static string Folder(string path)
    {
        var slash = path.LastIndexOf('\\');
        return slash <= 0 ? path : path[..slash];
    }

    /// <summary>The signer with the strength of its evidence: "CN=... (verified-offline)" is never the same value as a host's claim.</summary>
    private static string Signer(SubjectVerdict verdict)
    {
        var strength = verdict.Strength switch
        {
            EvidenceStrength.VerifiedOffline => "verified-offline",
            EvidenceStrength.HostReported => "host-reported",
            _ => "none",
        };
        var signature = verdict.Signature;
        var who = signature is null ? "unknown" : signature.SignerSubject ?? signature.Status.ToString().ToLowerInvariant();
        return $"{who} ({strength})";
    }

    private static List<string> StoreRoots(BundleSnapshot snapshot, Func<string, byte[]?> readEntry)
    {
        var roots = new List<string>();
        int count = 0;
        foreach (var entry in snapshot.CertStoreEntries.Order(StringComparer.Ordinal))
        {
            var bytes = readEntry(entry);
            if (bytes is null || bytes.Length > MaxStoreBytes)
            {
                continue;
            }

            var text = Encoding.ASCII.GetString(bytes);
            var rest = text.AsSpan();
            while (count < MaxRootsPerHost && PemEncoding.TryFind(rest, out var fields))
            {
                var label = rest[fields.Label];
                var base64 = rest[fields.Base64Data];
                rest = rest[fields.Location.End..];
                if (!label.SequenceEqual("CERTIFICATE"))
                {
                    continue;
                }

                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(base64, der, out _) || Describe(der) is not { } root)
                {
                    continue;
                }

                count++;
                roots.Add(root);
            }
        }

        return roots;
    }

    private static string? Describe(byte[] der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return $"{certificate.Subject} | {Convert.ToHexStringLower(SHA256.HashData(der))}";
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
