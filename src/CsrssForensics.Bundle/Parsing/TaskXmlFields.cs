using System.Text;
using System.Xml;

namespace CsrssForensics.Bundle.Parsing;

/// <summary>
/// The fields of a task file, picked up node by node from a forward-only <see cref="XmlReader"/> with the meaning
/// LINQ to XML gave them: the first <c>RegistrationInfo</c>, <c>Settings</c>, <c>Triggers</c>, <c>Principals</c> and
/// <c>Actions</c> under the root and the first of each field inside them count, and a field's text is all the text
/// beneath it (CDATA and white space included), trimmed later. No tree is built.
/// </summary>
internal sealed class TaskXmlFields
{
    private readonly StringBuilder _text = new();
    private Section _section;
    private Section _seen;
    private Action<string>? _capture;
    private int _captureDepth = -1;
    private bool _captureHasElements;
    private string? _single;
    private PendingAction? _action;
    private Principal? _principal;

    private enum Section
    {
        None = 0,
        Registration = 1,
        Settings = 2,
        Triggers = 4,
        Principals = 8,
        Actions = 16,
    }

    public string? RootLocalName { get; private set; }

    public string RootNamespace { get; private set; } = string.Empty;

    public bool RootIsTask => RootLocalName == "Task" && (RootNamespace == TaskXmlReader.TaskNamespace || RootNamespace.Length == 0);

    public string? Uri { get; private set; }

    public string? Author { get; private set; }

    public string? Description { get; private set; }

    public string? Date { get; private set; }

    public string? Enabled { get; private set; }

    public string? Hidden { get; private set; }

    public string? ActionsContext { get; private set; }

    public List<string> Triggers { get; } = [];

    public List<Principal> Principals { get; } = [];

    public List<PendingAction> Actions { get; } = [];

    /// <summary>Takes in the node the reader is on; called once for every node of the document, in order.</summary>
    public void Visit(XmlReader reader)
    {
        if (_capture is not null)
        {
            Capture(reader);
            return;
        }

        if (reader.NodeType != XmlNodeType.Element)
        {
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                Leave(reader.Depth);
            }

            return;
        }

        if (reader.Depth == 0)
        {
            RootLocalName = reader.LocalName;
            RootNamespace = reader.NamespaceURI;
            return;
        }

        // Fields are only read from a Task root; any other root is refused once the document is known well-formed.
        if (!RootIsTask || reader.NamespaceURI is not { } ns)
        {
            return;
        }

