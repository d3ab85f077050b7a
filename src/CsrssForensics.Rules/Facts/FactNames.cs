using System.Collections.Frozen;

namespace CsrssForensics.Rules.Facts;

/// <summary>
/// The closed set of facts rules may use, with their types. The schema enumerates the same names; the loader
/// rejects any other name, and type-checks every operator against this table.
/// </summary>
internal static class FactNames
{
    public const string CoreName = "core.name";
    public const string CoreExpectedFolders = "core.expectedFolders";
    public const string SubjectKind = "subject.kind";
    public const string SubjectPath = "subject.path";
    public const string NameFile = "name.file";
    public const string NameExact = "name.exact";
    public const string NameLookAlike = "name.lookAlike";
    public const string NameTarget = "name.target";
    public const string NameTechniques = "name.techniques";
    public const string NameDistance = "name.distance";
    public const string NameProcessNameMismatch = "name.processNameMismatch";

    /// <summary>
    /// A look-alike only by spelling (edit distance 2 or more; no homoglyph, digit, invisible, extension or
    /// transposition trick) of a file signed by another publisher, not claiming to be Microsoft, whose signature is
    /// either verified offline with a trusted chain or only host-reported. See rules.json CORE-107.
    /// </summary>
    public const string NameVendorResemblance = "name.vendorResemblance";
    public const string PathKnown = "path.known";
    public const string PathInExpectedFolder = "path.inExpectedFolder";
    public const string PathInSystem32 = "path.inSystem32";
    public const string PathInSystemFolder = "path.inSystemFolder";
    public const string PathInServicingFolder = "path.inServicingFolder";
    public const string PathUserWritable = "path.userWritable";
    public const string PathUserWritableKind = "path.userWritableKind";
    public const string PathMockSystemFolder = "path.mockSystemFolder";
    public const string PathTrailingDotOrSpace = "path.trailingDotOrSpace";
    public const string PathAlternateDataStream = "path.alternateDataStream";
    public const string SignatureStatus = "signature.status";
    public const string SignatureSource = "signature.source";
    public const string SignatureSigner = "signature.signer";
    public const string SignatureRootOrigin = "signature.rootOrigin";
    public const string SignatureHostStatus = "signature.hostStatus";
    public const string SignatureHostDisagrees = "signature.hostDisagrees";
    public const string BinaryCollected = "binary.collected";
    public const string BinaryFileDescription = "binary.fileDescription";
    public const string BinaryOriginalFilename = "binary.originalFilename";
    public const string BinaryOriginalFilenameMismatch = "binary.originalFilenameMismatch";
    public const string BinaryOriginalFilenameIsCore = "binary.originalFilenameIsCore";
    public const string FileSizeBytes = "file.sizeBytes";
    public const string FileOversized = "file.oversized";
    public const string ProcessPid = "process.pid";
    public const string ProcessHasLivingParent = "process.hasLivingParent";
    public const string ProcessParentName = "process.parentName";
    public const string ProcessParentAllowed = "process.parentAllowed";
    public const string ProcessParentUnexpected = "process.parentUnexpected";
    public const string ProcessParentPidReused = "process.parentPidReused";
    public const string ProcessSessionDuplicates = "process.sessionDuplicates";
    public const string ProcessSessionDuplicateUnexpected = "process.sessionDuplicateUnexpected";
    public const string ProcessAccount = "process.account";
    public const string ProcessAccountExpected = "process.accountExpected";
    public const string ProcessSessionId = "process.sessionId";
    public const string ProcessSessionExpected = "process.sessionExpected";
    public const string ProcessCommandLine = "process.commandLine";
    public const string ProcessCommandLineKnown = "process.commandLineKnown";
    public const string ProcessCommandLineExpected = "process.commandLineExpected";
    public const string ProcessExpectedCommandLine = "process.expectedCommandLine";
    public const string ProcessChildren = "process.children";
    public const string ProcessUnexpectedChildren = "process.unexpectedChildren";
    public const string ProcessCpuPercent = "process.cpuPercent";
    public const string ProcessGpuPercent = "process.gpuPercent";
    public const string LaunchersCount = "launchers.count";
    public const string LaunchersUnexpectedCount = "launchers.unexpectedCount";
    public const string LaunchersKinds = "launchers.kinds";
    public const string CopiesCount = "copies.count";
    public const string CopiesUserWritableCount = "copies.userWritableCount";
    public const string CopiesUserWritablePaths = "copies.userWritablePaths";
    public const string HostSystemRoot = "host.systemRoot";
    public const string HostSystemRootKnown = "host.systemRootKnown";
    public const string HostSubSystemsWindowsKnown = "host.subSystemsWindowsKnown";

