using CsrssForensics.Rules.Locations;
using System.Collections.Immutable;
using CsrssForensics.Windows.CommandLines;
using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;
using CsrssForensics.Rules.LookAlike;

namespace CsrssForensics.Rules.Facts;

/// <summary>
/// Computes the closed fact set for one subject from its <see cref="SubjectContext"/>. This is the only place that
/// interprets the context; rules see the facts, never files or records. Missing evidence gives
/// <see cref="FactValue.Unknown"/>, and so does a property the core-process table does not constrain.
/// </summary>
internal sealed class SubjectFacts
{
    // Sigma's system-file rules accept these servicing locations for copies of system binaries.
    private static readonly string[] _servicingUnderSystemRoot = ["WinSxS", "SoftwareDistribution", "servicing", "SystemTemp", "uus"];
    private static readonly string[] _servicingUnderDrive = ["$WINDOWS.~BT", "$WinREAgent"];

    private readonly Dictionary<string, FactValue> _facts = new(StringComparer.Ordinal);
    private readonly SubjectContext _context;
    private readonly CoreProcessRule? _core;
    private readonly LookAlikeMatch? _match;
    private readonly Func<string, LookAlikeMatch?> _matchName;
    private readonly MockFolderDetector _mock;
    private readonly string _systemRoot;
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

        Set(FactNames.PathInSystemFolder, FactValue.Of(!mock && !ads && !HasTrailingDotInFolder() && IsSystemFolder(WindowsPath.Directory(_normalizedPath))));
        if (_core is not null)
        {
            Set(FactNames.PathInExpectedFolder, FactValue.Of(!mock && !ads && !HasTrailingDotInFolder() && IsInFolders(_core)));
        }

        var servicing = _servicingUnderSystemRoot.Any(f => WindowsPath.IsUnder(_normalizedPath, _systemRoot + "\\" + f))
            || _servicingUnderDrive.Any(f => WindowsPath.IsUnder(_normalizedPath, _systemRoot[..3] + f));
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

    private void AddProcess()
    {
        var process = _context.Process;
        if (_context.Subject.Kind != SubjectKind.Process || process is null)
        {
            return;
        }

        var parent = _context.LivingParent;
        Set(FactNames.ProcessPid, FactValue.Of(process.Pid));
        Set(FactNames.ProcessHasLivingParent, FactValue.Of(parent is not null));
        Set(FactNames.ProcessParentName, FactValue.Of(parent?.Name));
        Set(FactNames.ProcessParentPidReused, FactValue.Of(_context.ParentPidReused));
        Set(FactNames.ProcessAccount, FactValue.Of(process.User));
        Set(FactNames.ProcessSessionId, FactValue.Of(process.SessionId));
        Set(FactNames.ProcessCommandLine, FactValue.Of(process.CommandLine));
        Set(FactNames.ProcessCommandLineKnown, FactValue.Of(!string.IsNullOrWhiteSpace(process.CommandLine)));
        Set(FactNames.ProcessCpuPercent, FactValue.Of(process.CpuPercent));
        Set(FactNames.ProcessGpuPercent, FactValue.Of(process.GpuPercent));
        Set(FactNames.ProcessChildren, FactValue.Of(_context.Children.Select(c => c.Name).Order(StringComparer.OrdinalIgnoreCase)));

        if (_core is null)
        {
            return;
        }

        AddParent(process, parent, _core);
        AddSession(process, _core);
        AddAccount(process, _core);
        AddCommandLine(process, _core);
        if (_core.ChildrenChecked)
        {
            UnexpectedChildren = [.. _context.Children.Where(c => !_core.AllowedChildren.Any(a => SameName(a, c.Name)))];
            Set(FactNames.ProcessUnexpectedChildren, FactValue.Of(UnexpectedChildren.Length));
            Set(FactNames.ProcessChildren, FactValue.Of(UnexpectedChildren.Select(c => c.Name).Order(StringComparer.OrdinalIgnoreCase)));
        }
        else
        {
            UnexpectedChildren = _context.Children;
        }
    }

    private void AddParent(ProcessRecord process, ProcessRecord? parent, CoreProcessRule core)
    {
        if (parent is not null)
        {
            var allowed = core.AllowedParents.Any(a => SameName(a, parent.Name)) && IsSystemImage(parent.ImagePath);
            Set(FactNames.ProcessParentAllowed, FactValue.Of(allowed));

            // No allowed list: for "none" any living parent is odd; for the others the parent is not checked.
            var unexpected = core.AllowedParents.IsEmpty ? core.LivingParent == LivingParentPolicy.None : !allowed;
            Set(FactNames.ProcessParentUnexpected, FactValue.Of(unexpected));
            return;
        }

        if (core.LivingParent == LivingParentPolicy.Required)
        {
            // Without a parent PID the snapshot simply does not say; with one, a required parent that is gone is odd.
            Set(FactNames.ProcessParentUnexpected, process.ParentPid is null ? FactValue.Unknown : FactValue.True);
        }
        else
        {
            Set(FactNames.ProcessParentUnexpected, FactValue.False);
        }
    }

