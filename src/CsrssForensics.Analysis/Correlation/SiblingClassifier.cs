using CsrssForensics.Windows.Paths;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>What a file beside a suspicious copy is, and why a responder should look at it.</summary>
/// <param name="Kind">executable, library, driver, script, shortcut, installer, java-archive, config or other file.</param>
/// <param name="Reason">One sentence: why this file matters next to a fake.</param>
internal sealed record SiblingKind(string Kind, string Reason);

/// <summary>
/// Classifies every file in a suspicious copy's folder by its extension (a table: extension -> kind and reason), and
/// reads copied configuration files and scripts, with the reader's size cap, for mining-pool, wallet and miner
/// settings (<see cref="MiningIndicators"/>). Every file gets a kind; what is not known is a neutral "other file".
/// </summary>
internal sealed class SiblingClassifier
{
    /// <summary>Most copied files one classifier (one folder) reads: a folder of thousands of files is listed, not read in full.</summary>
    public const int MaxReadPerFolder = 64;

    private static readonly Dictionary<string, SiblingKind> _byExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        ["exe"] = new("executable", "executable beside a suspicious copy: a second payload or its loader"),
        ["scr"] = new("executable", "screen saver (.scr) beside a suspicious copy: an executable under another extension"),
        ["com"] = new("executable", "executable (.com) beside a suspicious copy: a second payload or its loader"),
        ["dll"] = new("library", "DLL beside a suspicious copy: side-loading candidate"),
        ["sys"] = new("driver", "driver (.sys) beside a suspicious copy: kernel code, check for a service that loads it"),
        ["bat"] = new("script", "script beside a suspicious copy: may start it (see Launchers)"),
        ["cmd"] = new("script", "script beside a suspicious copy: may start it (see Launchers)"),
        ["ps1"] = new("script", "script beside a suspicious copy: may start it (see Launchers)"),
        ["psm1"] = new("script", "PowerShell module beside a suspicious copy: may be loaded by its launcher"),
        ["vbs"] = new("script", "script beside a suspicious copy: may start it (see Launchers)"),
        ["vbe"] = new("script", "encoded script beside a suspicious copy: may start it (see Launchers)"),
        ["js"] = new("script", "script beside a suspicious copy: may start it (see Launchers)"),
        ["jse"] = new("script", "encoded script beside a suspicious copy: may start it (see Launchers)"),
        ["wsf"] = new("script", "script beside a suspicious copy: may start it (see Launchers)"),
        ["hta"] = new("script", "HTML application beside a suspicious copy: may start it (see Launchers)"),
        ["py"] = new("script", "script beside a suspicious copy: may start it"),
        ["lnk"] = new("shortcut", "shortcut beside a suspicious copy: may start it"),
        ["msi"] = new("installer", "installer beside a suspicious copy: may have dropped it"),
        ["jar"] = new("java-archive", "Java archive beside a suspicious copy: a second payload"),
        ["json"] = new("config", "configuration file beside a suspicious copy"),
        ["ini"] = new("config", "configuration file beside a suspicious copy"),
        ["cfg"] = new("config", "configuration file beside a suspicious copy"),
        ["conf"] = new("config", "configuration file beside a suspicious copy"),
        ["txt"] = new("config", "text file beside a suspicious copy: may hold its settings"),
        ["xml"] = new("config", "configuration file beside a suspicious copy"),
        ["yaml"] = new("config", "configuration file beside a suspicious copy"),
        ["yml"] = new("config", "configuration file beside a suspicious copy"),
        ["toml"] = new("config", "configuration file beside a suspicious copy"),
    };

    private static readonly SiblingKind _other = new("other file", "other file beside a suspicious copy");

    private readonly ICopiedFileText? _text;
    private int _readInFolder;

    public SiblingClassifier(ICopiedFileText? text)
    {
        _text = text;
    }

    /// <summary>The kind and reason of one file; <paramref name="record"/> is its files.csv row when it has one.</summary>
    public SiblingKind Classify(string path, FileRecord? record)
    {
        var kind = KindOf(path);
        if (kind.Kind is not ("config" or "script"))
        {
            return kind;
        }

        if (record is null || string.IsNullOrEmpty(record.BinaryBundlePath) || _text is null)
        {
            return kind.Kind == "config" ? kind with { Reason = kind.Reason + " (not copied: content not checked)" } : kind;
        }

        if (_readInFolder >= MaxReadPerFolder)
        {
            return kind with { Reason = kind.Reason + " (not read: too many files in the folder)" };
        }

        _readInFolder++;
        if (_text.TryRead(record) is not { } text)
        {
            return kind with { Reason = kind.Reason + " (copy not readable or over the size cap: content not checked)" };
        }

        var indicators = MiningIndicators.Find(text)
            .Select(r => kind.Kind == "script" && r.StartsWith("config ", StringComparison.Ordinal) ? "script " + r["config ".Length..] : r)
            .ToList();
        return indicators.Count == 0 ? kind : kind with { Reason = string.Join("; ", indicators) };
    }

    /// <summary>The kind and reason from the extension alone.</summary>
    public static SiblingKind KindOf(string path)
    {
        var name = WindowsPath.FileName(path);
        var dot = name?.LastIndexOf('.') ?? -1;
        return dot > 0 && _byExtension.TryGetValue(name![(dot + 1)..], out var kind) ? kind : _other;
    }
}
