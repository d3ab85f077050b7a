namespace CsrssForensics.Bundle;

/// <summary>
/// The path given cannot be opened as a bundle: it does not exist, it is neither a readable folder nor a readable zip,
/// or (<see cref="NotABundleException"/>) it is readable but holds nothing a bundle holds.
/// </summary>
public class BundleOpenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BundleOpenException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public BundleOpenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public BundleOpenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
