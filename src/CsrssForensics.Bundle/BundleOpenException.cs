namespace CsrssForensics.Bundle;

/// <summary>The path given is neither a readable bundle directory nor a readable zip file.</summary>
public sealed class BundleOpenException : Exception
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
