using System.Collections.Immutable;
using CsrssForensics.Analysis.Composition;
using CsrssForensics.Core.Report;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Reporting.Wording;
using CsrssForensics.Windows.Paths;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>What a file beside a suspicious copy is, and why a responder should look at it.</summary>
/// <param name="Kind">executable, library, driver, script, shortcut, installer, java-archive, config or other file.</param>
/// <param name="Reasons">Why this file matters next to a fake, as coded lines (<c>SIB-*</c>); see <see cref="SiblingReasons"/>.</param>
internal sealed record SiblingKind(string Kind, ImmutableArray<ReportLine> Reasons);

/// <summary>
/// Classifies every file in a suspicious copy's folder by its extension (a table: extension -> kind and reason code),
/// and reads copied configuration files and scripts, with the reader's size cap, for mining-pool, wallet and miner
/// settings (<see cref="MiningIndicators"/>). Every file gets a kind; what is not known is a neutral "other file".
/// </summary>
internal sealed class SiblingClassifier
{
    /// <summary>Most copied files one classifier (one folder) reads: a folder of thousands of files is listed, not read in full.</summary>
    public const int MaxReadPerFolder = 64;

    private static readonly Dictionary<string, (string Kind, string Code)> _byExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["exe"] = new("executable", ContextLineCodes.SiblingExecutable),
        ["scr"] = new("executable", ContextLineCodes.SiblingScreenSaver),
        ["com"] = new("executable", ContextLineCodes.SiblingExecutableCom),
        ["dll"] = new("library", ContextLineCodes.SiblingLibrary),
        ["sys"] = new("driver", ContextLineCodes.SiblingDriver),
        ["bat"] = new("script", ContextLineCodes.SiblingScript),
        ["cmd"] = new("script", ContextLineCodes.SiblingScript),
        ["ps1"] = new("script", ContextLineCodes.SiblingScript),
        ["psm1"] = new("script", ContextLineCodes.SiblingScriptModule),
        ["vbs"] = new("script", ContextLineCodes.SiblingScript),
        ["vbe"] = new("script", ContextLineCodes.SiblingScriptEncoded),
        ["js"] = new("script", ContextLineCodes.SiblingScript),
        ["jse"] = new("script", ContextLineCodes.SiblingScriptEncoded),
        ["wsf"] = new("script", ContextLineCodes.SiblingScript),
        ["hta"] = new("script", ContextLineCodes.SiblingHtmlApplication),
        ["py"] = new("script", ContextLineCodes.SiblingScriptPython),
        ["lnk"] = new("shortcut", ContextLineCodes.SiblingShortcut),
        ["msi"] = new("installer", ContextLineCodes.SiblingInstaller),
        ["jar"] = new("java-archive", ContextLineCodes.SiblingJavaArchive),
        ["json"] = new("config", ContextLineCodes.SiblingConfig),
        ["ini"] = new("config", ContextLineCodes.SiblingConfig),
        ["cfg"] = new("config", ContextLineCodes.SiblingConfig),
        ["conf"] = new("config", ContextLineCodes.SiblingConfig),
        ["txt"] = new("config", ContextLineCodes.SiblingText),
        ["xml"] = new("config", ContextLineCodes.SiblingConfig),
        ["yaml"] = new("config", ContextLineCodes.SiblingConfig),
        ["yml"] = new("config", ContextLineCodes.SiblingConfig),
        ["toml"] = new("config", ContextLineCodes.SiblingConfig),
    };

    private static readonly (string Kind, string Code) _other = ("other file", ContextLineCodes.SiblingOther);

    private readonly ICopiedFileText? _text;
    private int _readInFolder;

    public SiblingClassifier(ICopiedFileText? text)
    {
        _text = text;
    }

    /// <summary>The kind and reasons of one file; <paramref name="record"/> is its files.csv row when it has one.</summary>
    public SiblingKind Classify(string path, FileRecord? record)
    {
        var (kind, code) = KindOf(path);
        var reason = ReportWording.Line(code);
        if (kind is not ("config" or "script"))
        {
            return new(kind, [reason]);
        }

        if (record is null || string.IsNullOrEmpty(record.BinaryBundlePath) || _text is null)
        {
            return kind == "config" ? new(kind, [reason, ReportWording.Line(ContextLineCodes.SiblingNotCopied)]) : new(kind, [reason]);
        }

        if (_readInFolder >= MaxReadPerFolder)
        {
            return new(kind, [reason, ReportWording.Line(ContextLineCodes.SiblingNotRead)]);
        }

        _readInFolder++;
        if (_text.TryRead(record) is not { } text)
        {
            return new(kind, [reason, ReportWording.Line(ContextLineCodes.SiblingUnreadable)]);
        }

        // What the content shows replaces what the extension suggests.
        var indicators = MiningIndicators.Find(text);
        return indicators.Count == 0
            ? new(kind, [reason])
            : new(kind, [.. indicators.Select(i => ReportWording.Line(i.Code, ("kind", kind), ("value", i.Value)))]);
    }

    /// <summary>The kind and reason code from the extension alone.</summary>
    public static (string Kind, string Code) KindOf(string path)
    {
        var name = WindowsPath.FileName(path);
        var dot = name?.LastIndexOf('.') ?? -1;
        return dot > 0 && _byExtension.TryGetValue(name![(dot + 1)..], out var kind) ? kind : _other;
    }
}