    /// <summary>Every fact and its type.</summary>
    public static FrozenDictionary<string, FactKind> Types { get; } = new Dictionary<string, FactKind>(StringComparer.Ordinal)
    {
        [CoreName] = FactKind.Text,
        [CoreExpectedFolders] = FactKind.List,
        [SubjectKind] = FactKind.Text,
        [SubjectPath] = FactKind.Text,
        [NameFile] = FactKind.Text,
        [NameExact] = FactKind.Boolean,
        [NameLookAlike] = FactKind.Boolean,
        [NameTarget] = FactKind.Text,
        [NameTechniques] = FactKind.List,
        [NameDistance] = FactKind.Number,
        [NameProcessNameMismatch] = FactKind.Boolean,
        [NameVendorResemblance] = FactKind.Boolean,
        [PathKnown] = FactKind.Boolean,
        [PathInExpectedFolder] = FactKind.Boolean,
        [PathInSystem32] = FactKind.Boolean,
        [PathInSystemFolder] = FactKind.Boolean,
        [PathInServicingFolder] = FactKind.Boolean,
        [PathUserWritable] = FactKind.Boolean,
        [PathUserWritableKind] = FactKind.Text,
        [PathMockSystemFolder] = FactKind.Boolean,
        [PathTrailingDotOrSpace] = FactKind.Boolean,
        [PathAlternateDataStream] = FactKind.Boolean,
        [SignatureStatus] = FactKind.Text,
        [SignatureSource] = FactKind.Text,
        [SignatureSigner] = FactKind.Text,
        [SignatureRootOrigin] = FactKind.Text,
        [SignatureHostStatus] = FactKind.Text,
        [SignatureHostDisagrees] = FactKind.Boolean,
        [BinaryCollected] = FactKind.Boolean,
        [BinaryFileDescription] = FactKind.Text,
        [BinaryOriginalFilename] = FactKind.Text,
        [BinaryOriginalFilenameMismatch] = FactKind.Boolean,
        [BinaryOriginalFilenameIsCore] = FactKind.Boolean,
        [FileSizeBytes] = FactKind.Number,
        [FileOversized] = FactKind.Boolean,
        [ProcessPid] = FactKind.Number,
        [ProcessHasLivingParent] = FactKind.Boolean,
        [ProcessParentName] = FactKind.Text,
        [ProcessParentAllowed] = FactKind.Boolean,
        [ProcessParentUnexpected] = FactKind.Boolean,
        [ProcessParentPidReused] = FactKind.Boolean,
        [ProcessSessionDuplicates] = FactKind.Number,
        [ProcessSessionDuplicateUnexpected] = FactKind.Boolean,
        [ProcessAccount] = FactKind.Text,
        [ProcessAccountExpected] = FactKind.Boolean,
        [ProcessSessionId] = FactKind.Number,
        [ProcessSessionExpected] = FactKind.Boolean,
        [ProcessCommandLine] = FactKind.Text,
        [ProcessCommandLineKnown] = FactKind.Boolean,
        [ProcessCommandLineExpected] = FactKind.Boolean,
        [ProcessExpectedCommandLine] = FactKind.Text,
        [ProcessChildren] = FactKind.List,
        [ProcessUnexpectedChildren] = FactKind.Number,
        [ProcessCpuPercent] = FactKind.Number,
        [ProcessGpuPercent] = FactKind.Number,
        [LaunchersCount] = FactKind.Number,
        [LaunchersUnexpectedCount] = FactKind.Number,
        [LaunchersKinds] = FactKind.List,
        [CopiesCount] = FactKind.Number,
        [CopiesUserWritableCount] = FactKind.Number,
        [CopiesUserWritablePaths] = FactKind.List,
        [HostSystemRoot] = FactKind.Text,
        [HostSystemRootKnown] = FactKind.Boolean,
        [HostSubSystemsWindowsKnown] = FactKind.Boolean,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Text facts whose values come from a closed set; switch cases and eq/in values are checked against it.</summary>
    public static FrozenDictionary<string, string[]> ClosedValues { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [SignatureStatus] = ["MicrosoftSigned", "SignedOther", "NotSigned", "Invalid", "Unknown"],
        [SignatureSource] = ["OfflineEmbedded", "OfflineCatalog", "Offline", "HostReported", "None"],
        [SignatureRootOrigin] = ["PinnedMicrosoft", "PinnedPublic", "Analyst", "HostStore", "None"],
        [SubjectKind] = ["Process", "File"],
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
