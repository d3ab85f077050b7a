namespace CsrssForensics.Cli;

/// <summary>
/// A failure the user can act on: a one-line message and the exit code it maps to (see <see cref="ExitCodes"/>).
/// Thrown by the commands' helpers and printed by <see cref="Program"/> as <c>error: ...</c>, without a stack trace.
/// </summary>
internal sealed class CliFailure : Exception
{
    /// <summary>Creates a failure with the internal-failure code.</summary>
    public CliFailure()
    {
    }

    /// <summary>Creates a failure with the internal-failure code.</summary>
    public CliFailure(string message)
        : base(message)
    {
    }

    /// <summary>Creates a failure with the internal-failure code and its cause.</summary>
    public CliFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates a failure that exits with <paramref name="exitCode"/>.</summary>
    public CliFailure(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = ExitCodes.InternalFailure;
}
