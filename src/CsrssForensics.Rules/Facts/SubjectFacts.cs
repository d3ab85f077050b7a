using System.Collections.Immutable;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules.Locations;
using CsrssForensics.Rules.LookAlike;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Rules.Facts;

/// <summary>
/// Computes the closed fact set for one subject from its <see cref="SubjectContext"/>. This is the only place that
/// interprets the context; rules see the facts, never files or records. Missing evidence gives
/// <see cref="FactValue.Unknown"/>, and so does a property the core-process table does not constrain.
/// </summary>
internal sealed partial class SubjectFacts
{
    // Every name of the closed set is present, so the table is sized for all of them up front.
    private readonly Dictionary<string, FactValue> _facts = new(FactNames.Types.Count, StringComparer.Ordinal);
    private readonly SubjectContext _context;
    private readonly CoreProcessRule? _core;
    private readonly LookAlikeMatch? _match;
    private readonly Func<string, LookAlikeMatch?> _matchName;
    private readonly MockFolderDetector _mock;
    private readonly string _systemRoot;
    private readonly SystemRootFolders _folders;
    private readonly string? _normalizedPath;
    private readonly ImmutableArray<string> _rawPaths;

    private SubjectFacts(SubjectContext context, CoreProcessRule? core, LookAlikeMatch? match, Func<string, LookAlikeMatch?> matchName, MockFolderDetector mock)
    {
        _context = context;
        _core = core;
        _match = match;
        _matchName = matchName;
        _mock = mock;
        _systemRoot = WindowsPath.Normalize(context.Host?.SystemRoot) is { } root && root.Length >= 3 && root[1] == ':'
            ? root
            : WindowsPath.DefaultSystemRoot;
        _folders = SystemRootFolders.For(_systemRoot);
        _rawPaths = [.. new[] { context.Process?.ImagePath, context.File?.Path, context.Subject.Path }.OfType<string>().Where(p => p.Trim().Length > 0)];
        _normalizedPath = _rawPaths.Select(p => WindowsPath.Normalize(p, _systemRoot)).FirstOrDefault(p => p is not null);
    }

    /// <summary>Unexpected launchers (by the core-process table), for findings' evidence.</summary>
    public ImmutableArray<LauncherLink> UnexpectedLaunchers { get; private set; } = [];

    /// <summary>Children outside the allowed list (all children when the table does not check them).</summary>
    public ImmutableArray<ProcessRecord> UnexpectedChildren { get; private set; } = [];

    /// <summary>Same-session instances that count as duplicates.</summary>
    public ImmutableArray<ProcessRecord> SessionDuplicates { get; private set; } = [];

    /// <summary>The facts, every name of the closed set present.</summary>
    public IReadOnlyDictionary<string, FactValue> Values => _facts;

    /// <summary>The file name the rules judged: the raw last segment of the image path (tricks kept), or the process name.</summary>
    public static string? JudgedFileName(SubjectContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var raw in new[] { context.Process?.ImagePath, context.File?.Path, context.Subject.Path })
        {
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var text = raw.Trim().Trim('"');
            var cut = text.LastIndexOfAny(['\\', '/']);
            var name = cut < 0 ? text : text[(cut + 1)..];
            if (name.Length > 0)
            {
                return name;
            }
        }

