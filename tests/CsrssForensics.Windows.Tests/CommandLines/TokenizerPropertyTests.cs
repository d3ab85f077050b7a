using System.Text;
using CsrssForensics.Windows.CommandLines;

namespace CsrssForensics.Windows.Tests.CommandLines;

/// <summary>
/// The tokenizers are written for speed (one buffer, slices); these tests hold them to plain character-at-a-time
/// readings of the same rules over random text dense in quotes, backslashes and white space.
/// </summary>
public sealed class TokenizerPropertyTests
{
    private static readonly string[] _pieces =
    [
        "\"", "\"\"", "\\", "\\\\", "\\\\\\", "\\\"", " ", "  ", "\t", "a", "b c", "C:\\x y\\a.exe", "-enc", "é", "\u202e",
        new string('x', 300), new string('\\', 17) + "\"",
    ];

    [Fact]
    public void Tokenize_agrees_with_a_character_at_a_time_reading_of_the_argv_rules()
    {
        var random = new Random(1307);
        for (var n = 0; n < 20_000; n++)
        {
            var text = RandomText(random);

            Assert.Equal<string>(ReferenceTokenize(text), CommandLine.Tokenize(text));
        }
    }

    [Fact]
    public void Tokens_with_positions_agree_with_a_character_at_a_time_reading()
    {
        var random = new Random(2311);
        for (var n = 0; n < 20_000; n++)
        {
            var text = RandomText(random);

            Assert.Equal(ReferenceTokensWithPositions(text), CommandText.TokensWithPositions(text));
        }
    }

    [Fact]
    public void A_long_argument_after_many_short_ones_is_whole()
    {
        var longArgument = new string('A', 5000);
        var text = "powershell " + string.Join(' ', Enumerable.Repeat("-x", 50)) + " \"" + longArgument + "\" -y";

        var tokens = CommandLine.Tokenize(text);

        Assert.Equal(53, tokens.Length);
        Assert.Equal(longArgument, tokens[51]);
        Assert.Equal("-y", tokens[52]);
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        var count = random.Next(0, 12);
        for (var i = 0; i < count; i++)
        {
            builder.Append(_pieces[random.Next(_pieces.Length)]);
        }

        return builder.ToString();
    }

    // CommandLineToArgvW as documented: the program name ends at the next quote or white space; later arguments
    // follow the backslash and quote rules.
    private static List<string> ReferenceTokenize(string text)
    {
        var result = new List<string>();
        var i = 0;
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i >= text.Length)
        {
            return result;
        }

        var first = new StringBuilder();
        if (text[i] == '"')
        {
            i++;
            while (i < text.Length && text[i] != '"')
            {
                first.Append(text[i++]);
            }

            i++;
        }
        else
        {
            while (i < text.Length && text[i] is not (' ' or '\t'))
            {
                first.Append(text[i++]);
            }
        }

        result.Add(first.ToString());
        while (true)
        {
            while (i < text.Length && text[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= text.Length)
            {
                return result;
            }

            var argument = new StringBuilder();
            var inQuotes = false;
            while (i < text.Length && (inQuotes || text[i] is not (' ' or '\t')))
            {
                var backslashes = 0;
                while (i < text.Length && text[i] == '\\')
                {
                    backslashes++;
                    i++;
                }

                if (i < text.Length && text[i] == '"')
                {
                    argument.Append('\\', backslashes / 2);
                    if (backslashes % 2 == 1)
                    {
                        argument.Append('"');
                    }
                    else if (inQuotes && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        argument.Append('"');
                        inQuotes = false;
                        i++;
                    }
                    else
                    {
                        inQuotes = !inQuotes;
                    }

                    i++;
                }
                else if (backslashes > 0)
                {
                    argument.Append('\\', backslashes);
                }
                else if (i < text.Length)
                {
                    argument.Append(text[i++]);
                }
            }

            result.Add(argument.ToString());
        }
    }

    private static List<CommandText.Token> ReferenceTokensWithPositions(string text)
    {
        var tokens = new List<CommandText.Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && text[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= text.Length)
            {
                return tokens;
            }

            var start = i;
            var inQuotes = false;
            var token = new StringBuilder();
            for (; i < text.Length && (inQuotes || text[i] is not (' ' or '\t')); i++)
            {
                if (text[i] == '"')
                {
                    inQuotes = !inQuotes;
                }
                else
                {
                    token.Append(text[i]);
                }
            }

            tokens.Add(new CommandText.Token(token.ToString(), start));
        }
    }
}
