namespace CsrssForensics.Analysis.Composition;

/// <summary>
/// Codes of the lines that say what the analysis could not see or why an item is listed: not-collected lines,
/// examination gaps, reasons of files beside a copy and of installed programs, and how a program or a browser
/// extension is named in a finding or a checklist line. Their wording is in the Reporting
/// project's <c>report-wording.json</c>. Never renumber: report.json consumers key on them.
/// </summary>
internal static class ContextLineCodes
{
    public const string PartNotCollected = "NC-PART-MISSING";
    public const string BinaryNotCopied = "NC-BINARY-NOT-COPIED";
    public const string BinaryUnreadable = "NC-BINARY-UNREADABLE";
    public const string CollectorError = "NC-COLLECTOR-ERROR";

    public const string GapPartMissing = "GAP-PART-MISSING";
    public const string GapCoreProcessMissing = "GAP-CORE-PROCESS-MISSING";
    public const string GapCsrssMissing = "GAP-CSRSS-MISSING";
    public const string GapCsrssSessionMissing = "GAP-CSRSS-SESSION-MISSING";

    public const string SiblingExecutable = "SIB-EXECUTABLE";
    public const string SiblingExecutableCom = "SIB-EXECUTABLE-COM";
    public const string SiblingScreenSaver = "SIB-SCREEN-SAVER";
    public const string SiblingLibrary = "SIB-LIBRARY";
    public const string SiblingDriver = "SIB-DRIVER";
    public const string SiblingScript = "SIB-SCRIPT";
    public const string SiblingScriptEncoded = "SIB-SCRIPT-ENCODED";
    public const string SiblingScriptModule = "SIB-SCRIPT-MODULE";
    public const string SiblingHtmlApplication = "SIB-HTML-APPLICATION";
    public const string SiblingScriptPython = "SIB-SCRIPT-PYTHON";
    public const string SiblingShortcut = "SIB-SHORTCUT";
    public const string SiblingInstaller = "SIB-INSTALLER";
    public const string SiblingJavaArchive = "SIB-JAVA-ARCHIVE";
    public const string SiblingConfig = "SIB-CONFIG";
    public const string SiblingText = "SIB-TEXT";
    public const string SiblingOther = "SIB-OTHER";
    public const string SiblingNotCopied = "SIB-NOTE-NOT-COPIED";
    public const string SiblingNotRead = "SIB-NOTE-NOT-READ";
    public const string SiblingUnreadable = "SIB-NOTE-UNREADABLE";
    public const string SiblingMiningPool = "SIB-MINING-POOL";
    public const string SiblingMiningPoolHost = "SIB-MINING-POOL-HOST";
    public const string SiblingMiningPort = "SIB-MINING-PORT";
    public const string SiblingWalletMonero = "SIB-WALLET-MONERO";
    public const string SiblingWalletBitcoin = "SIB-WALLET-BITCOIN";
    public const string SiblingWalletEthereum = "SIB-WALLET-ETHEREUM";
    public const string SiblingMinerSettings = "SIB-MINER-SETTINGS";
    public const string SiblingMiningAlgorithm = "SIB-MINING-ALGORITHM";
    public const string SiblingStartedBy = "SIB-STARTED-BY";

    public const string ProgramInstalledInto = "PROG-INSTALLED-INTO";
    public const string ProgramInstalledSameDay = "PROG-INSTALLED-SAME-DAY";
    public const string ProgramInstalledDayAfter = "PROG-INSTALLED-DAY-AFTER";
    public const string ProgramInstalledDayBefore = "PROG-INSTALLED-DAY-BEFORE";
    public const string ProgramInstalledDaysAfter = "PROG-INSTALLED-DAYS-AFTER";
    public const string ProgramInstalledDaysBefore = "PROG-INSTALLED-DAYS-BEFORE";
    public const string ProgramInstalledRecently = "PROG-INSTALLED-RECENTLY";

    public const string ProgramLabel = "LABEL-PROGRAM";
    public const string ExtensionLabel = "LABEL-EXTENSION";
}
