namespace CsrssForensics.Rules;

/// <summary>A rules document that cannot be used, with every problem found (schema and semantic), one per line.</summary>
public sealed class RuleSetException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public RuleSetException(IReadOnlyList<string> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with one message.</summary>
    public RuleSetException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with one message and its cause.</summary>
    public RuleSetException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates an exception with no detail (for serializers and analyzers).</summary>
    public RuleSetException()
        : this("The rules document is invalid.")
    {
    }

    /// <summary>Every problem, each with its JSON location (e.g. <c>/trees/0/nodes/3/yes</c>).</summary>
    public IReadOnlyList<string> Errors { get; }

    private static string Format(IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"The rules document is invalid ({errors.Count} problem(s)):{Environment.NewLine}" +
            string.Join(Environment.NewLine, errors.Select(e => "  - " + e));
    }
}
