using System.Collections.Immutable;
using System.Xml;
using System.Xml.Linq;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>
/// Reads one scheduled-task XML file (Task Scheduler 2.0 schema). DTDs are prohibited and no resolver is set, so
/// entity tricks (billion laughs, external entities) are refused as malformed rather than expanded.
/// </summary>
internal static class TaskXmlReader
{
    public const string Folder = "tasks/";

    /// <summary>
    /// Deepest element nesting accepted. Real task files nest about six levels; a hostile file nested 200,000 deep
    /// made loading the tree cost minutes, so it is refused before any tree is built.
    /// </summary>
    internal const int MaxDepth = 64;

    internal const string TaskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    /// <summary>The task, or null with an anomaly when the file is not a usable task.</summary>
    public static ScheduledTask? Read(string entry, byte[] bytes, IAnomalySink sink)
    {
        var evidence = new EvidenceRef(entry);
        var settings = Settings(bytes);
        var fields = new TaskXmlFields();
        try
        {
            // One forward-only pass (no tree, constant memory) reads the fields and stops at the first node past the
            // depth cap, before a hostile nesting costs anything more.
            // The stream lets XmlReader honour the byte order mark (UTF-16 as Windows writes it, or UTF-8).
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
            while (reader.Read())
            {
                if (reader.Depth > MaxDepth)
                {
                    sink.Report(new Anomaly(BundleAnomalyCodes.TaskTooDeep, AnomalySeverity.Medium,
                        $"Task file '{entry}' nests elements deeper than {MaxDepth} levels (refused, not loaded).",
                        evidence with { Detail = $"line {(reader as IXmlLineInfo)?.LineNumber ?? 0}" }));
                    return null;
                }

                fields.Visit(reader);
            }
        }
        catch (XmlException exception)
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.TaskMalformed, AnomalySeverity.Medium,
                $"Task file '{entry}' is not usable XML (refused, not expanded): {exception.Message}",
                evidence with { Detail = $"line {exception.LineNumber}" }));
            return null;
        }

        if (!fields.RootIsTask)
        {
            var root = fields.RootNamespace.Length == 0 ? fields.RootLocalName : $"{{{fields.RootNamespace}}}{fields.RootLocalName}";
            sink.Report(new Anomaly(BundleAnomalyCodes.TaskMalformed, AnomalySeverity.Medium,
                $"Task file '{entry}' has root '{root}', not a Task of the Task Scheduler schema; skipped.", evidence));
            return null;
        }

        var fromFile = PathFromEntry(entry);
        var uri = Text(fields.Uri);
        if (uri is not null && !string.Equals(uri, fromFile, StringComparison.OrdinalIgnoreCase))
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.TaskUriMismatch, AnomalySeverity.Low,
                $"Task file '{entry}' says its URI is '{uri}' but is stored as '{fromFile}'.", evidence));
        }

        return new ScheduledTask(
            uri ?? fromFile,
            Text(fields.Author),
            Text(fields.Description),
            Boolean(fields.Enabled, "Enabled", entry, sink),
            Boolean(fields.Hidden, "Hidden", entry, sink),
            RunAs(fields),
            [.. fields.Triggers],
            Actions(fields, bytes, settings),
            evidence)
        {
            RegisteredAt = Time(fields.Date, entry, sink),
        };
    }

    private static XmlReaderSettings Settings(byte[] bytes) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = Math.Max(1024, bytes.LongLength * 2),
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary><c>tasks/Microsoft/Windows/Foo.xml</c> to <c>\Microsoft\Windows\Foo</c>.</summary>
    internal static string PathFromEntry(string entry)
    {
        var relative = entry.StartsWith(Folder, StringComparison.Ordinal) ? entry[Folder.Length..] : entry;
        if (relative.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
        {
            relative = relative[..^4];
        }

        return "\\" + relative.Replace('/', '\\');
    }

    private static string? RunAs(TaskXmlFields fields)
    {
        // Actions/@Context names the principal that runs them; otherwise the first one.
        var context = fields.ActionsContext;
        var principal = fields.Principals.Find(p => context is not null && p.Id == context) ?? fields.Principals.FirstOrDefault();
        return Text(principal?.UserId) ?? Text(principal?.GroupId);
    }

    private static ImmutableArray<TaskAction> Actions(TaskXmlFields fields, byte[] bytes, XmlReaderSettings settings)
    {
        var result = ImmutableArray.CreateBuilder<TaskAction>(fields.Actions.Count);
        for (var index = 0; index < fields.Actions.Count; index++)
        {
            var action = fields.Actions[index];
            var text = action.Fields;
            result.Add(action.Kind switch
            {
                "Exec" => new TaskAction(action.Kind, Text(text[0]), Text(text[1]), Text(text[2]), null, null),
                "ComHandler" => new TaskAction(action.Kind, null, null, null, Text(text[3]),
                    action.DataHasElements ? NestedData(bytes, settings, index) : Text(text[4])),
                _ => new TaskAction(action.Kind, null, null, null, null, null),
            });
        }

        return result.ToImmutable();
    }

    private static bool? Boolean(string? raw, string name, string entry, IAnomalySink sink)
    {
        var text = Text(raw);
        switch (text)
        {
            case null:
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                sink.Report(new Anomaly(BundleAnomalyCodes.TaskBadValue, AnomalySeverity.Low,
                    $"Task file '{entry}': {name} is '{Sources.EntryName.Printable(text)}', not an xs:boolean; treated as unknown.",
                    new EvidenceRef(entry, Detail: name)));
                return null;
        }
    }

    // xs:dateTime, with or without a zone; the Task Scheduler usually writes none (host-local time).
    private static HostTime? Time(string? raw, string entry, IAnomalySink sink)
    {
        var text = Text(raw);
        if (text is null)
        {
            return null;
        }

        if (HostTime.Parse(text) is { } time)
        {
            return time;
        }

        sink.Report(new Anomaly(BundleAnomalyCodes.TaskBadValue, AnomalySeverity.Low,
            $"Task file '{entry}': Date is '{Sources.EntryName.Printable(text)}', not an xs:dateTime; treated as unknown.",
            new EvidenceRef(entry, Detail: "Date")));
        return null;
    }

    private static string? Text(string? raw) => raw is null ? null : BundleText.NullIfBlank(raw.Trim());

    // ComHandler Data holding nested XML keeps its markup, serialized as LINQ to XML writes it. That is rare, so only
    // then is the (already checked: well-formed, within the depth cap) file loaded as a tree.
    private static string NestedData(byte[] bytes, XmlReaderSettings settings, int actionIndex)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
        var root = XDocument.Load(reader, LoadOptions.None).Root!;
        var ns = root.Name.Namespace;
        var data = root.Element(ns + "Actions")!.Elements().ElementAt(actionIndex).Element(ns + "Data")!;
        return string.Concat(data.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
    }
}
