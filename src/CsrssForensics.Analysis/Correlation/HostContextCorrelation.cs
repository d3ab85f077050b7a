using System.Collections.Immutable;
using System.Globalization;
using CsrssForensics.Analysis.Composition;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Reporting.Wording;
using CsrssForensics.Rules;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>A Defender detection that names a path, and how it names it (a flagged resource or the detecting process).</summary>
internal readonly record struct DefenderMatch(DefenderDetection Detection, string Via);

/// <summary>An installed program linked to a suspicious copy, and why (a <c>PROG-*</c> line).</summary>
internal readonly record struct ProgramLink(InstalledProgram Program, ReportLine Reason);

/// <summary>
/// Ties the context parts (programs.json, browser-extensions.json, defender.json) to judged paths. Everything here is
/// secondary evidence the host reports about itself: it corroborates and points the cleanup at more items, it never
/// changes a verdict. Deterministic: results keep file order, dates compare as calendar days, no clock is read.
/// </summary>
internal sealed class HostContextCorrelation
{
    /// <summary>Days before or after a copy's creation (or first start) in which an installed program is linked to it.</summary>
    public const int ArrivalWindowDays = 7;

    /// <summary>Days before collection in which a program counts as recently installed for the host context.</summary>
    public const int RecentDays = 30;

    /// <summary>Links listed per subject: a flooded programs.json must not bury the verdict.</summary>
    public const int MaxLinksPerSubject = 10;

    private static readonly HashSet<string> _resourceKinds = new(StringComparer.OrdinalIgnoreCase) { "file", "containerfile" };

    private readonly string _systemRoot;
    private readonly BundleSnapshot _snapshot;
    private readonly List<(DefenderDetection Detection, HashSet<string> ResourceKeys, string? ProcessKey)> _detections = [];

    public HostContextCorrelation(BundleSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _snapshot = snapshot;
        _systemRoot = WindowsPath.Normalize(snapshot.Host?.SystemRoot) ?? WindowsPath.DefaultSystemRoot;
        foreach (var detection in snapshot.Defender?.Detections ?? [])
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in detection.Resources)
            {
                if (ResourcePath(resource, _systemRoot) is { } path)
                {
                    keys.Add(WindowsPath.Key(path));
                }
            }

