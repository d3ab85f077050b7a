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

    private static readonly XNamespace _task = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    /// <summary>The task, or null with an anomaly when the file is not a usable task.</summary>
    public static ScheduledTask? Read(string entry, byte[] bytes, IAnomalySink sink)
    {
        var evidence = new EvidenceRef(entry);
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersFromEntities = 1024,
                MaxCharactersInDocument = Math.Max(1024, bytes.LongLength * 2),
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                CloseInput = true,
            };

            if (DeeperThanCap(bytes, settings) is { } deepLine)
            {
                sink.Report(new Anomaly(BundleAnomalyCodes.TaskTooDeep, AnomalySeverity.Medium,
                    $"Task file '{entry}' nests elements deeper than {MaxDepth} levels (refused, not loaded).",
                    evidence with { Detail = $"line {deepLine}" }));
                return null;
            }

            // The stream lets XmlReader honour the byte order mark (UTF-16 as Windows writes it, or UTF-8).
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException exception)
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.TaskMalformed, AnomalySeverity.Medium,
                $"Task file '{entry}' is not usable XML (refused, not expanded): {exception.Message}",
                evidence with { Detail = $"line {exception.LineNumber}" }));
            return null;
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "Task" || (root.Name.Namespace != _task && root.Name.Namespace != XNamespace.None))
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.TaskMalformed, AnomalySeverity.Medium,
                $"Task file '{entry}' has root '{root?.Name}', not a Task of the Task Scheduler schema; skipped.", evidence));
            return null;
        }

        var ns = root.Name.Namespace;
        var registration = root.Element(ns + "RegistrationInfo");
        var fromFile = PathFromEntry(entry);
        var uri = Text(registration?.Element(ns + "URI"));
        if (uri is not null && !string.Equals(uri, fromFile, StringComparison.OrdinalIgnoreCase))
        {
            sink.Report(new Anomaly(BundleAnomalyCodes.TaskUriMismatch, AnomalySeverity.Low,
                $"Task file '{entry}' says its URI is '{uri}' but is stored as '{fromFile}'.", evidence));
        }

        var settingsElement = root.Element(ns + "Settings");
        var actionsElement = root.Element(ns + "Actions");
        return new ScheduledTask(
            uri ?? fromFile,
            Text(registration?.Element(ns + "Author")),
            Text(registration?.Element(ns + "Description")),
            Boolean(settingsElement?.Element(ns + "Enabled"), entry, sink),
            Boolean(settingsElement?.Element(ns + "Hidden"), entry, sink),
            RunAs(root, ns, actionsElement),
            [.. (root.Element(ns + "Triggers")?.Elements() ?? []).Select(e => e.Name.LocalName)],
            Actions(actionsElement, ns),
            evidence)
        {
            RegisteredAt = Time(registration?.Element(ns + "Date"), entry, sink),
        };
    }

    // A forward-only pass (no tree, constant memory) that stops at the first element past the cap: the line, else null.
    private static int? DeeperThanCap(byte[] bytes, XmlReaderSettings settings)
    {
        // A node deeper than the cap sits inside more than MaxDepth start tags, each with a '<' whose encoding (UTF-8,
        // UTF-16, UTF-32, ASCII, Latin-1) holds the byte 0x3C: a file with no more such bytes cannot be too deep.
        if (bytes.AsSpan().Count((byte)'<') <= MaxDepth)
        {
            return null;
        }

        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
        while (reader.Read())
        {
            if (reader.Depth > MaxDepth)
            {
                return (reader as IXmlLineInfo)?.LineNumber ?? 0;
            }
        }

        return null;
    }

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

    private static string? RunAs(XElement root, XNamespace ns, XElement? actions)
    {
        var principals = root.Element(ns + "Principals")?.Elements(ns + "Principal").ToList() ?? [];

        // Actions/@Context names the principal that runs them; otherwise the first one.
        var context = (string?)actions?.Attribute("Context");
        var principal = principals.Find(p => context is not null && (string?)p.Attribute("id") == context)
            ?? principals.FirstOrDefault();
        return Text(principal?.Element(ns + "UserId")) ?? Text(principal?.Element(ns + "GroupId"));
    }

    private static ImmutableArray<TaskAction> Actions(XElement? actions, XNamespace ns)
    {
        if (actions is null)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<TaskAction>();
        foreach (var action in actions.Elements())
        {
            var kind = action.Name.LocalName;
            result.Add(kind switch
            {
                "Exec" => new TaskAction(kind, Text(action.Element(ns + "Command")), Text(action.Element(ns + "Arguments")),
                    Text(action.Element(ns + "WorkingDirectory")), null, null),
                "ComHandler" => new TaskAction(kind, null, null, null, Text(action.Element(ns + "ClassId")), DataText(action.Element(ns + "Data"))),
                _ => new TaskAction(kind, null, null, null, null, null),
            });
        }

        return result.ToImmutable();
    }

    private static bool? Boolean(XElement? element, string entry, IAnomalySink sink)
    {
        var text = Text(element);
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
                    $"Task file '{entry}': {element!.Name.LocalName} is '{Sources.EntryName.Printable(text)}', not an xs:boolean; treated as unknown.",
                    new EvidenceRef(entry, Detail: element.Name.LocalName)));
                return null;
        }
    }

    // xs:dateTime, with or without a zone; the Task Scheduler usually writes none (host-local time).
    private static HostTime? Time(XElement? element, string entry, IAnomalySink sink)
    {
        var text = Text(element);
        if (text is null)
        {
            return null;
        }

        if (HostTime.Parse(text) is { } time)
        {
            return time;
        }

        sink.Report(new Anomaly(BundleAnomalyCodes.TaskBadValue, AnomalySeverity.Low,
            $"Task file '{entry}': {element!.Name.LocalName} is '{Sources.EntryName.Printable(text)}', not an xs:dateTime; treated as unknown.",
            new EvidenceRef(entry, Detail: element.Name.LocalName)));
        return null;
    }

    private static string? Text(XElement? element) => element is null ? null : BundleText.NullIfBlank(element.Value.Trim());

    // ComHandler Data is usually text or CDATA, sometimes nested XML: keep the markup then.
    private static string? DataText(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        return element.HasElements
            ? string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)))
            : Text(element);
    }
}
