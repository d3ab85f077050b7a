using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Analysis.Correlation;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Wording;

namespace CsrssForensics.Analysis.Composition;

/// <summary>
/// The host context: Defender's own view, recently installed programs and browser extensions, tied to the judged
/// copies as corroborating lines. These lines are added to the verdicts shown in the report only; the verdict level,
/// the actions and the process trees are still derived from the rule findings alone (the host can lie).
/// </summary>
internal sealed partial class ReportComposer
{
    /// <summary>Items named in one after-cleanup line; the rest are in the Host context section.</summary>
    private const int MaxNamedInCleanup = 10;

    private Dictionary<string, SubjectLinks>? _links;

    /// <summary>What the context parts say about one judged path.</summary>
    private sealed record SubjectLinks(
        string Path,
        ImmutableArray<DefenderMatch> Detections,
        ImmutableArray<ProgramLink> Programs,
        ImmutableArray<BrowserExtension> Extensions);

    private bool ContextCollected =>
        !(_snapshot.MissingParts.Contains(BundlePart.Programs)
          && _snapshot.MissingParts.Contains(BundlePart.BrowserExtensions)
          && _snapshot.MissingParts.Contains(BundlePart.Defender));

    /// <summary>Links per path key, built once. Programs and extensions only for copies that are not genuine.</summary>
    private Dictionary<string, SubjectLinks> Links()
    {
        if (_links is not null)
        {
            return _links;
        }

        _links = new Dictionary<string, SubjectLinks>(StringComparer.Ordinal);
        foreach (var group in _verdicts.Where(v => v.Subject.Path is not null)
                     .GroupBy(v => WindowsPath.Key(v.Subject.Path!), StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var path = group.First().Subject.Path!;
            var detections = _hostContext.DetectionsNaming(path);
            ImmutableArray<ProgramLink> programs = [];
            ImmutableArray<BrowserExtension> extensions = [];
            if (group.Any(v => NeedsAction(v) && v.Signature?.Status != SignatureStatus.MicrosoftSigned))
            {
                var contexts = ContextsByPathKey[group.Key].ToList();
                programs = _hostContext.ProgramsNear(path, ArrivalAnchor(contexts) is DateTimeOffset anchor ? [anchor] : []);
                extensions = _hostContext.ExtensionsInProfileOf(path);
            }

            _links[group.Key] = new SubjectLinks(path, detections, programs, extensions);
        }

        return _links;
    }

    /// <summary>
    /// When a copy arrived: the file's creation time when files.csv has it, else its first process start. A process
    /// start alone is a weak stand-in (a copy can sit for weeks before it runs) but it is what the bundle proves.
    /// </summary>
    private static DateTimeOffset? ArrivalAnchor(List<SubjectContext> contexts)
    {
        var created = contexts.Select(c => c.File?.CreatedUtc).OfType<DateTimeOffset>().ToList();
        if (created.Count > 0)
        {
            return created.Min();
        }

        var started = contexts.Select(c => c.Process?.CreationTimeUtc).OfType<DateTimeOffset>().ToList();
        return started.Count > 0 ? started.Min() : null;
    }

    /// <summary>The verdicts as the report shows them: each with its context lines after the rule findings.</summary>
    private ImmutableArray<SubjectVerdict> VerdictsWithContext()
    {
        var links = Links();
        return [.. _verdicts.Select(verdict =>
        {
            if (verdict.Subject.Path is null || !links.TryGetValue(WindowsPath.Key(verdict.Subject.Path), out var link))
            {
                return verdict;
            }

            var extra = ContextFindings(verdict, link);
            return extra.Count == 0 ? verdict : verdict with { Findings = [.. verdict.Findings, .. extra] };
        })];
    }

    private List<Finding> ContextFindings(SubjectVerdict verdict, SubjectLinks link)
    {
        var findings = new List<Finding>();
        var genuine = verdict.Signature?.Status == SignatureStatus.MicrosoftSigned;
        foreach (var (detection, via) in link.Detections)
        {
            var variant = (via == "process", genuine) switch
            {
                (true, true) => HostContextVariants.ProcessGenuine,
                (true, false) => HostContextVariants.Process,
                (false, true) => HostContextVariants.Genuine,
                _ => null,
            };
            findings.Add(_rules.Produce(HostContextCodes.DefenderDetected, variant, [detection.Source],
                ("threat", detection.ThreatName), ("time", detection.InitialDetectionUtc is { } time ? Iso(time) : null),
                ("success", detection.ActionSuccess is { } success ? (success ? "true" : "false") : null)));
        }

        foreach (var (program, reason) in link.Programs.Take(HostContextCorrelation.MaxLinksPerSubject))
        {
            findings.Add(_rules.Produce(HostContextCodes.ProgramArrived, null, [program.Source], ("program", ProgramText(program)), ("reason", reason.Text)));
        }

        foreach (var extension in link.Extensions.Take(HostContextCorrelation.MaxLinksPerSubject))
        {
            findings.Add(_rules.Produce(HostContextCodes.ExtensionSameProfile, null, [extension.Source],
                ("extension", ExtensionText(extension)), ("profile", extension.Profile)));
        }

        return findings;
    }

    private HostContextSection? HostContextOf()
    {
        if (!ContextCollected)
        {
            return null;
        }

        var links = Links().Values.ToList();
        var detections = _hostContext.Defender?.Detections ?? [];
        var detectionRows = detections
            .Select(d => new DetectionContextRow(
                d,
                [.. links.Where(l => l.Detections.Any(m => ReferenceEquals(m.Detection, d))).Select(l => l.Path).Order(StringComparer.Ordinal)]))
            .ToImmutableArray();

        var reference = ReferenceDay();
        var programRows = new List<ProgramContextRow>();
        foreach (var program in _hostContext.Programs)
        {
            var linked = links.SelectMany(l => l.Programs.Where(p => ReferenceEquals(p.Program, program)).Select(p => (l.Path, p.Reason))).ToList();
            var reasons = linked.Select(x => x.Reason).ToList();
            if (reference is DateOnly day && HostContextCorrelation.IsRecent(program, day))
            {
                reasons.Add(HostContextCorrelation.Recent(program));
            }

            if (reasons.Count > 0)
            {
                // Each reason once, in ordinal order of its text, the same in both lists.
                ImmutableArray<ReportLine> lines = [.. reasons.DistinctBy(r => r.Text, StringComparer.Ordinal).OrderBy(r => r.Text, StringComparer.Ordinal)];
                programRows.Add(new ProgramContextRow(
                    program,
                    [.. lines.Select(r => r.Text)],
                    [.. linked.Select(x => x.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)])
                {
                    ReasonLines = lines,
                });
            }
        }

        var extensionRows = _hostContext.BrowserExtensions
            .Select(e => new ExtensionContextRow(
                e,
                [.. links.Where(l => l.Extensions.Any(x => ReferenceEquals(x, e))).Select(l => l.Path).Order(StringComparer.Ordinal)]))
            .ToImmutableArray();

        return new HostContextSection(
            _hostContext.Defender?.Status,
            detectionRows,
            [.. programRows
                .OrderByDescending(r => r.Program.InstallDate ?? DateOnly.MinValue)
                .ThenBy(r => r.Program.Name ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(r => r.Program.Source.Row ?? -1)],
            extensionRows,
            _hostContext.DefenceWeakened(_rules) is { } weakened ? [weakened] : []);
    }

    /// <summary>Collection day: the manifest's time, else the newest process start, else the boot time; never the clock.</summary>
    private DateOnly? ReferenceDay()
    {
        var time = _snapshot.Manifest?.CollectedAtUtc
            ?? _snapshot.Processes.Select(p => p.CreationTimeUtc).Where(t => t is not null).Max()
            ?? _snapshot.Host?.BootTimeUtc;
        return time is DateTimeOffset t ? DateOnly.FromDateTime(t.UtcDateTime) : null;
    }

    /// <summary>The after-cleanup line on programs: names the ones that possibly arrived with a copy, else stays general.</summary>
    private ReportLine ReviewProgramsLine()
    {
        var programs = Links().Values.SelectMany(l => l.Programs.Select(p => p.Program))
            .Distinct()
            .OrderBy(p => p.Source.Row ?? -1)
            .Select(p => $"{ProgramText(p)} ({ReportEvidence(p.Source)})")
            .ToList();
        return ReportWording.Line(ItemCodes.ReviewPrograms, [.. NamedList("programs", programs)]);
    }

    /// <summary>The after-cleanup line on extensions: names those in the profiles that hold a copy, else stays general.</summary>
    private ReportLine ReviewExtensionsLine()
    {
        var extensions = Links().Values.SelectMany(l => l.Extensions)
            .Distinct()
            .OrderBy(e => e.Source.Row ?? -1)
            .Select(e => $"{ExtensionText(e)} ({ReportEvidence(e.Source)})")
            .ToList();
        return ReportWording.Line(ItemCodes.ReviewExtensions, [.. NamedList("extensions", extensions)]);
    }

    /// <summary>The first <see cref="MaxNamedInCleanup"/> items as one parameter, and how many more there are.</summary>
    private static IEnumerable<(string Name, string? Value)> NamedList(string name, List<string> items)
    {
        yield return (name, items.Count == 0 ? null : string.Join("; ", items.Take(MaxNamedInCleanup)));
        yield return ("more", items.Count <= MaxNamedInCleanup ? null : (items.Count - MaxNamedInCleanup).ToString(CultureInfo.InvariantCulture));
    }

    private static string ReportEvidence(EvidenceRef evidence) => evidence.ToString();

    // How a program or an extension is named inside a finding or a checklist line: worded in the table too.
    private static string ProgramText(InstalledProgram program) => ReportWording.Line(
        ContextLineCodes.ProgramLabel,
        ("name", program.Name ?? program.RegistryKey),
        ("version", program.Version),
        ("publisher", program.Publisher)).Text;

    // Only extensions of the user whose profile holds a copy are named, so the user is always known here.
    private static string ExtensionText(BrowserExtension extension) => ReportWording.Line(
        ContextLineCodes.ExtensionLabel,
        ("browser", extension.Browser),
        ("name", extension.Name ?? extension.Id),
        ("id", extension.Id),
        ("user", extension.User)).Text;
}
