namespace CsrssForensics.Analysis.Composition;

/// <summary>
/// Codes of the report lines the composer emits; their wording is in the Reporting project's
/// <c>report-wording.json</c>. Never renumber: report.json consumers key on them.
/// </summary>
internal static class ItemCodes
{
    public const string KeepGenuine = "ACT-KEEP-GENUINE";
    public const string KeepGenuineCritical = "ACT-KEEP-GENUINE-CRITICAL";
    public const string RemoveFake = "ACT-REMOVE-FAKE";
    public const string RemoveFakeNoLauncher = "ACT-REMOVE-FAKE-NO-LAUNCHER";
    public const string RemoveChain = "ACT-REMOVE-CHAIN";
    public const string ScanAroundFake = "ACT-SCAN-AROUND-FAKE";
    public const string InvestigateGenuineRun = "ACT-INVESTIGATE-GENUINE-RUN";
    public const string InvestigateHostSignedRun = "ACT-INVESTIGATE-HOST-SIGNED-RUN";
    public const string KeepGenuineFile = "ACT-KEEP-GENUINE-FILE";
    public const string KeepHostSigned = "ACT-KEEP-HOST-SIGNED";
    public const string RepairSystemFile = "ACT-REPAIR-SYSTEM-FILE";
    public const string KeepSystemFile = "ACT-KEEP-SYSTEM-FILE";
    public const string Investigate = "ACT-INVESTIGATE";
    public const string CollectBinary = "ACT-COLLECT-BINARY";
    public const string KeepUnverified = "ACT-KEEP-UNVERIFIED";
    public const string TroubleshootLoad = "ACT-TROUBLESHOOT-LOAD";
    public const string ComparePaths = "ACT-COMPARE-PATHS";
    public const string RemoveRogueRoot = "ACT-REMOVE-ROGUE-ROOT";
    public const string RemoveRogueRootAnchoring = "ACT-REMOVE-ROGUE-ROOT-ANCHORING";

    public const string RecordSignature = "REC-SIGNATURE";
    public const string RecordParentLiving = "REC-PARENT-LIVING";
    public const string RecordParentGone = "REC-PARENT-GONE";
    public const string RecordParentUnknown = "REC-PARENT-UNKNOWN";
    public const string RecordParentPidReused = "REC-PARENT-PID-REUSED";
    public const string RecordParentNoProcess = "REC-PARENT-NO-PROCESS";
    public const string RecordStartup = "REC-STARTUP";
    public const string RecordStartupNone = "REC-STARTUP-NONE";
    public const string RecordFileCreated = "REC-FILE-CREATED";
    public const string RecordFileCreatedNotCollected = "REC-FILE-CREATED-NOT-COLLECTED";
    public const string RecordProcessStarted = "REC-PROCESS-STARTED";

    public const string RootRemove = "ROOT-REMOVE";
    public const string RootRemoveAnchoring = "ROOT-REMOVE-ANCHORING";

    public const string SummaryIntegrityFailed = "SUM-INTEGRITY-FAILED";
    public const string SummaryIntegrityUnverified = "SUM-INTEGRITY-UNVERIFIED";
    public const string SummaryCompromised = "SUM-COMPROMISED";
    public const string SummaryNothingExamined = "SUM-NOTHING-EXAMINED";
    public const string SummarySuspicious = "SUM-SUSPICIOUS";
    public const string SummaryUnprovenEvidence = "SUM-INCONCLUSIVE-UNPROVEN";
    public const string SummaryIncompleteEvidence = "SUM-INCONCLUSIVE-INCOMPLETE";
    public const string SummaryClean = "SUM-CLEAN";
    public const string SummaryVerdicts = "SUM-VERDICT-COUNTS";
    public const string SummaryEvidence = "SUM-EVIDENCE-COUNTS";
    public const string SummaryHighLauncherFindings = "SUM-HIGH-LAUNCHER-FINDINGS";
    public const string SummaryBundleIntegrity = "SUM-BUNDLE-INTEGRITY";

    public const string TrustQuestion = "STEP-TRUST-QUESTION";
    public const string TrustVerifiedEmbedded = "STEP-TRUST-VERIFIED-EMBEDDED";
    public const string TrustVerifiedCatalog = "STEP-TRUST-VERIFIED-CATALOG";
    public const string TrustVerifiedUnsigned = "STEP-TRUST-VERIFIED-UNSIGNED";
    public const string TrustIntegrityFailed = "STEP-TRUST-INTEGRITY-FAILED";
    public const string TrustHostReported = "STEP-TRUST-HOST-REPORTED";
    public const string TrustCopyUnreadable = "STEP-TRUST-COPY-UNREADABLE";
    public const string TrustNoEvidence = "STEP-TRUST-NO-EVIDENCE";
    public const string TrustImageless = "STEP-TRUST-IMAGELESS";

    public const string ReasonIntegrityFailed = "REASON-CAPPED-INTEGRITY-FAILED";
    public const string ReasonCopyUnreadable = "REASON-CAPPED-COPY-UNREADABLE";
    public const string ReasonHostReported = "REASON-CAPPED-HOST-REPORTED";
    public const string ReasonNoEvidence = "REASON-CAPPED-NO-EVIDENCE";

    public const string DocumentPaths = "AFTER-DOCUMENT-PATHS";
    public const string RebootTwice = "AFTER-REBOOT-TWICE";
    public const string CheckTasks = "AFTER-CHECK-TASKS";
    public const string CheckStartup = "AFTER-CHECK-STARTUP";
    public const string ReviewExtensions = "AFTER-REVIEW-EXTENSIONS";
    public const string ReviewPrograms = "AFTER-REVIEW-PROGRAMS";
    public const string FullScan = "AFTER-FULL-SCAN";
    public const string ChangePasswords = "AFTER-CHANGE-PASSWORDS";
    public const string ChangePasswordsSessions = "AFTER-CHANGE-PASSWORDS-SESSIONS";
}