            var process = WindowsPath.Normalize(detection.ProcessName, _systemRoot);
            _detections.Add((detection, keys, process is null ? null : WindowsPath.Key(process)));
        }
    }

    public ImmutableArray<InstalledProgram> Programs => _snapshot.Programs;

    public ImmutableArray<BrowserExtension> BrowserExtensions => _snapshot.BrowserExtensions;

    public DefenderState? Defender => _snapshot.Defender;

    /// <summary>
    /// The host path a Defender resource names: <c>file:_C:\x\y.exe</c> and <c>containerfile:_C:\x\a.zip</c> (an
    /// archive member after <c>-&gt;</c> is dropped: the file on disk is the container); a bare path is read as is.
    /// Registry keys, processes and behaviours name no file: null.
    /// </summary>
    internal static string? ResourcePath(string? resource, string? systemRoot)
    {
        if (string.IsNullOrWhiteSpace(resource))
        {
            return null;
        }

        var text = resource.Trim();
        var marker = text.IndexOf(":_", StringComparison.Ordinal);
        if (marker > 0)
        {
            if (!_resourceKinds.Contains(text[..marker]))
            {
                return null;
            }

            text = text[(marker + 2)..];
        }

        var member = text.IndexOf("->", StringComparison.Ordinal);
        if (member >= 0)
        {
            text = text[..member];
        }

        return WindowsPath.Normalize(text, systemRoot);
    }

    /// <summary>The detections whose resources or process name <paramref name="normalizedPath"/>, in file order.</summary>
    public ImmutableArray<DefenderMatch> DetectionsNaming(string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(normalizedPath);
        var key = WindowsPath.Key(normalizedPath);
        var result = ImmutableArray.CreateBuilder<DefenderMatch>();
        foreach (var (detection, resources, process) in _detections)
        {
            if (resources.Contains(key))
            {
                result.Add(new DefenderMatch(detection, "resource"));
            }
            else if (process == key)
            {
                result.Add(new DefenderMatch(detection, "process"));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Programs installed within <see cref="ArrivalWindowDays"/> days of any of <paramref name="anchors"/> (the copy's
    /// creation and first start), or installed into a folder that holds the copy. File order.
    /// </summary>
    public ImmutableArray<ProgramLink> ProgramsNear(string normalizedPath, IEnumerable<DateTimeOffset> anchors)
    {
        ArgumentNullException.ThrowIfNull(normalizedPath);
        ArgumentNullException.ThrowIfNull(anchors);
        var days = anchors.Select(a => DateOnly.FromDateTime(a.UtcDateTime)).Distinct().Order().ToList();
        var folder = WindowsPath.Directory(normalizedPath);
        var result = ImmutableArray.CreateBuilder<ProgramLink>();
        foreach (var program in _snapshot.Programs)
        {
            var location = WindowsPath.Normalize(program.InstallLocation, _systemRoot);
            if (location is not null && folder is not null && !IsGenericFolder(location)
                && (WindowsPath.Key(location).TrimEnd('\\') == WindowsPath.Key(folder).TrimEnd('\\') || WindowsPath.IsUnder(folder, location)))
            {
                result.Add(new ProgramLink(program, ReportWording.Line(ContextLineCodes.ProgramInstalledInto, ("location", location), ("path", normalizedPath))));
                continue;
            }

            if (program.InstallDate is not DateOnly installed)
            {
                continue;
            }

            // InstallDate is the host's local calendar day, the anchors are UTC: a day apart either way is within noise,
            // which the seven-day window absorbs.
            foreach (var day in days)
            {
                var distance = installed.DayNumber - day.DayNumber;
                if (Math.Abs(distance) <= ArrivalWindowDays)
                {
                    result.Add(new ProgramLink(program, Arrival(installed, day, normalizedPath)));
                    break;
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>True when the program was installed in the <see cref="RecentDays"/> days up to <paramref name="reference"/>.</summary>
    public static bool IsRecent(InstalledProgram program, DateOnly reference)
    {
        ArgumentNullException.ThrowIfNull(program);
        return program.InstallDate is DateOnly installed
            && installed.DayNumber <= reference.DayNumber + 1
            && installed.DayNumber >= reference.DayNumber - RecentDays;
    }

    /// <summary>
    /// Extensions of the user whose profile (<c>C:\Users\&lt;name&gt;</c>) holds <paramref name="normalizedPath"/>, in file
    /// order; empty when the path is in no user profile. The bundle records no install time for extensions.
    /// </summary>
    public ImmutableArray<BrowserExtension> ExtensionsInProfileOf(string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(normalizedPath);
        return ProfileUser(normalizedPath) is { } user
            ? [.. _snapshot.BrowserExtensions.Where(e => string.Equals(e.User, user, StringComparison.OrdinalIgnoreCase))]
            : [];
    }

    /// <summary>The profile folder name of <c>X:\Users\&lt;name&gt;\...</c>, or null.</summary>
    internal static string? ProfileUser(string normalizedPath)
    {
        var segments = normalizedPath.Split('\\', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 3 && segments[0].Length == 2 && segments[0][1] == ':'
            && string.Equals(segments[1], "Users", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(segments[2], "Public", StringComparison.OrdinalIgnoreCase)
            ? segments[2]
            : null;
    }

    /// <summary>A host-level finding when Defender's real-time or tamper protection is reported off; else null.</summary>
    public Finding? DefenceWeakened(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var status = _snapshot.Defender?.Status;
        if (status is null)
        {
            return null;
        }

        var realTimeOff = status.RealTimeProtectionEnabled == false;
        var tamperOff = status.IsTamperProtected == false;
        if (!realTimeOff && !tamperOff)
        {
            return null;
        }

        var variant = (realTimeOff, tamperOff) switch
        {
            (true, false) => HostContextVariants.RealTimeOff,
            (false, true) => HostContextVariants.TamperOff,
            _ => null,
        };
        return rules.Produce(HostContextCodes.DefenceWeakened, variant, [status.Source]);
    }

    /// <summary>
    /// Folders too broad to tie a program to a copy: a drive root, the Users folder, a profile and its AppData, Temp,
    /// Desktop, Downloads and Documents folders, Program Files, ProgramData, and the Windows folder with everything
    /// under it. An InstallLocation is written by the installer, so a hostile one must not link everything.
    /// </summary>
    private bool IsGenericFolder(string location)
    {
        var key = WindowsPath.Key(location).TrimEnd('\\');
        var systemRoot = WindowsPath.Key(_systemRoot);
        if (key == systemRoot || WindowsPath.IsUnder(location, _systemRoot))
        {
            return true;
        }

        var segments = key.Split('\\', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length <= 1)
        {
            return true;
        }

        return segments[1] switch
        {
            "PROGRAM FILES" or "PROGRAM FILES (X86)" or "PROGRAMDATA" => segments.Length == 2,
            "USERS" => segments.Length <= 3
                || (segments.Length == 4 && segments[3] is "APPDATA" or "DESKTOP" or "DOWNLOADS" or "DOCUMENTS")
                || (segments.Length == 5 && segments[3] == "APPDATA" && segments[4] is "LOCAL" or "ROAMING" or "LOCALLOW")
                || (segments.Length == 6 && segments[3] == "APPDATA" && segments[4] == "LOCAL" && segments[5] == "TEMP"),
            _ => false,
        };
    }

    /// <summary>The reason for a program installed near the day a copy appeared: the wording says how many days apart.</summary>
    private static ReportLine Arrival(DateOnly installed, DateOnly appeared, string path)
    {
        var distance = installed.DayNumber - appeared.DayNumber;
        var code = distance switch
        {
            0 => ContextLineCodes.ProgramInstalledSameDay,
            1 => ContextLineCodes.ProgramInstalledDayAfter,
            -1 => ContextLineCodes.ProgramInstalledDayBefore,
            > 0 => ContextLineCodes.ProgramInstalledDaysAfter,
            _ => ContextLineCodes.ProgramInstalledDaysBefore,
        };
        (string, string?)[] parameters = [("installed", Day(installed)), ("path", path), ("appeared", Day(appeared))];
        return Math.Abs(distance) > 1
            ? ReportWording.Line(code, [.. parameters, ("days", Math.Abs(distance).ToString(CultureInfo.InvariantCulture))])
            : ReportWording.Line(code, parameters);
    }

    /// <summary>The reason for a program installed in the <see cref="RecentDays"/> days before collection.</summary>
    public static ReportLine Recent(InstalledProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return ReportWording.Line(
            ContextLineCodes.ProgramInstalledRecently,
            ("installed", program.InstallDate is DateOnly installed ? Day(installed) : null),
            ("days", RecentDays.ToString(CultureInfo.InvariantCulture)));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