    // The Windows folder itself, System32, SysWOW64 and their wbem folders: where Windows keeps its own programs.
    private bool IsSystemFolder(string? directory)
    {
        if (directory is null)
        {
            return false;
        }

        var key = WindowsPath.Key(directory);
        return new[] { _systemRoot, _systemRoot + @"\System32", _systemRoot + @"\SysWOW64", _systemRoot + @"\System32\wbem", _systemRoot + @"\SysWOW64\wbem" }
            .Any(f => string.Equals(WindowsPath.Key(f), key, StringComparison.Ordinal));
    }

    // The parent's own image must be a system one: "smss.exe" running from AppData is not smss.
    private bool IsSystemImage(string? imagePath)
    {
        if (string.IsNullOrWhiteSpace(imagePath))
        {
            return true;
        }

        var directory = WindowsPath.Directory(WindowsPath.Normalize(imagePath, _systemRoot));
        if (directory is null || WindowsPath.HasTrailingDotOrSpace(imagePath))
        {
            return false;
        }

        var key = WindowsPath.Key(directory);
        return new[] { _systemRoot, _systemRoot + @"\System32", _systemRoot + @"\SysWOW64", _systemRoot + @"\System32\wbem" }
            .Any(f => string.Equals(WindowsPath.Key(f), key, StringComparison.Ordinal))
            || WindowsPath.IsUnder(directory, _systemRoot[..3] + "ProgramData\\Microsoft\\Windows Defender\\Platform");
    }

    private void AddSession(ProcessRecord process, CoreProcessRule core)
    {
        if (process.SessionId is not int session)
        {
            return;
        }

        Set(FactNames.ProcessSessionExpected, core.Session switch
        {
            SessionPolicy.Zero => FactValue.Of(session == 0),
            SessionPolicy.NonZero => FactValue.Of(session > 0),
            _ => FactValue.Unknown,
        });

        // Compare paths, not counts: only same-path (or path-less) instances make a duplicate; a fake elsewhere in the
        // session gets its own verdict and does not make the genuine one odd.
        var ownKey = _normalizedPath is null ? null : WindowsPath.Key(_normalizedPath);
        SessionDuplicates = [.. _context.SameNameInSameSession.Where(other =>
        {
            var otherPath = WindowsPath.Normalize(other.ImagePath, _systemRoot);
            return other.Pid != process.Pid && (otherPath is null || ownKey is null || string.Equals(WindowsPath.Key(otherPath), ownKey, StringComparison.Ordinal));
        })];
        Set(FactNames.ProcessSessionDuplicates, FactValue.Of(SessionDuplicates.Length));
        if (core.Instances != InstancePolicy.Many)
        {
            Set(FactNames.ProcessSessionDuplicateUnexpected, FactValue.Of(SessionDuplicates.Length > 0));
        }
    }

    private void AddAccount(ProcessRecord process, CoreProcessRule core)
    {
        if (core.Accounts.IsEmpty || string.IsNullOrWhiteSpace(process.User))
        {
            return;
        }

        Set(FactNames.ProcessAccountExpected, FactValue.Of(core.Accounts.Any(a => AccountMatches(a, process.User))));
    }

    private void AddCommandLine(ProcessRecord process, CoreProcessRule core)
    {
        switch (core.CommandLine)
        {
            case CommandLineShape.SubSystemsWindows:
                var expected = _context.Host?.SubSystemsWindows;
                if (string.IsNullOrWhiteSpace(expected))
                {
                    Set(FactNames.ProcessExpectedCommandLine, FactValue.Of("ObjectDirectory=... SubSystemType=Windows ServerDll=... (SubSystems\\Windows not collected)"));
                    if (!string.IsNullOrWhiteSpace(process.CommandLine))
                    {
                        Set(FactNames.ProcessCommandLineExpected, FactValue.Of(LooksLikeSubSystemsCommandLine(process.CommandLine)));
                    }

                    break;
                }

                Set(FactNames.ProcessExpectedCommandLine, FactValue.Of(expected));
                if (!string.IsNullOrWhiteSpace(process.CommandLine))
                {
                    Set(FactNames.ProcessCommandLineExpected, FactValue.Of(CommandLinesMatch(process.CommandLine, expected)));
                }

                break;
            case CommandLineShape.SvchostGroup:
                Set(FactNames.ProcessExpectedCommandLine, FactValue.Of("-k <group>"));
                if (!string.IsNullOrWhiteSpace(process.CommandLine))
                {
                    Set(FactNames.ProcessCommandLineExpected, FactValue.Of(HasServiceGroup(process.CommandLine)));
                }

                break;
        }
    }