        var named = ns == RootNamespace;
        switch (reader.Depth)
        {
            case 1:
                Enter(reader, named);
                break;
            case 2:
                Child(reader, named);
                break;
            case 3:
                Grandchild(reader, named);
                break;
            default:
                break;
        }
    }

    private void Enter(XmlReader reader, bool named)
    {
        var section = !named ? Section.None : reader.LocalName switch
        {
            "RegistrationInfo" => Section.Registration,
            "Settings" => Section.Settings,
            "Triggers" => Section.Triggers,
            "Principals" => Section.Principals,
            "Actions" => Section.Actions,
            _ => Section.None,
        };

        // Only the first of each section counts, as Element(name) finds the first.
        if (section == Section.None || (_seen & section) != 0)
        {
            _section = Section.None;
            return;
        }

        _seen |= section;
        _section = reader.IsEmptyElement ? Section.None : section;
        if (section == Section.Actions)
        {
            ActionsContext = reader.GetAttribute("Context");
        }
    }

    private void Child(XmlReader reader, bool named)
    {
        switch (_section)
        {
            case Section.Registration when named:
                switch (reader.LocalName)
                {
                    case "URI" when Uri is null:
                        Start(reader, value => Uri = value);
                        break;
                    case "Author" when Author is null:
                        Start(reader, value => Author = value);
                        break;
                    case "Description" when Description is null:
                        Start(reader, value => Description = value);
                        break;
                    case "Date" when Date is null:
                        Start(reader, value => Date = value);
                        break;
                    default:
                        break;
                }

                break;
            case Section.Settings when named:
                switch (reader.LocalName)
                {
                    case "Enabled" when Enabled is null:
                        Start(reader, value => Enabled = value);
                        break;
                    case "Hidden" when Hidden is null:
                        Start(reader, value => Hidden = value);
                        break;
                    default:
                        break;
                }

                break;
            case Section.Triggers:
                // Every trigger element, whatever its namespace: only its name is kept.
                Triggers.Add(reader.LocalName);
                break;
            case Section.Principals when named && reader.LocalName == "Principal":
                _principal = new Principal(reader.GetAttribute("id"));
                Principals.Add(_principal);
                if (reader.IsEmptyElement)
                {
                    _principal = null;
                }

                break;
            case Section.Actions:
                // Every action element, whatever its namespace; its kind is its local name.
                _action = new PendingAction(reader.LocalName);
                Actions.Add(_action);
                if (reader.IsEmptyElement)
                {
                    _action = null;
                }

                break;
            default:
                break;
        }
    }

    private void Grandchild(XmlReader reader, bool named)
    {
        if (!named)
        {
            return;
        }

        if (_principal is { } principal)
        {
            switch (reader.LocalName)
            {
                case "UserId" when !principal.HasUserId:
                    principal.HasUserId = true;
                    Start(reader, value => principal.UserId = value);
                    break;
                case "GroupId" when !principal.HasGroupId:
                    principal.HasGroupId = true;
                    Start(reader, value => principal.GroupId = value);
                    break;
                default:
                    break;
            }
        }
        else if (_action is { } action)
        {
            var field = (action.Kind, reader.LocalName) switch
            {
                ("Exec", "Command") => 0,
                ("Exec", "Arguments") => 1,
                ("Exec", "WorkingDirectory") => 2,
                ("ComHandler", "ClassId") => 3,
                ("ComHandler", "Data") => 4,
                _ => -1,
            };
            if (field >= 0 && !action.Found[field])
            {
                action.Found[field] = true;
                Start(reader, value =>
                {
                    action.Fields[field] = value;
                    action.DataHasElements |= field == 4 && _captureHasElements;
                });
            }
        }
    }

    private void Leave(int depth)
    {
        if (depth == 1)
        {
            _section = Section.None;
        }
        else if (depth == 2)
        {
            _principal = null;
            _action = null;
        }
    }

    private void Start(XmlReader reader, Action<string> done)
    {
        if (reader.IsEmptyElement)
        {
            _captureHasElements = false;
            done(string.Empty);
            return;
        }

        _capture = done;
        _captureDepth = reader.Depth;
        _captureHasElements = false;
        _single = null;
        _text.Clear();
    }

    private void Capture(XmlReader reader)
    {
        switch (reader.NodeType)
        {
            case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                Append(reader.Value);
                break;
            case XmlNodeType.Element when reader.Depth == _captureDepth + 1:
                _captureHasElements = true;
                break;
            case XmlNodeType.EndElement when reader.Depth == _captureDepth:
                var done = _capture!;
                _capture = null;
                done(_text.Length > 0 ? _text.ToString() : _single ?? string.Empty);
                break;
            default:
                break;
        }
    }

    // Most fields are one text node: it is kept as it is, and only a second one starts a builder.
    private void Append(string value)
    {
        if (_text.Length == 0 && _single is null)
        {
            _single = value;
            return;
        }

        if (_text.Length == 0)
        {
            _text.Append(_single);
        }

        _text.Append(value);
    }

    /// <summary>A <c>Principal</c> element: its id and its first <c>UserId</c> and <c>GroupId</c> texts.</summary>
    internal sealed class Principal(string? id)
    {
        public string? Id { get; } = id;

        public bool HasUserId { get; set; }

        public bool HasGroupId { get; set; }

        public string? UserId { get; set; }

        public string? GroupId { get; set; }
    }

    /// <summary>An action element: its kind and the raw texts of Command, Arguments, WorkingDirectory, ClassId, Data.</summary>
    internal sealed class PendingAction(string kind)
    {
        public string Kind { get; } = kind;

        public string?[] Fields { get; } = new string?[5];

        public bool[] Found { get; } = new bool[5];

        public bool DataHasElements { get; set; }
    }
}
