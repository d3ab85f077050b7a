namespace CsrssForensics.Cli;

/// <summary>Exit codes in the manner of diff(1), so scripts can branch on the outcome.</summary>
internal static class ExitCodes
{
    /// <summary>Nothing suspicious.</summary>
    public const int Clean = 0;

    /// <summary>Something suspicious, inconclusive or fake.</summary>
    public const int Findings = 1;

    /// <summary>Could not analyse: usage error, unreadable bundle, bad rules file.</summary>
    public const int Trouble = 2;
}
