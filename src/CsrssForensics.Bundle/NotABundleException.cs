namespace CsrssForensics.Bundle;

/// <summary>
/// A readable folder or zip that is not a bundle: no <c>manifest.json</c> and no recognisable part at its top or in
/// its single top folder. The message is one line naming what was expected.
/// </summary>
public sealed class NotABundleException : BundleOpenException
{
    /// <summary>Creates the exception.</summary>
    public NotABundleException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NotABundleException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public NotABundleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
