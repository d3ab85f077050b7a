namespace CsrssForensics.Bundle;

/// <summary>
/// Stable anomaly codes of the bundle reader. BND00xx: entries and integrity; BND01xx: CSV; BND02xx: JSON;
/// BND03xx: task XML. Codes are never reused for another meaning.
/// </summary>
public static class BundleAnomalyCodes
{
    /// <summary>An entry name is not a normal bundle entry name (<c>..</c>, absolute, drive, backslash, NUL...).</summary>
    public const string BadEntryName = "BND0001";

    /// <summary>An entry was asked for that the bundle does not have (or that was refused).</summary>
    public const string EntryMissing = "BND0002";

    /// <summary>An entry is larger than the configured cap.</summary>
    public const string EntryTooLarge = "BND0003";

    /// <summary>An entry produced more or fewer bytes than it declared (zip header lie, file changed while read).</summary>
    public const string EntryLengthMismatch = "BND0004";

    /// <summary>A zip entry's bytes do not match the CRC-32 its headers store (truncated by a lying size, or altered).</summary>
    public const string EntryCrcMismatch = "BND0006";

    /// <summary>An entry could not be read (I/O or zip format error).</summary>
    public const string EntryUnreadable = "BND0005";

    /// <summary>
    /// A folder-bundle file name is not valid UTF-8 (the runtime shows the bad bytes as U+FFFD and cannot open the
    /// name it shows); that entry is refused, the others are read.
    /// </summary>
    public const string UndecodableEntryName = "BND0030";

    /// <summary>A folder-bundle entry could not be examined while listing (it vanished, or its status failed); refused.</summary>
    public const string EntryNotExaminable = "BND0031";

    /// <summary>The manifest is absent: nothing can be verified.</summary>
    public const string ManifestMissing = "BND0010";

    /// <summary>The manifest is not valid JSON of the expected shape.</summary>
    public const string ManifestMalformed = "BND0011";

    /// <summary>The manifest names another format or an unsupported major version.</summary>
    public const string ManifestUnknownFormat = "BND0012";

    /// <summary>A manifest file record is unusable (bad path, size or hash text, duplicate).</summary>
    public const string ManifestBadRecord = "BND0013";

    /// <summary>A CSV file has no header or lacks a required column; the part is treated as missing.</summary>
    public const string CsvBadHeader = "BND0101";

    /// <summary>A CSV row lacks a required value or has an unparsable required value; the row is skipped.</summary>
    public const string CsvRowSkipped = "BND0102";

    /// <summary>A CSV cell could not be parsed; the value is treated as unknown and the row kept.</summary>
    public const string CsvBadCell = "BND0103";

    /// <summary>A CSV row has bad quoting or a different number of cells than the header.</summary>
    public const string CsvMalformedRow = "BND0104";

    /// <summary>A bundle path in files.csv is not a normal entry name; it is dropped.</summary>
    public const string CsvBadBundlePath = "BND0105";

    /// <summary>The CSV file as a whole could not be parsed past some row.</summary>
    public const string CsvUnreadable = "BND0106";

    /// <summary>A CSV part has more data rows than the reader's budget; the rest are not read.</summary>
    public const string CsvTooManyRows = "BND0107";

    /// <summary>A JSON part is malformed; the part is treated as missing.</summary>
    public const string JsonMalformed = "BND0201";

    /// <summary>A JSON record has an unusable value; the value is treated as unknown.</summary>
    public const string JsonBadValue = "BND0202";

    /// <summary>A JSON record is not an object of the documented shape; that record is skipped, the others are kept.</summary>
    public const string JsonBadRecord = "BND0203";

    /// <summary>A JSON list is longer than the reader's cap; the records past it are ignored.</summary>
    public const string JsonTooManyRecords = "BND0204";

    /// <summary>A JSON part holds bytes that are not UTF-8; they are read as U+FFFD so the other records are kept.</summary>
    public const string JsonInvalidUtf8 = "BND0205";

    /// <summary>A task XML file is malformed or refused (DTD, wrong root); that task is skipped.</summary>
    public const string TaskMalformed = "BND0301";

    /// <summary>A task XML value is unusable (e.g. a boolean that is not one).</summary>
    public const string TaskBadValue = "BND0302";

    /// <summary>The task's RegistrationInfo/URI differs from the path it was stored under.</summary>
    public const string TaskUriMismatch = "BND0303";

    /// <summary>A task XML file nests elements deeper than the reader's cap; it is refused before a tree is built.</summary>
    public const string TaskTooDeep = "BND0304";
}