        return string.IsNullOrWhiteSpace(context.Subject.Name) ? context.Process?.Name : context.Subject.Name;
    }

    public static SubjectFacts Compute(SubjectContext context, CoreProcessRule? core, LookAlikeMatch? match, Func<string, LookAlikeMatch?> matchName, MockFolderDetector mock)
    {
        var facts = new SubjectFacts(context, core, match, matchName, mock);
        foreach (var name in FactNames.Types.Keys)
        {
            facts._facts[name] = FactValue.Unknown;
        }

        facts.AddSubject();
        facts.AddName();
        facts.AddPath();
        facts.AddSignature();
        facts.AddVendorResemblance();
        facts.AddBinary();
        facts.AddProcess();
        facts.AddLaunchers();
        facts.AddCopies();
        return facts;
    }

    private void Set(string name, FactValue value) => _facts[name] = value;

    private void AddSubject()
    {
        Set(FactNames.CoreName, FactValue.Of(_core?.Name));
        if (_core is not null)
        {
            Set(FactNames.CoreExpectedFolders, FactValue.Of(_core.ExpectedFolders(_systemRoot)));
        }

        Set(FactNames.SubjectKind, FactValue.Of(_context.Subject.Kind.ToString()));
        Set(FactNames.SubjectPath, FactValue.Of(_normalizedPath));
        Set(FactNames.HostSystemRoot, FactValue.Of(_systemRoot));
        Set(FactNames.HostSystemRootKnown, FactValue.Of(!string.IsNullOrWhiteSpace(_context.Host?.SystemRoot)));
        Set(FactNames.HostSubSystemsWindowsKnown, FactValue.Of(!string.IsNullOrWhiteSpace(_context.Host?.SubSystemsWindows)));
    }

    private void AddName()
    {
        var fileName = JudgedFileName(_context);
        Set(FactNames.NameFile, FactValue.Of(fileName));
        Set(FactNames.NameExact, FactValue.Of(_match is not null && _match.IsExact));
        Set(FactNames.NameLookAlike, FactValue.Of(_match is not null && !_match.IsExact));
        if (_match is not null)
        {
            Set(FactNames.NameTarget, FactValue.Of(_match.RealName));
            Set(FactNames.NameTechniques, FactValue.Of(_match.Techniques.Select(t => t.ToString())));
            Set(FactNames.NameDistance, FactValue.Of(_match.Distance));
        }

        var process = _context.Process;
        var imageName = _rawPaths.Length > 0 ? WindowsPath.FileName(_rawPaths[0]) : null;
        if (process is not null && imageName is not null && !string.IsNullOrWhiteSpace(process.Name))
        {
            // Get-Process style names drop ".exe"; that alone is not a mismatch.
            var same = string.Equals(process.Name, imageName, StringComparison.OrdinalIgnoreCase)
                || string.Equals(process.Name, Stem(imageName), StringComparison.OrdinalIgnoreCase);
            Set(FactNames.NameProcessNameMismatch, FactValue.Of(!same));
        }
    }

    private void AddPath()
    {
        Set(FactNames.PathKnown, FactValue.Of(_normalizedPath is not null));
        if (_normalizedPath is null)
        {
            return;
        }

        var trailing = _rawPaths.Any(WindowsPath.HasTrailingDotOrSpace);
        var mock = _rawPaths.Any(_mock.IsMock);
        var afterDrive = _normalizedPath.Length > 2 && _normalizedPath[1] == ':' ? _normalizedPath[2..] : _normalizedPath;
        var ads = afterDrive.Contains(':', StringComparison.Ordinal);
        Set(FactNames.PathTrailingDotOrSpace, FactValue.Of(trailing));
        Set(FactNames.PathMockSystemFolder, FactValue.Of(mock));
        Set(FactNames.PathAlternateDataStream, FactValue.Of(ads));
        Set(FactNames.PathInSystem32, FactValue.Of(!mock && _rawPaths.All(p => WindowsPath.IsSystem32(p, _systemRoot))));

        var folderTrick = mock || ads || HasTrailingDotInFolder();
        Set(FactNames.PathInSystemFolder, FactValue.Of(!folderTrick && IsSystemFolder(WindowsPath.Directory(_normalizedPath))));
        if (_core is not null)
        {
            Set(FactNames.PathInExpectedFolder, FactValue.Of(!folderTrick && IsInFolders(_core)));
        }

        // WindowsPath.IsUnder for each servicing folder, with the path's key made once.
        var pathKey = WindowsPath.Normalize(_normalizedPath) is { } path ? WindowsPath.Key(path) : null;
        var servicing = Array.Exists(_folders.ServicingFolderKeys, folder => SystemRootFolders.IsUnder(pathKey, folder));
        Set(FactNames.PathInServicingFolder, FactValue.Of(servicing));

        var kind = _rawPaths.Select(UserWritableFolders.Classify).FirstOrDefault(k => k != WritableLocation.None);
        if (kind == WritableLocation.None)
        {
            kind = UserWritableFolders.Classify(_normalizedPath);
        }

        Set(FactNames.PathUserWritable, FactValue.Of(kind != WritableLocation.None));
        Set(FactNames.PathUserWritableKind, kind == WritableLocation.None ? FactValue.Unknown : FactValue.Of(kind.ToString()));
    }

    // A trailing dot or space on the file name itself is a name trick (judged by the look-alike matcher);
    // on a folder it makes a different folder than the real one.
    private bool HasTrailingDotInFolder() => _rawPaths.Any(p =>
    {
        var cut = p.LastIndexOfAny(['\\', '/']);
        return cut > 0 && WindowsPath.HasTrailingDotOrSpace(p[..cut]);
    });

    private bool IsInFolders(CoreProcessRule core)
    {
        var directory = WindowsPath.Directory(_normalizedPath);
        if (directory is null)
        {
            return false;
        }

        var key = WindowsPath.Key(directory);
        return core.ExpectedFolders(_systemRoot).Any(f => string.Equals(WindowsPath.Key(f), key, StringComparison.Ordinal));
    }

    /// <summary>
    /// Every per-user application has the three facts that made a look-alike fake (a name near a core name, a
    /// non-Microsoft signature, a user-writable folder); Zoom's CptHost.exe is two edits from conhost.exe. What a
    /// masquerade has and a vendor's program does not: a character trick, a one-edit misspelling, no signature, or a
    /// signature claiming Microsoft. A trusted offline chain or the host's word that another publisher signed it
    /// makes the name resemblance alone no evidence of a masquerade; how far it goes to "legitimate" is the tree's call
    /// (the host's word, or a chain to a root only the host's own store trusts, gives inconclusive).
    /// </summary>
    private void AddVendorResemblance()
    {
        var signature = _context.Signature;
        var plainMisspelling = _match is { IsExact: false, Distance: >= 2 }
            && _match.Techniques.All(t => t == LookAlikeTechnique.EditDistance);
        var claimsMicrosoft = signature.SignerSubject?.Contains("Microsoft", StringComparison.OrdinalIgnoreCase) ?? false;
        var offlineTrusted = signature.Source is SignatureSource.OfflineEmbedded or SignatureSource.OfflineCatalog or SignatureSource.Offline
            && signature.ChainTrusted == true;
        var vouched = offlineTrusted || signature.Source == SignatureSource.HostReported;
        Set(FactNames.NameVendorResemblance, FactValue.Of(
            plainMisspelling && signature.Status == SignatureStatus.SignedOther && !claimsMicrosoft && vouched));
    }

    private void AddSignature()
    {
        var signature = _context.Signature;
        Set(FactNames.SignatureStatus, FactValue.Of(signature.Status.ToString()));
        Set(FactNames.SignatureSource, FactValue.Of(signature.Source.ToString()));
        Set(FactNames.SignatureSigner, FactValue.Of(signature.SignerSubject));
        Set(FactNames.SignatureRootOrigin, FactValue.Of(signature.RootOrigin.ToString()));
        Set(FactNames.SignatureHostStatus, FactValue.Of(signature.HostStatus));
        var offline = signature.Source is SignatureSource.OfflineEmbedded or SignatureSource.OfflineCatalog or SignatureSource.Offline;
        if (offline && !string.IsNullOrWhiteSpace(signature.HostStatus))
        {
            var hostValid = string.Equals(signature.HostStatus.Trim(), "Valid", StringComparison.OrdinalIgnoreCase);
            var offlineValid = signature.Status is SignatureStatus.MicrosoftSigned or SignatureStatus.SignedOther;
            // A host that trusts an attacker's root calls a forged "Microsoft Windows" signature Valid: the bytes say
            // signed-other. That is the disagreement that matters most, so "valid but not Microsoft" counts too.
            var hostClaimsMicrosoft = hostValid
                && (_context.File?.HostSignature.SignerSubject?.Contains("Microsoft", StringComparison.OrdinalIgnoreCase) ?? false);
            var offlineMicrosoft = signature.Status == SignatureStatus.MicrosoftSigned;
            Set(FactNames.SignatureHostDisagrees, FactValue.Of(hostValid != offlineValid || (hostClaimsMicrosoft && !offlineMicrosoft)));
        }
    }

    private void AddBinary()
    {
        var binary = _context.Binary;
        Set(FactNames.BinaryCollected, FactValue.Of(binary is not null || !string.IsNullOrEmpty(_context.File?.BinaryBundlePath)));
        Set(FactNames.BinaryFileDescription, FactValue.Of(string.IsNullOrWhiteSpace(binary?.FileDescription) ? null : binary.FileDescription.Trim()));
        var size = _context.File?.Size;
        Set(FactNames.FileSizeBytes, FactValue.Of(size));
        if (size is long bytes && _core?.MaxSizeBytes is long max)
        {
            Set(FactNames.FileOversized, FactValue.Of(bytes > max));
        }

        var original = binary?.OriginalFilename?.Trim();
        if (string.IsNullOrEmpty(original))
        {
            return;
        }

        Set(FactNames.BinaryOriginalFilename, FactValue.Of(original));
        var fileName = JudgedFileName(_context);
        if (fileName is not null)
        {
            // Version resources drop or change the extension (".MUI", no extension at all); compare base names.
            var originalStem = Stem(RemoveSuffix(original, ".mui"));
            var fileStem = Stem(fileName.Trim().TrimEnd('.', ' '));
            Set(FactNames.BinaryOriginalFilenameMismatch, FactValue.Of(!string.Equals(originalStem, fileStem, StringComparison.OrdinalIgnoreCase)));
        }

        var originalMatch = _matchName(RemoveSuffix(original, ".mui"));
        Set(FactNames.BinaryOriginalFilenameIsCore, FactValue.Of(originalMatch is not null && originalMatch.IsExact));
    }

    // The Windows folder itself, System32, SysWOW64 and their wbem folders: where Windows keeps its own programs.
    private bool IsSystemFolder(string? directory)
    {
        if (directory is null)
        {
            return false;
        }

        return SystemRootFolders.IsOneOf(WindowsPath.Key(directory), _folders.SystemFolderKeys);
    }

    private void AddLaunchers()
    {
        var launchers = _context.Launchers;
        Set(FactNames.LaunchersCount, FactValue.Of(launchers.Length));
        UnexpectedLaunchers = [.. launchers.Where(l =>
            _core is null
            || !_core.NormalLaunchers.Contains(l.Kind, StringComparer.OrdinalIgnoreCase)
            || (l.ResolvedTarget is not null && !TargetInExpectedFolder(l.ResolvedTarget, _core)))];
        Set(FactNames.LaunchersUnexpectedCount, FactValue.Of(UnexpectedLaunchers.Length));
        Set(FactNames.LaunchersKinds, FactValue.Of(UnexpectedLaunchers.Select(l => $"{l.Kind} '{l.Name}'").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
    }

    private bool TargetInExpectedFolder(string target, CoreProcessRule core)
    {
        var directory = WindowsPath.Directory(WindowsPath.Normalize(target, _systemRoot));
        return directory is not null && !WindowsPath.HasTrailingDotOrSpace(target)
            && core.ExpectedFolders(_systemRoot).Any(f => string.Equals(WindowsPath.Key(f), WindowsPath.Key(directory), StringComparison.Ordinal));
    }

    private void AddCopies()
    {
        var copies = _context.SameNameCopies;
        Set(FactNames.CopiesCount, FactValue.Of(copies.Length));
        var userWritable = copies.Where(UserWritableFolders.Contains).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        Set(FactNames.CopiesUserWritableCount, FactValue.Of(userWritable.Count));
        Set(FactNames.CopiesUserWritablePaths, FactValue.Of(userWritable));
    }

    private static bool SameName(string expected, string actual) =>
        string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Stem(expected), actual, StringComparison.OrdinalIgnoreCase);

    private static string Stem(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }

    private static string RemoveSuffix(string text, string suffix) =>
        text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? text[..^suffix.Length] : text;
}
