using System.Security.Cryptography;
using System.Text;

namespace CsrssForensics.Rules.Overlays;

/// <summary>A rules file as read from disk (<c>--rules</c> or <c>--rules-overlay</c>): its file name and exact bytes.</summary>
/// <param name="Name">The file name shown in errors, <c>rules list</c> and the report (no folder).</param>
/// <param name="Content">The bytes as read; the SHA-256 recorded in the report is taken over these.</param>
public sealed record RulesFile(string Name, byte[] Content)
{
    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Lower-case hex SHA-256 of <see cref="Content"/>.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));

    /// <summary>The content without a UTF-8 byte order mark, which the JSON reader does not accept.</summary>
    internal ReadOnlySpan<byte> Utf8Json =>
        Content.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Content.AsSpan(Encoding.UTF8.Preamble.Length) : Content;

    /// <summary>The content as text; a file that is not UTF-8 is refused rather than guessed at.</summary>
    /// <exception cref="RuleSetException">The bytes are not valid UTF-8.</exception>
    internal string Text()
    {
        try
        {
            return _strictUtf8.GetString(Utf8Json);
        }
        catch (DecoderFallbackException error)
        {
            throw new RuleSetException($"{Name}: the file is not UTF-8 text (byte {error.Index})", error);
        }
    }
}