    /// <summary>
    /// csrss: the process command line against SubSystems\Windows. %SystemRoot% is expanded on both sides (smss
    /// leaves it unexpanded in the command line, the registry value holds it unexpanded, collectors may expand it);
    /// the program is compared as a normalized path, the arguments case-insensitively with all white space removed.
    /// </summary>
    internal bool CommandLinesMatch(string actual, string expected)
    {
        var (programA, argumentsA) = SplitProgram(ExpandSystemRoot(actual));
        var (programE, argumentsE) = SplitProgram(ExpandSystemRoot(expected));
        var pathA = WindowsPath.Normalize(programA, _systemRoot);
        var pathE = WindowsPath.Normalize(programE, _systemRoot);
        return pathA is not null && pathE is not null
            && string.Equals(WindowsPath.Key(pathA), WindowsPath.Key(pathE), StringComparison.Ordinal)
            && string.Equals(Squeeze(argumentsA), Squeeze(argumentsE), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// csrss when the host's SubSystems value was not collected: the command line must still look like one smss
    /// builds from it (ObjectDirectory=, SubSystemType=Windows, ServerDll=); a bare or foreign command line does not.
    /// </summary>
    internal static bool LooksLikeSubSystemsCommandLine(string actual) =>
        actual.Contains("ObjectDirectory=", StringComparison.OrdinalIgnoreCase)
        && actual.Contains("SubSystemType=Windows", StringComparison.OrdinalIgnoreCase)
        && actual.Contains("ServerDll=", StringComparison.OrdinalIgnoreCase);

    // The program ends at the closing quote when it starts with one, else at the first white space (CommandLineToArgvW).
    private static (string Program, string Arguments) SplitProgram(string commandLine)
    {
        var text = commandLine.TrimStart();
        if (text.StartsWith('"'))
        {
            var close = text.IndexOf('"', 1);
            return close < 0 ? (text[1..], string.Empty) : (text[1..close], text[(close + 1)..]);
        }

        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return (text[..end], text[end..]);
    }

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private string ExpandSystemRoot(string text) =>
        text.Replace("%SystemRoot%", _systemRoot, StringComparison.OrdinalIgnoreCase)
            .Replace("%windir%", _systemRoot, StringComparison.OrdinalIgnoreCase);

    private static bool HasServiceGroup(string commandLine)
    {
        var tokens = CommandLine.Tokenize(commandLine);
        for (var i = 1; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Equals("-k", StringComparison.OrdinalIgnoreCase) || token.Equals("/k", StringComparison.OrdinalIgnoreCase))
            {
                return i + 1 < tokens.Length && tokens[i + 1].Trim().Length > 0 && !tokens[i + 1].StartsWith('-');
            }
        }

        return false;
    }

    private void AddLaunchers()
    {
        var launchers = _context.Launchers.IsDefault ? [] : _context.Launchers;
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
        var copies = _context.SameNameCopies.IsDefault ? [] : _context.SameNameCopies;
        Set(FactNames.CopiesCount, FactValue.Of(copies.Length));
        var userWritable = copies.Where(UserWritableFolders.Contains).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        Set(FactNames.CopiesUserWritableCount, FactValue.Of(userWritable.Count));
        Set(FactNames.CopiesUserWritablePaths, FactValue.Of(userWritable));
    }

    private static bool SameName(string expected, string actual) =>
        string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase)
        || string.Equals(Stem(expected), actual, StringComparison.OrdinalIgnoreCase);

    // "NT AUTHORITY\SYSTEM" also matches a bare "SYSTEM" and localized authority names ("NT-AUTORITÄT\SYSTEM"):
    // the well-known account is identified by its name part. Other patterns compare the whole text; * is a wildcard.
    internal static bool AccountMatches(string pattern, string user)
    {
        var u = user.Trim();
        if (Glob(pattern, u))
        {
            return true;
        }

        var patternCut = pattern.LastIndexOf('\\');
        var userCut = u.LastIndexOf('\\');
        var patternName = patternCut < 0 ? pattern : pattern[(patternCut + 1)..];
        var userName = userCut < 0 ? u : u[(userCut + 1)..];
        var authority = patternCut > 0 && pattern[..patternCut].Equals("NT AUTHORITY", StringComparison.OrdinalIgnoreCase);
        return (authority || userCut < 0) && Glob(patternName, userName);
    }

    private static bool Glob(string pattern, string text)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, text, StringComparison.OrdinalIgnoreCase);
        }

        var prefix = pattern[..star];
        var suffix = pattern[(star + 1)..];
        return text.Length >= prefix.Length + suffix.Length
            && text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }

    private static string Stem(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }

    private static string RemoveSuffix(string text, string suffix) =>
        text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? text[..^suffix.Length] : text;
}
